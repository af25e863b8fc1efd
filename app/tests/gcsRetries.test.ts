import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GcsStore, gcsOptions } from "../src/storage/gcsStore";
import { FakeGcs, startFakeGcs } from "./gcs/fakeGcs";
import { gcsError } from "./gcs/gcsErrors";
import { RecordingServer, recordingServer } from "./recordingServer";
import { withTimingBounds } from "./timingBounds";

// No GCS emulator installs here: a loopback stand-in for the JSON API shows that the SDK itself applies the
// STORAGE_* settings (attempts, per-attempt timeout), which gcsOptions turns into @google-cloud/storage options.

const timeouts = { attemptTimeoutMs: 100, maxAttempts: 3, deadlineMs: 2000 };

describe("GCS: retries and timeouts from the SDK (gcsOptions)", () => {
    let failing: RecordingServer;
    let stalled: RecordingServer;
    before(async () => {
        failing = await recordingServer((_req, res) => {
            // 503 backendError "Backend Error" (Cloud Storage, "HTTP status and error codes for JSON", 503 Service Unavailable).
            gcsError(res, 503, "backendError", "Backend Error");
        });
        stalled = await recordingServer(() => undefined); // never answers
    });
    after(async () => {
        await failing.close();
        await stalled.close();
    });

    it("a listing answered 503 is tried STORAGE_MAX_ATTEMPTS times, then fails with the 503", async () => {
        const store = new GcsStore("b", "events/", { ...gcsOptions(timeouts), apiEndpoint: failing.url, projectId: "test" });
        await assert.rejects(store.ping(), (err: { code?: number }) => err.code === 503);
        assert.equal(failing.requests.length, 3);
    });

    it("a store made without the service's settings reads with the settings' default attempts: a download answered 503 is tried 3 times", async () => {
        const { loadSettings } = await import("../src/settings");
        const defaults = loadSettings("server", {});
        const store = new GcsStore("b", "events/", { apiEndpoint: failing.url, projectId: "test" });
        const before = failing.requests.length;
        await assert.rejects(store.get("events/a.txt"), (err: { code?: number }) => err.code === 503);
        assert.equal(failing.requests.length - before, defaults.STORAGE_MAX_ATTEMPTS);
        assert.equal(defaults.STORAGE_MAX_ATTEMPTS, 3);
    });

    it("an attempt that gets no answer ends at STORAGE_ATTEMPT_TIMEOUT_MS and is retried; the call ends before STORAGE_DEADLINE_MS", withTimingBounds(async (bound) => {
        const store = new GcsStore("b", "events/", { ...gcsOptions(timeouts), apiEndpoint: stalled.url, projectId: "test" });
        const started = Date.now();
        await assert.rejects(store.ping());
        const ms = Date.now() - started;
        console.log(`# stalled listing: gave up after ${ms} ms (STORAGE_DEADLINE_MS ${timeouts.deadlineMs})`);
        bound(ms < timeouts.deadlineMs + 500, `gave up after ${ms} ms`);
        // Three stalled attempts within the deadline: each one was cut at its own timeout.
        assert.equal(stalled.requests.length, timeouts.maxAttempts);
    }));

    it("an upload is sent with an attempt timeout under 1 s (file.save's retry used to refuse it: minTimeout is greater than maxTimeout)", async () => {
        const gcs: FakeGcs = await startFakeGcs(["short-attempts"]);
        try {
            const store = new GcsStore("short-attempts", "events/", { ...gcsOptions(timeouts), apiEndpoint: gcs.url, projectId: "test" }, timeouts);
            assert.equal(await store.putIfAbsent("events/a.txt", new TextEncoder().encode("a"), "text/plain"), true);
            await store.put("events/b.txt", new TextEncoder().encode("b"), "text/plain");
            assert.deepEqual([...gcs.bucket("short-attempts").keys()], ["events/a.txt", "events/b.txt"]);
        } finally {
            await gcs.close();
        }
    });
});
