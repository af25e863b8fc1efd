import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { READY_CACHE_MS } from "../src/app";
import { FAULT_DEADLINE_MS } from "./faults/faultEnv";
import { GcsFault, GcsFaultProxy, startGcsFaultProxy } from "./faults/gcsFaultProxy";
import { UploadOutcome, runUploads, slowAnswerContext, summarize } from "./faults/uploadLoad";
import { FakeGcs, fakeGcsServiceEnv, startFakeGcs } from "./gcs/fakeGcs";
import { RunningServer, readyWhen, startServer } from "./helpers";
import { withTimingBounds } from "./timingBounds";

// The fault suite's 503 and timeout rows on GCS: the built server on the GCS stand-in behind a proxy that
// answers 503 or stalls. As on S3 (faults.test.ts): every 2xx stored and readable, every other answer a 503
// with a JSON body and Retry-After, none later than the storage deadline plus a margin for a loaded machine.

const BUCKET = "gcs-fault-bucket";
const PREFIX = "events/";
const DEADLINE_MS = FAULT_DEADLINE_MS;
const MARGIN_MS = 600;
const READY_WITHIN_MS = READY_CACHE_MS + DEADLINE_MS + 1000;
const UPLOADS = Number(process.env.FAULT_UPLOADS ?? 50);
const CONNECTIONS = 20;

const env = (url: string) => ({
    ...fakeGcsServiceEnv(url, BUCKET),
    STORAGE_ATTEMPT_TIMEOUT_MS: "300",
    STORAGE_MAX_ATTEMPTS: "3",
    STORAGE_DEADLINE_MS: String(DEADLINE_MS),
});

const cleanRefusal = (o: UploadOutcome) =>
    o.status === 503 && o.retryAfter === "1" && typeof (o.errorBody as { error?: unknown } | undefined)?.error === "string";

describe("uploads through a faulty GCS (the stand-in behind a fault proxy)", () => {
    let gcs: FakeGcs;
    let proxy: GcsFaultProxy;
    let server: RunningServer;
    /** The last test's own server (a crash it looks for must not take the shared one down), started beside it. */
    let own: RunningServer;
    before(async () => {
        gcs = await startFakeGcs([BUCKET]);
        proxy = await startGcsFaultProxy(gcs.url, 13);
        [server, own] = await Promise.all([startServer(env(proxy.url)), startServer(env(proxy.url))]);
    });
    after(async () => {
        await own?.stop();
        await server?.stop();
        await proxy?.close();
        await gcs?.close();
    });

    /** Acknowledged uploads not in the bucket with exactly the body sent, read straight from the stand-in. */
    const acknowledgedButLost = (outcomes: UploadOutcome[]) =>
        outcomes.filter((o) => o.storedAs !== undefined && gcs.bucket(BUCKET).get(`${PREFIX}${o.storedAs}`)?.bytes.toString("utf8") !== o.body);

    const rows: [label: string, faults: GcsFault[]][] = [
        ["503", ["error503"]],
        ["stalls", ["stall", "stall-after-store"]],
        ["resets", ["reset-after-store"]],
    ];
    for (const [label, faults] of rows) {
        it(`${label} (${faults.join(", ")}): ${UPLOADS} uploads at ${CONNECTIONS} connections, 10 % of calls faulted, 0 acknowledged-but-lost`, withTimingBounds(async (bound) => {
            proxy.plan({ faults, rate: 0.1 });
            const before = { ...proxy.stats.faulted };
            const outcomes = await runUploads({ url: server.url, count: UPLOADS, concurrency: CONNECTIONS, label: `gcs-${label}` });
            proxy.plan({ faults: [], rate: 0 });
            const faulted = faults.reduce((n, f) => n + (proxy.stats.faulted[f] ?? 0) - (before[f] ?? 0), 0);
            const s = summarize(outcomes);
            console.log(`# gcs ${label}: ${JSON.stringify({ ...s, faultedCalls: faulted, p99Ms: Math.round(s.p99Ms), maxMs: Math.round(s.maxMs) })}`);
            assert.ok(faulted > 0, "the proxy faulted some calls");
            assert.equal(s.resets, 0, "the service answered every request");
            assert.ok(s.acknowledged > 0, "some uploads got through");
            assert.deepEqual(outcomes.filter((o) => o.storedAs === undefined && !cleanRefusal(o)).slice(0, 3), [], "every non-2xx is a 503 with a JSON error body and Retry-After");
            bound(s.maxMs < DEADLINE_MS + MARGIN_MS, `slowest answer ${Math.round(s.maxMs)} ms, deadline ${DEADLINE_MS} ms; ${slowAnswerContext(s)}`);
            assert.deepEqual(acknowledgedButLost(outcomes), [], "acknowledged-but-lost");
            assert.equal(s.renamed, 0, "no upload stored twice under two names (every upload has a name of its own)");
        }));
    }

    it("every call answered 503 or stalled (in turn): uploads, listings and bulk checks are 503 with Retry-After within the deadline, /ready 503, then 200 once GCS answers", withTimingBounds(async (bound) => {
        proxy.plan({ faults: ["error503", "stall"], rate: 1 });
        try {
            const calls = [
                ["PUT", "/objects/outage.txt", "during the outage"],
                ["GET", "/objects/outage.txt", undefined],
                ["GET", "/objects", undefined],
                ["POST", "/objects/exists", JSON.stringify({ names: ["outage.txt"] })],
            ] as const;
            await Promise.all(
                calls.map(async ([method, path, body]) => {
                    const started = performance.now();
                    const res = await fetch(`${server.url}${path}`, { method, body, headers: method === "POST" ? { "content-type": "application/json" } : undefined });
                    const ms = performance.now() - started;
                    console.log(`# gcs outage: ${method} ${path} answered after ${Math.round(ms)} ms`);
                    assert.equal(res.status, 503, `${method} ${path}: ${await res.clone().text()}`);
                    assert.equal(res.headers.get("retry-after"), "1");
                    assert.deepEqual(await res.json(), { error: "storage unavailable, retry later" });
                    bound(ms < DEADLINE_MS + MARGIN_MS, `${method} ${path} answered after ${Math.round(ms)} ms, deadline ${DEADLINE_MS} ms`);
                }),
            );
            await readyWhen(server.url, (status) => status === 503, READY_WITHIN_MS);
        } finally {
            proxy.plan({ faults: [], rate: 0 });
        }
        await readyWhen(server.url, (status) => status === 200, READY_WITHIN_MS);
    }));

    it("a read of one object while GCS answers 503 is a 503, and the server lives on", async () => {
        try {
            proxy.plan({ faults: ["error503"], rate: 1 });
            const res = await fetch(`${own.url}/objects/outage.txt`);
            assert.equal(res.status, 503);
            proxy.plan({ faults: [], rate: 0 });
            assert.equal((await fetch(`${own.url}/health`)).status, 200, own.output());
        } finally {
            proxy.plan({ faults: [], rate: 0 });
            await own.stop();
        }
    });
});
