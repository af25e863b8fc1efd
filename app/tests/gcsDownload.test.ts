import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { Storage } from "@google-cloud/storage";
import { bootstrap } from "../src/bootstrap";
import { downloadObject } from "../src/storage/gcsDownload";
import { GcsStore, gcsOptions } from "../src/storage/gcsStore";
import { GuardedStore } from "../src/storage/guardedStore";
import { ReadRefused } from "../src/readAdmission";
import { StorageError } from "../src/storage/storageError";
import { StorageTimeouts } from "../src/storage/storageTimeouts";
import { GcsFaultProxy, startGcsFaultProxy } from "./faults/gcsFaultProxy";
import { crc32cBase64 } from "./gcs/crc32c";
import { FakeGcs, startFakeGcs } from "./gcs/fakeGcs";
import { httpCall } from "./helpers";
import { withTimingBounds } from "./timingBounds";

// GcsStore.get (src/storage/gcsDownload.ts) on the GCS stand-in behind the fault proxy, which slows, breaks off or
// damages the answers' bodies. STORAGE_ATTEMPT_TIMEOUT_MS bounds waiting (for the answer, between two chunks of its
// body), not reading a body, and bytes that do not match x-goog-hash are never returned.

const MiB = 1024 * 1024;
const BUCKET = "download-bucket";
const bytes = (n: number, seed: number) => Buffer.from(new Uint8Array(n).map((_, i) => (i * seed) % 251));
const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");
const same = (a: Uint8Array | undefined, b: Buffer) => a !== undefined && Buffer.compare(a, b) === 0;
/** What `read` failed with; it fails the test if the read returned anything. */
const failure = (read: Promise<{ body: Uint8Array } | undefined>): Promise<Error> =>
    read.then(
        (got) => assert.fail(`returned ${got === undefined ? "nothing" : `${got.body.length} bytes`}`),
        (err: Error) => err,
    );
/** b with its middle byte flipped, as the proxy's corrupt-body sends it. */
const flipped = (b: Buffer) => {
    const copy = Buffer.from(b);
    copy[copy.length >> 1] ^= 0xff;
    return copy;
};

describe("GCS reads: the media download", () => {
    let gcs: FakeGcs;
    let proxy: GcsFaultProxy;
    const objects = { big1: bytes(3 * MiB, 7), big2: bytes(3 * MiB, 11), half: bytes(2 * MiB, 13), small: bytes(64 * 1024, 17) };
    before(async () => {
        gcs = await startFakeGcs([BUCKET]);
        proxy = await startGcsFaultProxy(gcs.url);
        const writer = new GcsStore(BUCKET, "events/", { apiEndpoint: gcs.url, projectId: "test" });
        for (const [name, body] of Object.entries(objects)) await writer.put(`events/${name}.bin`, body, "application/octet-stream");
        // A composite object (objects.compose, which the stand-in lacks): the same bytes, a CRC32C and no MD5.
        const small = gcs.bucket(BUCKET).get("events/small.bin")!;
        gcs.bucket(BUCKET).set("events/composite.bin", { ...small, name: "events/composite.bin", componentCount: 2 });
    });
    after(async () => {
        await proxy?.close();
        await gcs?.close();
    });

    const store = (t: StorageTimeouts) => new GcsStore(BUCKET, "events/", { ...gcsOptions(t), apiEndpoint: proxy.url, projectId: "test" }, t);
    /** The media downloads of `name` the stand-in was sent (the proxy passes each attempt on, whatever it then does). */
    const downloads = (name: string) => gcs.requests.filter((r) => r.url.includes(`/o/events%2F${name}?alt=media`)).length;

    describe("over a slow link from storage (1.5 MiB/s)", { concurrency: true }, () => {
        before(() => proxy.plan({ faults: [], rate: 0, answerBytesPerSecond: 1.5 * MiB }));
        after(() => proxy.plan({ faults: [], rate: 0 }));

        it("a 3 MiB object (2 s of body, twice one attempt's 1 s) is read in one attempt, byte for byte", async () => {
            const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 8000 };
            const started = performance.now();
            const got = await store(t).get("events/big1.bin");
            const ms = Math.round(performance.now() - started);
            console.log(`# a 3 MiB read at 1.5 MiB/s with 1 s attempts: ${ms} ms, ${downloads("big1.bin")} download(s)`);
            assert.ok(same(got?.body, objects.big1), "the bytes stored");
            assert.equal(got?.contentType, "application/octet-stream");
            assert.equal(downloads("big1.bin"), 1, "one attempt, not cut and fetched again");
            assert.ok(ms > t.attemptTimeoutMs, `the body took longer than one attempt's timeout (${ms} ms)`);
        });

        // The store guard answers 503 at the request's storage deadline and aborts its signal: the download must stop
        // then, or its buffer keeps filling after the read's reservation was given back with the answer.
        it("the request's signal ends the download at once, whatever the store's own deadline", withTimingBounds(async (bound) => {
            const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 8000 };
            const caller = new AbortController();
            const before = downloads("half.bin");
            const started = performance.now();
            setTimeout(() => caller.abort(), 300);
            const err = await failure(store(t).get("events/half.bin", caller.signal));
            const ms = Math.round(performance.now() - started);
            console.log(`# a 2 MiB read at 1.5 MiB/s whose request gave up at 300 ms: ended after ${ms} ms`);
            assert.match(err.message, /the request's storage deadline passed/);
            bound(ms < 700, `ended ${ms} ms after it started, not at the body's end or the store's deadline`);
            assert.equal(downloads("half.bin") - before, 1, "not tried again");
        }));

        it("a body still flowing at the deadline (1.5 s) is cut then, in its one attempt", withTimingBounds(async (bound) => {
            const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 1500 };
            const started = performance.now();
            const err = await failure(store(t).get("events/big2.bin"));
            const ms = Math.round(performance.now() - started);
            console.log(`# a 3 MiB read at 1.5 MiB/s with a 1.5 s deadline: cut after ${ms} ms, ${downloads("big2.bin")} download(s)`);
            assert.equal(downloads("big2.bin"), 1, "one attempt: a flowing body is not cut at the attempt timeout");
            assert.ok(ms >= t.deadlineMs - 50, `cut after ${ms} ms`);
            bound(ms < t.deadlineMs + 400, `cut after ${ms} ms`);
            assert.match(err.message, /deadline \(1500 ms\) passed/);
        }));
    });

    it("a body that stops half-way is cut about one attempt's timeout after its last byte, then tried again", withTimingBounds(async (bound) => {
        // 2 MiB at 2 MiB/s: its first half flows for 0.5 s, longer than one attempt's 300 ms, then stops.
        const t = { attemptTimeoutMs: 300, maxAttempts: 2, deadlineMs: 5000 };
        proxy.plan({ faults: ["stall-mid-body"], rate: 1, answerBytesPerSecond: 2 * MiB });
        const stallsBefore = proxy.stalls.length;
        const started = performance.now();
        let err: Error;
        try {
            err = await failure(store(t).get("events/half.bin"));
        } finally {
            proxy.plan({ faults: [], rate: 0 });
        }
        const ms = Math.round(performance.now() - started);
        await new Promise((r) => setTimeout(r, 50)); // the proxy sees the last hang-up
        const cutAfter = proxy.stalls.slice(stallsBefore).map((s) => (s.closedAt === undefined ? undefined : Math.round(s.closedAt - s.stalledAt)));
        console.log(`# a body stopped half-way (300 ms attempts): each attempt cut ${cutAfter.join(", ")} ms after its last byte; gave up after ${ms} ms`);
        assert.equal(cutAfter.length, t.maxAttempts, "every attempt got its half of the body, then waited");
        for (const after of cutAfter) {
            assert.ok(after !== undefined && after >= t.attemptTimeoutMs - 20, `cut ${after} ms after the last byte`);
            bound(after < t.attemptTimeoutMs + 300, `cut ${after} ms after the last byte`);
        }
        bound(ms < t.deadlineMs, `gave up after ${ms} ms, not at the deadline`);
        assert.match(err.message, /waiting for more of its body after \d+ bytes, nothing in 300 ms/);
    }));

    it("retries wait a random share more than the backoff, so instances refused together (a 503 or 429) do not come back together", async () => {
        // Cloud Storage's retry strategy: exponential backoff with jitter ("Retry strategy", cloud.google.com/storage/docs/retry-strategy).
        const t = { attemptTimeoutMs: 2000, maxAttempts: 4, deadlineMs: 60_000 };
        const storage = new Storage({ apiEndpoint: proxy.url, projectId: "test" });
        const waitsWith = async (random: number) => {
            const waits: number[] = [];
            proxy.plan({ faults: ["error503"], rate: 1 });
            try {
                const sleep = async (ms: number) => void waits.push(ms);
                await failure(downloadObject(storage, BUCKET, "events/small.bin", t, undefined, undefined, sleep, () => random));
            } finally {
                proxy.plan({ faults: [], rate: 0 });
            }
            return waits;
        };
        const [least, most] = [await waitsWith(0), await waitsWith(0.999)];
        assert.deepEqual(least, [100, 200, 400], "the backoff itself when the draw is 0");
        assert.equal(most.length, 3);
        most.forEach((ms, i) => assert.ok(ms >= 1.9 * least[i] && ms < 2 * least[i], `retry ${i + 1}: ${ms} ms against ${least[i]} ms`));
    });

    // Cloud Storage's retry strategy retries 408, 429 and 5xx ("Retry strategy", cloud.google.com/storage/docs/retry-strategy):
    // a 429 given up at once would turn one instance's burst of reads over the bucket's rate into a 503 for each.
    for (const [fault, what] of [["error500", "a 500 (GCS's Backend Error)"], ["error429", "a 429 (GCS's rateLimitExceeded)"]] as const) {
        it(`${what} is tried again, as a 503 is: the object is read by the next attempt`, async () => {
            const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 5000 };
            proxy.plan({ faults: [fault], rate: 1, limit: 1 });
            try {
                const got = await store(t).get("events/small.bin");
                assert.ok(same(got?.body, objects.small), "the bytes stored, from the second attempt");
            } finally {
                proxy.plan({ faults: [], rate: 0 });
            }
            assert.equal(proxy.stats.faulted[fault], 1);
        });
    }

    it("a read its admission refuses is thrown as ReadRefused, through the store guard, and not tried again", async () => {
        const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 5000 };
        proxy.plan({ faults: [], rate: 0 });
        const before = downloads("half.bin");
        const asked: number[] = [];
        const err = await failure(new GuardedStore(store(t)).get("events/half.bin", undefined, (n) => (asked.push(n), false)));
        assert.ok(err instanceof ReadRefused, String(err));
        assert.deepEqual(asked, [objects.half.length], "asked for the answer's Content-Length, before its body");
        assert.equal(downloads("half.bin") - before, 1, "a refusal is not a failure to retry");
    });

    describe("checked against x-goog-hash", () => {
        const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 5000 };
        after(() => proxy.plan({ faults: [], rate: 0 }));

        it("a body with one byte flipped (GCS's headers kept) is discarded and read again", async () => {
            proxy.plan({ faults: ["corrupt-body"], rate: 1, limit: 1 });
            const before = downloads("small.bin");
            const got = await store(t).get("events/small.bin");
            assert.ok(same(got?.body, objects.small), "the bytes stored, from the second attempt");
            assert.equal(downloads("small.bin") - before, 2);
        });

        it("every attempt corrupted: a transient storage error naming the MD5s, a 503 from the route, never the bytes", async () => {
            proxy.plan({ faults: ["corrupt-body"], rate: 1 });
            const before = downloads("small.bin");
            const err = await failure(new GuardedStore(store(t)).get("events/small.bin"));
            assert.ok(err instanceof StorageError && err.transient, String(err));
            const expected = md5(objects.small);
            const actual = md5(flipped(objects.small));
            assert.ok(err.message.includes(`with md5 ${actual}, not the ${expected} its x-goog-hash names`), err.message);
            assert.equal(downloads("small.bin") - before, t.maxAttempts, "retried like a 5xx");

            const { app } = bootstrap("server", { LOG_LEVEL: "error", OBJECT_PREFIX: "events/", STORAGE_ATTEMPT_TIMEOUT_MS: "1000", STORAGE_MAX_ATTEMPTS: "3", STORAGE_DEADLINE_MS: "5000" }, store(t));
            const res = await app.request("/objects/small.bin");
            assert.equal(res.status, 503);
            assert.equal(res.headers.get("retry-after"), "1");
            assert.deepEqual(await res.json(), { error: "storage unavailable, retry later" });
        });

        it("a composite object (x-goog-hash with a CRC32C only) is checked by its CRC32C", async () => {
            proxy.plan({ faults: [], rate: 0 });
            const media = await fetch(`${proxy.url}/storage/v1/b/${BUCKET}/o/events%2Fcomposite.bin?alt=media`);
            assert.equal(media.headers.get("x-goog-hash"), `crc32c=${crc32cBase64(objects.small)}`);
            await media.arrayBuffer();
            assert.ok(same((await store(t).get("events/composite.bin"))?.body, objects.small), "read when intact");

            proxy.plan({ faults: ["corrupt-body"], rate: 1 });
            const err = await failure(store(t).get("events/composite.bin"));
            assert.ok(err.message.includes(`with crc32c ${crc32cBase64(flipped(objects.small))}, not the ${crc32cBase64(objects.small)} its x-goog-hash names`), err.message);
        });
    });
    // An object stored gzip-compressed (uploaded with Content-Encoding: gzip), as real buckets hold: Cloud Storage's
    // "Transcoding of gzip-compressed files" serves it as stored, with Content-Encoding: gzip, to a request with
    // Accept-Encoding: gzip (fetch sends one and gunzips), and decompressed without Content-Encoding or Content-Length
    // otherwise; x-goog-hash is of the stored (compressed) bytes, which the service does not check then.
    describe("an object stored gzip-compressed", () => {
        const t = { attemptTimeoutMs: 1000, maxAttempts: 3, deadlineMs: 5000 };
        const text = Buffer.from(Array.from({ length: 2000 }, (_, i) => `{"event":${i},"at":"2024-01-01T00:00:${String(i % 60).padStart(2, "0")}Z"}\n`).join(""));
        const stored = gzipSync(text);
        before(async () => {
            const storage = new Storage({ apiEndpoint: gcs.url, projectId: "test" });
            await storage.bucket(BUCKET).file("events/log.json").save(stored, { resumable: false, contentType: "application/x-ndjson", metadata: { contentEncoding: "gzip" } });
        });
        after(() => proxy.plan({ faults: [], rate: 0 }));

        /** The stand-in's raw answer, through node:http (fetch would add Accept-Encoding and gunzip). */
        const raw = (headers: Record<string, string>) => httpCall(`${gcs.url}/storage/v1/b/${BUCKET}/o/events%2Flog.json?alt=media`, "GET", undefined, headers);

        it("the stand-in answers as GCS does: as stored to Accept-Encoding: gzip, decompressed without it", async () => {
            const asStored = await raw({ "accept-encoding": "gzip, deflate" });
            assert.equal(asStored.headers["content-encoding"], "gzip");
            assert.equal(asStored.headers["content-length"], String(stored.length));
            assert.ok(asStored.body.equals(stored), "the stored bytes");
            const transcoded = await raw({});
            assert.equal(transcoded.headers["content-encoding"], undefined);
            assert.equal(transcoded.headers["content-length"], undefined);
            assert.ok(transcoded.body.equals(text), "the bytes decompressed");
            for (const { headers } of [asStored, transcoded]) {
                assert.equal(headers["content-type"], "application/x-ndjson");
                assert.equal(headers["x-goog-stored-content-encoding"], "gzip");
                assert.equal(headers["x-goog-stored-content-length"], String(stored.length));
                assert.equal(headers["x-goog-hash"], `crc32c=${crc32cBase64(stored)},md5=${md5(stored)}`);
            }
        });

        it("is read as its decompressed bytes and its content type", async () => {
            proxy.plan({ faults: [], rate: 0 });
            const got = await store(t).get("events/log.json");
            assert.ok(same(got?.body, text), `the decompressed bytes (${got?.body.length} bytes, ${text.length} expected)`);
            assert.equal(got?.contentType, "application/x-ndjson");
        });

        it("a compressed body with one byte flipped is an error, never other bytes", async () => {
            proxy.plan({ faults: ["corrupt-body"], rate: 1 });
            const before = downloads("log.json");
            const err = await failure(new GuardedStore(store(t)).get("events/log.json"));
            // fetch (undici) fails the body with TypeError "terminated" whose cause is zlib's own error for these bytes.
            let zlib = "";
            try {
                gunzipSync(flipped(stored));
            } catch (e) {
                zlib = (e as Error).message;
            }
            assert.ok(zlib, "the flipped bytes do not decompress");
            assert.ok(err instanceof StorageError && err.transient, String(err));
            assert.ok(err.message.includes(`GCS's gzip-stored body for ${BUCKET}/events/log.json did not decompress: ${zlib}`), err.message);
            assert.equal(downloads("log.json") - before, t.maxAttempts, "retried like a 5xx");
        });
    });

    it("a wall-clock step forward during a read does not end it: its deadline counts on the monotonic clock", async () => {
        // An NTP correction moves Date.now, not performance.now. Before: the read's elapsed time jumped by an hour, the
        // attempt's timer was cut to 1 ms ("the deadline passed") and the read failed at once.
        const t = { attemptTimeoutMs: 1000, maxAttempts: 2, deadlineMs: 5000 };
        const wallClock = Date.now;
        let calls = 0;
        Date.now = () => wallClock() + (calls++ > 0 ? 3_600_000 : 0);
        let got: { body: Uint8Array } | undefined;
        try {
            got = await store(t).get("events/small.bin");
        } finally {
            Date.now = wallClock;
        }
        assert.ok(same(got?.body, objects.small), "the bytes stored");
    });
});
