import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Storage } from "@google-cloud/storage";
import { crc32cBase64 } from "./gcs/crc32c";
import { FakeGcs, objectEtag, startFakeGcs } from "./gcs/fakeGcs";

// The GCS stand-in checked against the documented JSON API (the pages named in gcs/*.ts), on the wire and
// through the SDK the service uses.

const BUCKET = "stand-in-bucket";
const CONDITION_NOT_MET = {
    error: {
        code: 412,
        message: "At least one of the pre-conditions you specified did not hold.",
        errors: [{ message: "At least one of the pre-conditions you specified did not hold.", domain: "global", reason: "conditionNotMet", locationType: "header", location: "If-Match" }],
    },
};

describe("the GCS stand-in answers as the JSON API documents", () => {
    let gcs: FakeGcs;
    const upload = (name: string, body: string, query = "") =>
        fetch(`${gcs.url}/upload/storage/v1/b/${BUCKET}/o?uploadType=media&name=${encodeURIComponent(name)}${query}`, { method: "POST", body, headers: { "content-type": "text/plain" } });
    const object = (name: string, init?: RequestInit, query = "") => fetch(`${gcs.url}/storage/v1/b/${BUCKET}/o/${encodeURIComponent(name)}${query}`, init);
    before(async () => {
        gcs = await startFakeGcs([BUCKET], { pageSize: 2 });
    });
    after(async () => gcs.close());

    it("CRC32C is Castagnoli's, four bytes big-endian in base64 (RFC 4960's check value for 123456789 is 0xE3069283)", () => {
        assert.equal(crc32cBase64(Buffer.from("123456789")), Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString("base64"));
    });

    it("a media upload returns the object resource: int64 fields as strings, md5Hash and crc32c of the bytes", async () => {
        const res = await upload("media/a.txt", "123456789");
        assert.equal(res.status, 200);
        const o = await res.json();
        assert.equal(o.kind, "storage#object");
        assert.equal(o.name, "media/a.txt");
        assert.equal(o.bucket, BUCKET);
        assert.equal(o.size, "9");
        assert.equal(o.contentType, "text/plain");
        assert.match(o.generation, /^\d+$/);
        assert.equal(o.crc32c, "4waSgw==");
        assert.equal(o.md5Hash, "JfnnlDI7RTiF9RgfG2JNCw==");
    });

    it("the etag is GCS's: generation and metageneration as protocol-buffers varints, in base64", async () => {
        // An object resource storage.googleapis.com answered (see objectEtag in gcs/fakeGcs.ts for where it is kept).
        assert.equal(objectEtag("1680594142725727", "1"), "CN+Mjofdj/4CEAE=");
        const o = await (await upload("etag.txt", "x")).json();
        assert.equal(o.etag, objectEtag(o.generation, o.metageneration));
    });

    it("ifGenerationMatch=0 writes only when there is no live object: 412 conditionNotMet otherwise, the first body kept", async () => {
        assert.equal((await upload("cond.txt", "first", "&ifGenerationMatch=0")).status, 200);
        const refused = await upload("cond.txt", "second", "&ifGenerationMatch=0");
        assert.equal(refused.status, 412);
        assert.deepEqual(await refused.json(), CONDITION_NOT_MET);
        assert.equal(await (await object("cond.txt", undefined, "?alt=media")).text(), "first");
    });

    it("ifGenerationMatch=<generation> replaces only that generation", async () => {
        const { generation } = await (await upload("gen.txt", "one")).json();
        assert.equal((await upload("gen.txt", "two", `&ifGenerationMatch=${Number(generation) + 1}`)).status, 412);
        const replaced = await upload("gen.txt", "two", `&ifGenerationMatch=${generation}`);
        assert.equal(replaced.status, 200);
        assert.notEqual((await replaced.json()).generation, generation, "a new generation");
    });

    it("alt=media answers the bytes with x-goog-hash and the stored encoding; without it, the resource", async () => {
        await upload("dl.txt", "123456789");
        const media = await object("dl.txt", undefined, "?alt=media");
        assert.equal(await media.text(), "123456789");
        assert.equal(media.headers.get("x-goog-hash"), "crc32c=4waSgw==,md5=JfnnlDI7RTiF9RgfG2JNCw==");
        assert.equal(media.headers.get("x-goog-stored-content-encoding"), "identity");
        assert.equal((await (await object("dl.txt")).json()).name, "dl.txt");
    });

    it("a composite object has a componentCount and no md5Hash; its download's x-goog-hash has the CRC32C alone", async () => {
        await upload("part.txt", "123456789");
        gcs.bucket(BUCKET).set("composed.txt", { ...gcs.bucket(BUCKET).get("part.txt")!, name: "composed.txt", componentCount: 2 });
        const o = await (await object("composed.txt")).json();
        assert.equal(o.componentCount, 2);
        assert.equal("md5Hash" in o, false);
        const media = await object("composed.txt", undefined, "?alt=media");
        assert.equal(media.headers.get("x-goog-hash"), "crc32c=4waSgw==");
        assert.equal(await media.text(), "123456789");
    });

    it("a listing filters by prefix, in lexicographic order, in pages joined by nextPageToken", async () => {
        for (const n of ["list/c", "list/a", "list/e", "list/b", "list/d", "listed-not/x"]) await upload(n, n);
        const names: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
            const url = new URL(`${gcs.url}/storage/v1/b/${BUCKET}/o`);
            url.searchParams.set("prefix", "list/");
            url.searchParams.set("maxResults", "3"); // above the page size: the page is still 2
            if (token) url.searchParams.set("pageToken", token);
            const page = await (await fetch(url)).json();
            pages++;
            names.push(...page.items.map((i: { name: string }) => i.name));
            token = page.nextPageToken;
        } while (token);
        assert.deepEqual(names, ["list/a", "list/b", "list/c", "list/d", "list/e"]);
        assert.equal(pages, 3);
    });

    it("an empty listing has no items and no nextPageToken", async () => {
        assert.deepEqual(await (await fetch(`${gcs.url}/storage/v1/b/${BUCKET}/o?prefix=nothing/`)).json(), { kind: "storage#objects" });
    });

    it("delete answers 204; then the object is 404 'No such object: <bucket>/<name>', and so is a second delete", async () => {
        await upload("gone.txt", "x");
        assert.equal((await object("gone.txt", { method: "DELETE" })).status, 204);
        for (const res of [await object("gone.txt"), await object("gone.txt", { method: "DELETE" })]) {
            assert.equal(res.status, 404);
            assert.deepEqual(await res.json(), { error: { code: 404, message: `No such object: ${BUCKET}/gone.txt`, errors: [{ message: `No such object: ${BUCKET}/gone.txt`, domain: "global", reason: "notFound" }] } });
        }
    });

    it("a media download of a missing object is 404 with the words as text/html, not the JSON error (as storage.googleapis.com answers)", async () => {
        const res = await object("never.txt", undefined, "?alt=media");
        assert.equal(res.status, 404);
        assert.equal(res.headers.get("content-type"), "text/html; charset=UTF-8");
        assert.equal(await res.text(), `No such object: ${BUCKET}/never.txt`);
    });

    it("an object of a bucket that does not exist is 'No such object', as GCS answers it", async () => {
        const res = await fetch(`${gcs.url}/storage/v1/b/other-bucket/o/x.txt`);
        assert.equal(res.status, 404);
        assert.equal((await res.json()).error.message, "No such object: other-bucket/x.txt");
    });

    it("a bucket it does not hold is 404 notFound; what it does not implement is 501, never a guess", async () => {
        const missing = await fetch(`${gcs.url}/storage/v1/b/other-bucket/o`);
        assert.equal(missing.status, 404);
        assert.equal((await missing.json()).error.message, "The specified bucket does not exist.");
        assert.equal((await fetch(`${gcs.url}/storage/v1/b/${BUCKET}/o?delimiter=/`)).status, 501);
        assert.equal((await fetch(`${gcs.url}/upload/storage/v1/b/${BUCKET}/o?uploadType=resumable&name=r`, { method: "POST" })).status, 501);
        assert.equal((await fetch(`${gcs.url}/storage/v1/b/${BUCKET}`)).status, 501);
    });

    it("an object name over 1,024 bytes of UTF-8 is refused", async () => {
        assert.equal((await upload("é".repeat(512), "x")).status, 200);
        const refused = await upload(`${"é".repeat(512)}x`, "x");
        assert.equal(refused.status, 400);
        assert.match((await refused.json()).error.message, /^The maximum object length is 1024 characters, but got a name with 1025 characters/);
    });

    describe("through @google-cloud/storage", () => {
        for (const [how, options] of [
            ["apiEndpoint", () => ({ apiEndpoint: gcs.url, projectId: "test" })],
            ["STORAGE_EMULATOR_HOST", () => ({ projectId: "test" })],
        ] as const) {
            it(`(${how}) save with resumable: false is a multipart upload; download and getFiles follow the pages`, async () => {
                const saved = process.env.STORAGE_EMULATOR_HOST;
                if (how === "STORAGE_EMULATOR_HOST") process.env.STORAGE_EMULATOR_HOST = gcs.url;
                try {
                    const bucket = new Storage(options()).bucket(BUCKET);
                    gcs.requests.length = 0;
                    const name = `sdk-${how}/ü b+c.bin`;
                    const bytes = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);
                    await bucket.file(name).save(bytes, { contentType: "application/x-test", resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
                    const insert = new URL(gcs.requests[0].url, gcs.url);
                    assert.equal(insert.pathname, `/upload/storage/v1/b/${BUCKET}/o`);
                    assert.equal(insert.searchParams.get("uploadType"), "multipart");
                    assert.equal(insert.searchParams.get("ifGenerationMatch"), "0");
                    assert.deepEqual(gcs.bucket(BUCKET).get(name)?.bytes, bytes);
                    assert.equal(gcs.bucket(BUCKET).get(name)?.contentType, "application/x-test");
                    await assert.rejects(bucket.file(name).save(bytes, { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }), (e: { code?: number }) => e.code === 412);
                    const [downloaded] = await bucket.file(name).download(); // the SDK checks it against x-goog-hash
                    assert.deepEqual(downloaded, bytes);
                    const [files] = await bucket.getFiles({ prefix: "list/", autoPaginate: true });
                    assert.deepEqual(files.map((f) => f.name), ["list/a", "list/b", "list/c", "list/d", "list/e"]);
                    await bucket.file(name).delete();
                    assert.deepEqual(await bucket.file(name).exists(), [false]);
                } finally {
                    if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
                    else process.env.STORAGE_EMULATOR_HOST = saved;
                }
            });
        }
    });
});
