import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RunningServer, startServer } from "./helpers";
import { trickledPut } from "./edges/rawRequest";
import { RecordingServer, recordingServer } from "./recordingServer";
import { s3rverServiceEnv } from "./s3rver";

// Work one request can make the service do is bounded: bytes of bodies held in memory, how long a body may
// take to arrive, what one bulk check asks of the bucket.

const MiB = 1024 * 1024;
const BUCKET = "pipeline-bucket";

describe("bodies in memory are capped (dist/server.js)", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer({ MAX_BODY_BYTES: String(MiB), MAX_BODY_BYTES_IN_FLIGHT: String(2 * MiB), BODY_TIMEOUT_MS: "20000" });
    });
    after(async () => server.stop());

    it("with two 1 MiB uploads arriving, a third is 503 with Retry-After at once, and nothing of it is stored", async () => {
        const giveUp = new AbortController();
        const holding = [0, 1].map((i) => trickledPut(server.url, `/objects/held-${i}.bin`, { contentLength: MiB, everyMs: 50, waitMs: 3000, stop: giveUp.signal }));
        await new Promise((r) => setTimeout(r, 300));
        const third = await fetch(`${server.url}/objects/third.bin`, { method: "PUT", body: new Uint8Array(MiB) });
        assert.equal(third.status, 503);
        assert.equal(third.headers.get("retry-after"), "1");
        assert.deepEqual(await third.json(), { error: "too many bodies in flight, retry later" });
        giveUp.abort(); // the two held uploads end here (they would at waitMs anyway): nothing more to learn from them
        const held = await Promise.all(holding);
        assert.deepEqual(held.map((h) => h.status), [undefined, undefined], "the held uploads were still arriving when the third was refused");
        assert.equal((await fetch(`${server.url}/objects/third.bin`)).status, 404);
    });

    it("once they are gone, the same upload is stored", async () => {
        const again = await fetch(`${server.url}/objects/third.bin`, { method: "PUT", body: new Uint8Array(MiB) });
        assert.equal(again.status, 201);
    });

    it("a Content-Length over MAX_BODY_BYTES is 413 before any of the body is read", async () => {
        const answer = await trickledPut(server.url, "/objects/huge.bin", { contentLength: 50 * MiB, everyMs: 1000, waitMs: 3000 });
        assert.equal(answer.status, 413);
    });
});

describe("a body must arrive within BODY_TIMEOUT_MS (dist/server.js)", () => {
    it("a body trickled a byte at a time is answered 408 and its connection closed", async () => {
        const server = await startServer({ BODY_TIMEOUT_MS: "1000" });
        try {
            const answer = await trickledPut(server.url, "/objects/trickle.txt", { contentLength: 1000, everyMs: 100, waitMs: 6000 });
            console.log(`# trickled body: answered ${answer.status} after ${Math.round(answer.ms)} ms (BODY_TIMEOUT_MS 1000)`);
            assert.equal(answer.status, 408, `after ${Math.round(answer.ms)} ms: ${JSON.stringify(answer)}`);
            assert.equal((await fetch(`${server.url}/objects/trickle.txt`)).status, 404);
        } finally {
            await server.stop();
        }
    });

    it("SIGTERM with a body still trickling in: the drain cuts it and exits 0 (not 1 at DRAIN_TIMEOUT_MS)", async () => {
        // The drain cuts a body still arriving DRAIN_TIMEOUT_MS - STORAGE_DEADLINE_MS after the signal: 500 ms, a second before the drain's timeout.
        const server = await startServer({ BODY_TIMEOUT_MS: "60000", DRAIN_TIMEOUT_MS: "1500", STORAGE_DEADLINE_MS: "1000", STORAGE_ATTEMPT_TIMEOUT_MS: "500" });
        const trickle = trickledPut(server.url, "/objects/trickle.txt", { contentLength: 1000, everyMs: 100, waitMs: 8000 });
        await new Promise((r) => setTimeout(r, 300));
        server.child.kill("SIGTERM");
        assert.equal(await server.exited, 0, server.output());
        const answer = await trickle;
        assert.ok(answer.status === undefined || answer.status === 503, JSON.stringify(answer));
    });
});

describe("the drain's cut spares a request whose body has arrived (dist/server.js on S3)", () => {
    it("an upload still being stored when the cut comes is answered 201 and kept, and the process exits 0", async () => {
        // The bucket takes 1.5 s to answer the PUT, well inside the 3 s storage deadline; the cut comes DRAIN_TIMEOUT_MS -
        // STORAGE_DEADLINE_MS (1 s) after SIGTERM, while the upload is being stored: cutting its connection would lose
        // the answer of a stored object, and the client's retry would store it twice.
        const stored: string[] = [];
        const s3 = await recordingServer((req, res, body) => {
            if (req.method === "HEAD") return res.writeHead(404).end();
            // PutObject's success: 200 with the object's ETag header and no body (S3 API reference, PutObject).
            if (req.method === "PUT") {
                return void setTimeout(() => (stored.push(`${req.url} ${body.length}`), res.writeHead(200, { etag: '"e"' }).end()), 1500);
            }
            res.writeHead(200, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`);
        });
        const server = await startServer({ ...s3rverServiceEnv(s3.url, BUCKET), DRAIN_TIMEOUT_MS: "4000", STORAGE_DEADLINE_MS: "3000", STORAGE_ATTEMPT_TIMEOUT_MS: "3000" });
        try {
            const upload = fetch(`${server.url}/objects/kept.txt`, { method: "PUT", body: "all of it", headers: { "content-type": "text/plain" } });
            for (let waited = 0; !s3.requests.some((r) => r.method === "PUT") && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
            server.child.kill("SIGTERM");
            const answer = await upload;
            assert.equal(answer.status, 201, await answer.text());
            assert.equal(await server.exited, 0, server.output());
            assert.equal(stored.length, 1, "stored once");
        } finally {
            await server.stop();
            await s3.close();
        }
    });
});

describe("one bulk check makes bounded work of the bucket (dist/server.js on S3)", () => {
    let s3: RecordingServer;
    let server: RunningServer;
    const heads = () => s3.requests.filter((r) => r.method === "HEAD").length;
    before(async () => {
        // HEAD of a missing key: 404 with no body (S3 API reference, HeadObject). The listing: an empty bucket.
        s3 = await recordingServer((req, res) => {
            if (req.method === "HEAD") return res.writeHead(404).end();
            res.writeHead(200, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`);
        });
        server = await startServer({ ...s3rverServiceEnv(s3.url, BUCKET), MAX_BODY_BYTES: String(MiB) });
    });
    after(async () => {
        await server?.stop();
        await s3.close();
    });

    it("10,000 names are 400 naming the limit, and no HEAD is sent", async () => {
        const res = await fetch(`${server.url}/objects/exists`, { method: "POST", body: JSON.stringify({ names: Array.from({ length: 10_000 }, (_, i) => `n${i}`) }) });
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: "at most 1000 names at once" });
        assert.equal(heads(), 0);
    });

    it("1,000 copies of one name are one HEAD", async () => {
        const res = await fetch(`${server.url}/objects/exists`, { method: "POST", body: JSON.stringify({ names: Array(1000).fill("same.txt") }) });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { exists: { "same.txt": false } });
        assert.equal(heads(), 1);
    });
});
