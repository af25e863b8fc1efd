import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { GcsStore, gcsOptions } from "../src/storage/gcsStore";
import { S3Store, s3ClientConfig } from "../src/storage/s3Store";
import { StorageTimeouts } from "../src/storage/storageTimeouts";
import { gcsError } from "./gcs/gcsErrors";
import { RecordingServer, recordingServer } from "./recordingServer";
import { s3rverClientConfig } from "./s3rver";
import { settledWithin } from "./settledWithin";
import { withTimingBounds } from "./timingBounds";

// The stores' own bounds, one level below GuardedStore: the guard answers the client by the deadline whatever the SDK
// does, so removing one of these bounds changes no answer the service gives; here each one is seen by itself.

/** The S3 store as createStore builds it: s3ClientConfig's timeouts and retries, and the timeouts for its writes. */
const s3Store = (url: string, t: StorageTimeouts) => new S3Store("timeouts-bucket", "input/", { ...s3rverClientConfig(url), ...s3ClientConfig(t) }, t);

describe("S3Store: a write attempt ends at its own timeout, not at the writer client's (the deadline)", () => {
    let s3: RecordingServer;
    let puts: number;
    before(async () => {
        s3 = await recordingServer((req, res) => {
            if (req.method !== "PUT") return res.writeHead(400).end();
            // The first attempt gets no answer (a connection gone silent); the retry is stored: PutObject answers 200
            // with the object's ETag and no body (S3 API Reference, PutObject, response syntax).
            if (++puts === 1) return;
            res.writeHead(200, { etag: '"0cc175b9c0f1b6a831c399e269772661"' }).end();
        });
    });
    after(async () => s3.close());
    beforeEach(() => (puts = 0));

    const writes: [string, (store: S3Store, body: Uint8Array) => Promise<unknown>][] = [
        ["put", (store, body) => store.put("input/a.txt", body, "text/plain")],
        ["putIfAbsent", (store, body) => store.putIfAbsent("input/a.txt", body, "text/plain")],
    ];
    for (const [write, call] of writes) {
        it(`${write}: the silent first attempt is cut after STORAGE_ATTEMPT_TIMEOUT_MS plus its body's time, and the retry stores it`, withTimingBounds(async (bound) => {
            // A deadline far beyond the attempt: a first attempt left to the writer client's requestTimeout is still waiting at 10 s.
            const t = { attemptTimeoutMs: 300, maxAttempts: 2, deadlineMs: 60_000 };
            const started = performance.now();
            const outcome = await settledWithin(call(s3Store(s3.url, t), new TextEncoder().encode("a")), 10_000);
            const ms = performance.now() - started;
            assert.notEqual(outcome, "pending", "the write was still waiting on its first attempt after 10 s");
            assert.ok(!("error" in (outcome as object)), `the write failed: ${(outcome as { error?: Error }).error}`);
            assert.equal(puts, 2, "the first attempt was cut and retried");
            bound(ms < 2000, `stored after ${ms.toFixed(0)} ms, the attempt timeout ${t.attemptTimeoutMs} ms`);
        }));
    }
});

describe("S3Store.get: the caller's signal ends a GET that gets no answer", () => {
    let s3: RecordingServer;
    before(async () => {
        s3 = await recordingServer(() => undefined); // never answers
    });
    after(async () => s3.close());

    it("ends when the signal fires, not after STORAGE_MAX_ATTEMPTS attempts of STORAGE_ATTEMPT_TIMEOUT_MS", withTimingBounds(async (bound) => {
        const t = { attemptTimeoutMs: 3000, maxAttempts: 3, deadlineMs: 9000 };
        const started = performance.now();
        const outcome = await settledWithin(s3Store(s3.url, t).get("input/a.txt", AbortSignal.timeout(200)), t.attemptTimeoutMs * t.maxAttempts + 2000);
        const ms = performance.now() - started;
        assert.ok(outcome !== "pending" && "error" in outcome, `the GET ${outcome === "pending" ? "was still waiting" : "returned"}`);
        bound(ms < t.attemptTimeoutMs / 2, `the GET ended after ${ms.toFixed(0)} ms, its signal fired at 200 ms`);
        assert.equal(s3.requests.length, 1, "no retry after the caller gave up");
    }));
});

// gcsOptions' totalTimeout is the deadline: the SDK (retry-request 7.0.2, getNextRetryDelay) shortens each wait to what
// is left of it and sends nothing once it has passed. It then never calls back either (retryAfterDelay returns when the
// next delay is <= 0): the call stays pending, and only the guard's deadline ends it for the request.
describe("GcsStore: no request to GCS after STORAGE_DEADLINE_MS (gcsOptions' totalTimeout)", () => {
    let gcs: RecordingServer;
    const sentAt: number[] = [];
    before(async () => {
        gcs = await recordingServer((_req, res) => {
            sentAt.push(performance.now());
            // 503 backendError "Backend Error" (Cloud Storage, "HTTP status and error codes for JSON", 503 Service Unavailable).
            gcsError(res, 503, "backendError", "Backend Error");
        });
    });
    after(async () => gcs.close());

    it("a check answered 503 again and again is retried until the deadline, and never after it", withTimingBounds(async (bound) => {
        // Ten attempts a retry delay of at most 0.2 s apart would take 2 s: the deadline, 1 s, comes first.
        const t = { attemptTimeoutMs: 200, maxAttempts: 10, deadlineMs: 1000 };
        const store = new GcsStore("b", "input/", { ...gcsOptions(t), apiEndpoint: gcs.url, projectId: "test" }, t);
        const started = performance.now();
        // Half a second past the deadline shows any request after it (the retry delays are at most 0.2 s).
        await settledWithin(store.exists("input/a.txt"), t.deadlineMs + 500);
        const after = sentAt.map((at) => Math.round(at - started));
        assert.ok(after.length >= 3, `retried within the deadline: requests at ${after.join(", ")} ms`);
        assert.ok(after.length < t.maxAttempts, `stopped before STORAGE_MAX_ATTEMPTS: requests at ${after.join(", ")} ms`);
        // Each wait is 0.2 s (maxRetryDelay) or what is left of the deadline if less, and none once it has passed
        // (getNextRetryDelay): five waits at most, six requests, however late the timers run. Without the deadline, more.
        const mostWithinDeadline = 1 + t.deadlineMs / t.attemptTimeoutMs;
        assert.ok(after.length <= mostWithinDeadline, `at most ${mostWithinDeadline} requests fit the deadline: requests at ${after.join(", ")} ms`);
        bound(after.every((ms) => ms < t.deadlineMs + 100), `requests at ${after.join(", ")} ms, the deadline at ${t.deadlineMs} ms`);
    }));
});
