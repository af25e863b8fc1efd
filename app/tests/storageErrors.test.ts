import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bootstrap } from "../src/bootstrap";
import { MemoryStore, StoredObject } from "../src/storage";
import { GuardedStore } from "../src/storage/guardedStore";
import { StorageError, isTransient } from "../src/storage/storageError";
import { withTimingBounds } from "./timingBounds";

/** A store whose reads fail the way `fail` says (or never answer). */
class BrokenStore extends MemoryStore {
    constructor(private readonly fail: () => Promise<never>) {
        super();
    }
    override get(): Promise<StoredObject | undefined> {
        return this.fail();
    }
}
const sdkError = (name: string, status: number | undefined, message: string) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const appWith = (fail: () => Promise<never>, env: Record<string, string> = {}) => bootstrap("server", { LOG_LEVEL: "error", ...env }, new BrokenStore(fail)).app;

describe("what a failed storage call answers", () => {
    for (const [label, err] of [
        ["a 503 SlowDown after the SDK's retries", sdkError("SlowDown", 503, "Please reduce your request rate.")],
        ["a 500 InternalError", sdkError("InternalError", 500, "We encountered an internal error.")],
        ["a timeout (no answer)", Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" })],
        ["a 429", sdkError("TooManyRequests", 429, "slow down")],
    ] as const) {
        it(`${label}: 503 with Retry-After and a JSON body without the SDK's message`, async () => {
            const res = await appWith(() => Promise.reject(err)).request("/objects/a.txt");
            assert.equal(res.status, 503);
            assert.equal(res.headers.get("retry-after"), "1");
            const text = await res.text();
            assert.deepEqual(JSON.parse(text), { error: "storage unavailable, retry later" });
            assert.ok(!text.includes(err.message));
        });
    }

    it("a real AccessDenied (403 for a key that exists) is a 500 without the SDK's message: retrying cannot help", async () => {
        const res = await appWith(() => Promise.reject(sdkError("AccessDenied", 403, "Access Denied for arn:aws:iam::1:role/x"))).request("/objects/a.txt");
        assert.equal(res.status, 500);
        assert.deepEqual(await res.json(), { error: "storage refused the request" });
    });

    it("a call that never answers is a 503 at STORAGE_DEADLINE_MS, not a hang", withTimingBounds(async (bound) => {
        const started = Date.now();
        const res = await appWith(() => new Promise<never>(() => undefined), { STORAGE_DEADLINE_MS: "200", STORAGE_ATTEMPT_TIMEOUT_MS: "100" }).request("/objects/a.txt");
        const ms = Date.now() - started;
        console.log(`# a call that never answers: 503 after ${ms} ms (STORAGE_DEADLINE_MS 200)`);
        assert.equal(res.status, 503);
        assert.ok(ms >= 190, `answered after ${ms} ms`);
        bound(ms < 700, `answered after ${ms} ms`);
    }));

    it("a call whose deadline has already passed is not sent to the bucket: it fails at once, transient", async () => {
        const inner = new MemoryStore();
        await inner.put("a.txt", new TextEncoder().encode("a"), "text/plain");
        let asked = 0;
        const get = inner.get.bind(inner);
        inner.get = (...args) => (asked++, get(...args));
        const expired = AbortSignal.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
        await assert.rejects(new GuardedStore(inner).get("a.txt", expired), (err) => err instanceof StorageError && err.transient && /deadline exceeded/.test(err.message));
        assert.equal(asked, 0, "the bucket was asked after the deadline");
    });

    it("transient or not: only a 4xx other than 408 and 429 is permanent", () => {
        assert.deepEqual(
            [undefined, 200, 400, 403, 404, 408, 409, 429, 500, 503].map((s) => isTransient(s === undefined ? new Error("reset") : sdkError("E", s, "m"))),
            [true, true, false, false, false, true, false, true, true, true],
        );
        // Google's client libraries, which the AWS SDK's traits do not classify: GCS ApiError.code, gaxios response.status.
        const gcs = (fields: object) => isTransient(Object.assign(new Error("backendError"), fields));
        assert.deepEqual([500, 502, 503].map((code) => gcs({ code })), [true, true, true]);
        // Cloud Storage, "HTTP status and error codes for JSON": 429 Too Many Requests, reason rateLimitExceeded, which
        // the client library retries (@google-cloud/storage src/storage.ts, RETRYABLE_ERR_FN_DEFAULT: 408, 429, 500, 502, 503, 504).
        assert.equal(gcs({ code: 429, errors: [{ reason: "rateLimitExceeded" }] }), true);
        assert.deepEqual([500, 403].map((status) => gcs({ response: { status } })), [true, false]);
    });
});

describe("storage settings", () => {
    it("defaults: 2 s per attempt, 3 attempts, 6 s per request", async () => {
        const { loadSettings } = await import("../src/settings");
        const s = loadSettings("server", {});
        assert.deepEqual([s.STORAGE_ATTEMPT_TIMEOUT_MS, s.STORAGE_MAX_ATTEMPTS, s.STORAGE_DEADLINE_MS], [2000, 3, 6000]);
    });

    it("a deadline shorter than one attempt is refused, naming both", async () => {
        const { loadSettings } = await import("../src/settings");
        assert.throws(() => loadSettings("server", { STORAGE_DEADLINE_MS: "1000", STORAGE_ATTEMPT_TIMEOUT_MS: "2000" }), {
            name: "SettingsError",
            message: /STORAGE_DEADLINE_MS: must be at least STORAGE_ATTEMPT_TIMEOUT_MS \(2000\)/,
        });
    });
});
