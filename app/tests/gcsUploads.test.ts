import assert from "node:assert/strict";
import { IncomingMessage, ServerResponse } from "node:http";
import { after, before, describe, it } from "node:test";
import { File } from "@google-cloud/storage";
import { GcsStore, gcsOptions } from "../src/storage/gcsStore";
import { FakeGcs, startFakeGcs } from "./gcs/fakeGcs";
import { conditionNotMet, forbiddenObjectGet, gcsError } from "./gcs/gcsErrors";
import { GuardedStore } from "../src/storage/guardedStore";
import { StorageError, storageStatus } from "../src/storage/storageError";
import { RecordingServer, recordingServer } from "./recordingServer";

// What @google-cloud/storage 7 does with an upload, against the loopback JSON API stand-in (tests/gcs/fakeGcs.ts),
// through a proxy that delays, breaks or refuses one answer as the network or GCS may.

const BUCKET = "uploads";
type Twist = "none" | "late" | "reset-after-store" | "503-once" | "412-once" | "wrong-md5";

/** The stand-in's answer to `req`, as it sent it. */
async function forward(gcs: FakeGcs, req: IncomingMessage, body: Buffer) {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "content-length", "connection", "transfer-encoding", "keep-alive"].includes(k))) as Record<string, string>;
    const answer = await fetch(`${gcs.url}${req.url}`, { method: req.method, headers, body: ["GET", "HEAD"].includes(req.method!) ? undefined : new Uint8Array(body) });
    return { status: answer.status, headers: Object.fromEntries(answer.headers), body: Buffer.from(await answer.arrayBuffer()) };
}
function reply(res: ServerResponse, a: Awaited<ReturnType<typeof forward>>) {
    delete a.headers["content-encoding"];
    delete a.headers["content-length"];
    res.writeHead(a.status, a.headers).end(a.body);
}

/** Sends each request on to the stand-in, the first upload given `twist`: answered late, its connection reset once GCS stored it, or a 503 before it. */
async function twistingProxy(gcs: FakeGcs, lateMs: number) {
    let twist: Twist = "none";
    const server: RecordingServer = await recordingServer(async (req, res, body) => {
        const upload = req.url!.startsWith("/upload/");
        const now = upload ? twist : "none";
        if (upload) twist = "none";
        // 503 backendError "Backend Error" (Cloud Storage, "HTTP status and error codes for JSON").
        if (now === "503-once") return gcsError(res, 503, "backendError", "Backend Error");
        // The name was taken when the upload arrived (GCS's 412 conditionNotMet, gcsErrors.ts), by an object deleted since.
        if (now === "412-once") return conditionNotMet(res);
        const answer = await forward(gcs, req, body).catch((err: Error) => ({ status: 502, headers: {}, body: Buffer.from(`proxy: ${err.message}: ${String((err as { cause?: unknown }).cause)}`) }));
        if (now === "reset-after-store") return req.socket.destroy();
        if (now === "late") await new Promise((r) => setTimeout(r, lateMs));
        // The upload's answer (the objects resource) with an md5Hash not of the bytes sent. Bytes damaged on the way would
        // change its crc32c too; it is left right here so that only an MD5 check refuses the upload.
        if (now === "wrong-md5") answer.body = Buffer.from(JSON.stringify({ ...JSON.parse(answer.body.toString()), md5Hash: "AAAAAAAAAAAAAAAAAAAAAA==" }));
        reply(res, answer);
    });
    return { server, next: (t: Twist) => void (twist = t) };
}

describe("GCS uploads as the SDK sends them (GcsStore)", () => {
    const timeouts = { attemptTimeoutMs: 300, maxAttempts: 3, deadlineMs: 6000 };
    let gcs: FakeGcs;
    let proxy: Awaited<ReturnType<typeof twistingProxy>>;
    let store: GcsStore;
    before(async () => {
        gcs = await startFakeGcs([BUCKET]);
        proxy = await twistingProxy(gcs, timeouts.attemptTimeoutMs + 500);
        store = new GcsStore(BUCKET, "events/", { ...gcsOptions(timeouts), apiEndpoint: proxy.server.url, projectId: "test" }, timeouts);
    });
    after(async () => {
        await proxy.server.close();
        await gcs.close();
    });
    const bytes = (text: string, size = text.length) => Buffer.alloc(size, text);

    // The call's `timeout` is replaced by its client's before the request goes out (nodejs-common service.js,
    // request_: `reqOpts = { ...reqOpts, timeout: this.timeout }`), so a body had only STORAGE_ATTEMPT_TIMEOUT_MS.
    it("an upload has the time its body needs: a 2 MiB upload answered 800 ms after it arrived (attempts of 300 ms) is stored and acknowledged", async () => {
        proxy.next("late");
        assert.equal(await store.putIfAbsent("events/large.bin", bytes("x", 2 * 1024 * 1024), "application/octet-stream"), true);
        assert.equal(gcs.bucket(BUCKET).get("events/large.bin")?.bytes.length, 2 * 1024 * 1024);
    });

    // The SDK retries a conditional upload whose connection broke (a reset is retryable, and ifGenerationMatch makes
    // the retry safe: Cloud Storage, "Retry strategy"); the retry finds the name taken by its own first attempt.
    it("an upload stored by its first attempt, whose answer was lost to a reset, keeps its name (no second copy under another name)", async () => {
        proxy.next("reset-after-store");
        assert.equal(await store.putIfAbsent("events/once.txt", bytes("once"), "text/plain"), true);
        assert.deepEqual([...gcs.bucket(BUCKET).keys()].filter((k) => k.startsWith("events/once")), ["events/once.txt"]);
    });

    it("a name another body took is still taken: the same name with other bytes is refused", async () => {
        assert.equal(await store.putIfAbsent("events/taken.txt", bytes("first"), "text/plain"), true);
        assert.equal(await store.putIfAbsent("events/taken.txt", bytes("second"), "text/plain"), false);
        assert.equal(await store.putIfAbsent("events/taken.txt", bytes("first"), "application/json"), false, "the same bytes of another type are another object");
    });

    it("a name taken (412) by an object gone by the time its upload id is read is given up, not a failure: the next name is tried", async () => {
        proxy.next("412-once");
        assert.equal(await store.putIfAbsent("events/gone-again.txt", bytes("mine"), "text/plain"), false);
        assert.equal(gcs.bucket(BUCKET).get("events/gone-again.txt"), undefined);
    });

    // The SDK checks an upload by CRC32C unless told otherwise, in plain JavaScript (270 ms of the event loop per 32 MiB);
    // the store has it checked by MD5 (node:crypto, 58 ms), whose mismatch the SDK refuses and deletes just the same
    // (@google-cloud/storage file.js #validateIntegrity: this.delete(), then a RequestError of code FILE_NO_UPLOAD).
    it("an upload whose answer names another MD5 than its bytes' is refused and not kept: the check is MD5's", async () => {
        proxy.next("wrong-md5");
        await assert.rejects(store.putIfAbsent("events/damaged.txt", bytes("damaged"), "text/plain"), (err: Error & { code?: string }) => err.code === "FILE_NO_UPLOAD");
        assert.equal(gcs.bucket(BUCKET).get("events/damaged.txt"), undefined);
        proxy.next("wrong-md5");
        await assert.rejects(store.put("events/damaged.json", bytes("damaged"), "application/json"), (err: Error & { code?: string }) => err.code === "FILE_NO_UPLOAD");
        assert.equal(gcs.bucket(BUCKET).get("events/damaged.json"), undefined);
    });

    it("an upload hands the SDK the body's own bytes, not a copy of them the body budget does not count", async () => {
        const given: Buffer[] = [];
        const save = File.prototype.save;
        File.prototype.save = function (this: File, data: Parameters<File["save"]>[0], ...rest: unknown[]) {
            given.push(data as Buffer);
            return (save as (...args: unknown[]) => Promise<void>).call(this, data, ...rest);
        } as File["save"];
        try {
            const body = bytes("own", 1024);
            assert.equal(await store.putIfAbsent("events/own.txt", body, "text/plain"), true);
            await store.put("events/own.json", body, "application/json");
            assert.deepEqual(given.map((data) => data.buffer === body.buffer), [true, true]);
            // A body that is a view into a larger buffer (a Buffer from Node's pool, a slice) is stored as the view's bytes alone.
            const whole = Buffer.from("before|inside|after");
            const view = new Uint8Array(whole.buffer, whole.byteOffset + 7, 6);
            await store.put("events/view.txt", view, "text/plain");
            assert.equal(gcs.bucket(BUCKET).get("events/view.txt")?.bytes.toString(), "inside");
        } finally {
            File.prototype.save = save;
        }
    });

    // A save without a precondition sets its client's retryOptions.autoRetry to false and never back (file.js,
    // shouldRetryBasedOnPreconditionAndIdempotencyStrat ... `this.storage.retryOptions.autoRetry = false`).
    it("an unconditional write leaves the next conditional upload's retries on: a 503 once is retried", async () => {
        await store.put("events/result.json", bytes("{}"), "application/json");
        proxy.next("503-once");
        assert.equal(await store.putIfAbsent("events/after-put.txt", bytes("after"), "text/plain"), true);
    });
});

describe("an upload to a bucket that does not exist", () => {
    // GCS answers objects.insert into a missing bucket with 404 notFound, "The specified bucket does not exist."
    // (tests/gcs/gcsErrors.ts, noSuchBucket). Only a 412 (conditionNotMet, ifGenerationMatch=0) means the name is
    // taken: a 404 taken for one would send the service renaming the upload forever against a bucket that is not there.
    let gcs: FakeGcs;
    before(async () => {
        gcs = await startFakeGcs([BUCKET]);
    });
    after(async () => gcs?.close());

    it("putIfAbsent rejects with GCS's 404, it does not answer 'name taken'", async () => {
        const timeouts = { attemptTimeoutMs: 2000, maxAttempts: 1, deadlineMs: 4000 };
        const store = new GcsStore("no-such-bucket", "events/", { ...gcsOptions(timeouts), apiEndpoint: gcs.url, projectId: "test" }, timeouts);
        await assert.rejects(store.putIfAbsent("events/a.txt", new TextEncoder().encode("a"), "text/plain"), (err) => {
            assert.equal(storageStatus(err), 404);
            assert.match((err as Error).message, /The specified bucket does not exist/);
            return true;
        });
    });
});

describe("a caller GCS refuses objects.get (403 forbidden), the object there or not", () => {
    // GCS answers objects.get from a caller without storage.objects.get with 403 forbidden, the object there or not
    // (tests/gcs/gcsErrors.ts, forbiddenObjectGet). A 403 says nothing of the object: only a 404 means it is missing.
    // Read as "missing" it would be a 404 for an object that is there, or an upload's own object taken for another's.
    const ACCOUNT = "runtime@multicloud-service-dev.iam.gserviceaccount.com";
    const timeouts = { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 4000 };
    let gcs: FakeGcs;
    let proxy: RecordingServer;
    let store: GuardedStore;
    before(async () => {
        gcs = await startFakeGcs([BUCKET]);
        // objects.get without alt=media (the object's resource) refused; uploads and everything else passed on.
        proxy = await recordingServer(async (req, res, body) => {
            if (req.method === "GET" && req.url!.startsWith(`/storage/v1/b/${BUCKET}/o/`) && !req.url!.includes("alt=media")) return forbiddenObjectGet(res, ACCOUNT);
            reply(res, await forward(gcs, req, body));
        });
        store = new GuardedStore(new GcsStore(BUCKET, "events/", { ...gcsOptions(timeouts), apiEndpoint: proxy.url, projectId: "test" }, timeouts));
    });
    after(async () => {
        await proxy?.close();
        await gcs?.close();
    });
    const metadataReads = () => proxy.requests.filter((r) => r.method === "GET" && !r.url.includes("alt=media")).length;
    /** The store's refusal: a permanent StorageError (a 500, not a 404 or a 503) whose cause is GCS's 403. */
    const refused = (err: unknown) => {
        assert.ok(err instanceof StorageError, String(err));
        assert.equal(err.transient, false, "retrying cannot get past a 403");
        assert.equal(storageStatus(err.cause), 403);
        assert.match(err.message, /does not have storage\.objects\.get access/);
        return true;
    };

    it("contentTypeOf rejects with the store's refusal, for an object that is there and one that is not: never 'missing' (undefined)", async () => {
        await store.put("events/there.csv", new TextEncoder().encode("a,b"), "text/csv");
        await assert.rejects(store.contentTypeOf("events/there.csv"), refused);
        await assert.rejects(store.contentTypeOf("events/not-there.csv"), refused);
    });

    it("putIfAbsent whose name is taken (412) and whose upload id it may not read rejects with the store's refusal: never 'name taken' (a rename)", async () => {
        await store.put("events/taken.txt", new TextEncoder().encode("first"), "text/plain");
        const before = metadataReads();
        await assert.rejects(store.putIfAbsent("events/taken.txt", new TextEncoder().encode("second"), "text/plain"), refused);
        assert.equal(metadataReads() - before, 1, "the upload id was asked for once, and the 403 not retried");
        assert.equal(gcs.bucket(BUCKET).get("events/taken.txt")?.bytes.toString("utf8"), "first");
    });
});
