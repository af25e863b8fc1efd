import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { S3Store } from "../src/storage/s3Store";
import { RecordingServer, recordingServer } from "./recordingServer";
import { s3rverClientConfig } from "./s3rver";

// S3's ListObjectsV2 may answer a page shorter than asked and still truncated: MaxKeys "Sets the maximum number of keys
// returned in the response. ... The response might contain fewer keys but will never contain more", and IsTruncated is
// "true if more keys are available to return" (@aws-sdk/client-s3 models_0.d.ts, ListObjectsV2Request/Output, from the
// S3 API Reference). s3rver always fills a page to MaxKeys, so the contract tests never take a second page.
const BUCKET = "listing-bucket";
const KEYS = ["a", "b", "c", "d", "e", "f", "g"].map((k) => `input/${k}.txt`);
/** This stand-in's page: never more than MaxKeys, and never more than three keys whatever MaxKeys asked. */
const SHORT_PAGE = 3;

const xmlList = (tag: string, values: string[]) => values.map((v) => `<${tag}>${v}</${tag}>`).join("");

/** A ListBucketResult in S3's shape (S3 API Reference, ListObjectsV2, response syntax); the token is opaque to the client. */
function listBucketResult(prefix: string, maxKeys: number, from: number, token: string | null): string {
    const matching = KEYS.filter((k) => k.startsWith(prefix));
    const page = matching.slice(from, from + Math.min(maxKeys, SHORT_PAGE));
    const next = from + page.length;
    const truncated = next < matching.length;
    const contents = page.map((key) => `<Contents><Key>${key}</Key><LastModified>2026-11-22T14:50:00.000Z</LastModified><ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`);
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Name>${BUCKET}</Name><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
        (token ? xmlList("ContinuationToken", [token]) : "") +
        // NextContinuationToken "is sent when isTruncated is true" (ListObjectsV2Output): none on the last page.
        (truncated ? xmlList("NextContinuationToken", [Buffer.from(`after:${next}`).toString("base64")]) : "") +
        contents.join("") +
        "</ListBucketResult>"
    );
}

describe("S3Store.list over S3's short truncated pages", { timeout: 10_000 }, () => {
    let s3: RecordingServer;
    before(async () => {
        s3 = await recordingServer((req, res) => {
            const query = new URL(req.url!, "http://s3.local").searchParams;
            const token = query.get("continuation-token");
            const from = token ? Number(Buffer.from(token, "base64").toString().replace("after:", "")) : 0;
            res.writeHead(200, { "content-type": "application/xml" }).end(listBucketResult(query.get("prefix") ?? "", Number(query.get("max-keys") ?? 1000), from, token));
        });
    });
    after(async () => s3.close());
    beforeEach(() => s3.requests.splice(0));

    const store = () => new S3Store(BUCKET, "input/", s3rverClientConfig(s3.url));
    /** What each listing request asked for: its MaxKeys and the token it carried. */
    const asked = () =>
        s3.requests.map((r) => {
            const query = new URL(r.url, "http://s3.local").searchParams;
            return { maxKeys: query.get("max-keys"), token: query.get("continuation-token") && Buffer.from(query.get("continuation-token")!, "base64").toString() };
        });

    it("follows every page, each with the token the last one gave, until a page is not truncated", async () => {
        assert.deepEqual(await store().list("input/", 1000), KEYS);
        assert.deepEqual(asked(), [
            { maxKeys: "1000", token: null },
            { maxKeys: "997", token: "after:3" },
            { maxKeys: "994", token: "after:6" },
        ]);
    });

    it("asks each next page for only what the limit leaves, so a page S3 fills to MaxKeys never takes it past the limit", async () => {
        assert.deepEqual(await store().list("input/", 5), KEYS.slice(0, 5));
        assert.deepEqual(asked(), [
            { maxKeys: "5", token: null },
            { maxKeys: "2", token: "after:3" },
        ]);
    });
});
