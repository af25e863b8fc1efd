import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GcsStore } from "../src/storage/gcsStore";
import { S3Store, pingRequest } from "../src/storage/s3Store";
import { apiRole, asRole } from "./rolePolicies";
import { gcsError } from "./gcs/gcsErrors";
import { startServer } from "./helpers";
import { RecordingServer, recordingServer } from "./recordingServer";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";

const BUCKET = "probe-bucket";

describe("the S3 readiness probe asks only what the API role allows", () => {
    let s3: LocalS3;
    let role: RecordingServer;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        role = await recordingServer(asRole(apiRole("input/"), BUCKET, s3.endpoint));
    });
    after(async () => {
        await role.close();
        await s3.close();
    });

    it("pingRequest is a one-key ListObjectsV2 under the prefix", () => {
        assert.deepEqual(pingRequest(BUCKET, "input/"), { Bucket: BUCKET, Prefix: "input/", MaxKeys: 1 });
    });

    it("ping sends that request and nothing else: GET ?list-type=2 with prefix=input/ and max-keys=1", async () => {
        role.requests.length = 0;
        await new S3Store(BUCKET, "input/", s3rverClientConfig(role.url)).ping();
        assert.equal(role.requests.length, 1, JSON.stringify(role.requests));
        const { method, url } = role.requests[0];
        const { pathname, searchParams } = new URL(url, "http://s3.local");
        assert.equal(method, "GET");
        assert.equal(pathname.replace(/\/$/, ""), `/${BUCKET}`);
        assert.equal(searchParams.get("list-type"), "2");
        assert.equal(searchParams.get("prefix"), "input/");
        assert.equal(searchParams.get("max-keys"), "1");
    });

    it("ping fails when the bucket cannot be listed", async () => {
        // S3's own answer (404 NoSuchBucket), not any error: a TypeError in ping would pass a bare rejects.
        await assert.rejects(new S3Store("no-such-bucket", "input/", s3rverClientConfig(s3.endpoint)).ping(), { name: "NoSuchBucket" });
    });

    it("the built server on S3 is ready (/ready 200) and serves objects with only the role's permissions", async () => {
        const server = await startServer(s3rverServiceEnv(role.url, BUCKET));
        try {
            const ready = await fetch(`${server.url}/ready`);
            assert.equal(ready.status, 200, await ready.text());
            assert.equal((await fetch(`${server.url}/objects/probe.txt`, { method: "PUT", body: "hello" })).status, 201);
            assert.equal(await (await fetch(`${server.url}/objects/probe.txt`)).text(), "hello");
            // S3 answers 403 for the missing key (the role may not list the bucket unconditioned); the store's
            // key-prefixed listing, which the role may make, shows it is missing.
            const missing = await fetch(`${server.url}/objects/not-there.txt`);
            assert.equal(missing.status, 404, await missing.text());
        } finally {
            await server.stop();
        }
    });
});

describe("the GCS readiness probe lists objects (storage.objects.list), never gets the bucket (storage.buckets.get)", () => {
    let gcs: RecordingServer;
    before(async () => {
        // Like the runtime role roles/storage.objectUser: object listing is allowed, bucket metadata is not.
        gcs = await recordingServer((req, res) => {
            const { pathname } = new URL(req.url!, "http://gcs.local");
            if (req.method === "GET" && pathname === `/storage/v1/b/${BUCKET}/o`) {
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "storage#objects", items: [] }));
            } else {
                // The JSON API's 403 in its own words (Cloud Storage, "HTTP status and error codes for JSON", 403 Forbidden).
                gcsError(res, 403, "forbidden", "Forbidden");
            }
        });
    });
    after(async () => gcs.close());

    it("ping is one listing of at most one object under the prefix", async () => {
        await new GcsStore(BUCKET, "events/", { apiEndpoint: gcs.url, projectId: "test" }).ping();
        assert.equal(gcs.requests.length, 1, JSON.stringify(gcs.requests));
        const { pathname, searchParams } = new URL(gcs.requests[0].url, "http://gcs.local");
        assert.equal(pathname, `/storage/v1/b/${BUCKET}/o`);
        assert.equal(searchParams.get("prefix"), "events/");
        assert.equal(searchParams.get("maxResults"), "1");
    });
});
