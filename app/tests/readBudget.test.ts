import { serve } from "@hono/node-server";
import { Hono } from "hono";
import assert from "node:assert/strict";
import { EventEmitter, once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { bootstrap } from "../src/bootstrap";
import { BodyBudget } from "../src/bodyBudget";
import { readBudget } from "../src/readBudget";
import { ReadAdmission } from "../src/readAdmission";
import { MemoryStore, ObjectStore } from "../src/storage";
import { GcsStore, gcsOptions } from "../src/storage/gcsStore";
import { S3Store, s3ClientConfig } from "../src/storage/s3Store";
import { startFaultProxy } from "./faults/faultProxy";
import { startGcsFaultProxy } from "./faults/gcsFaultProxy";
import { startFakeGcs } from "./gcs/fakeGcs";
import { s3rverClientConfig, startS3rver } from "./s3rver";

// GET /objects/<name> holds the object's bytes against MAX_BODY_BYTES_IN_FLIGHT, the budget request bodies are
// held against: a read is admitted for the object's size (the answer's Content-Length) before its bytes are read,
// refused with the uploads' 503 + Retry-After when they do not fit, and gives them back once answered. The app runs
// in this process on @hono/node-server, as dist/server.js does, so the test watches the budget itself; the store
// reads through a fault proxy that sends bodies at 4 MiB/s, so a 3 MiB read holds its bytes for about 0.75 s.

const MiB = 1024 * 1024;
const OBJECT = Buffer.from(new Uint8Array(3 * MiB).map((_, i) => (i * 7) % 251));
const BYTES_IN_FLIGHT = 7 * MiB;
const GETS = 5;
const ANSWER_BYTES_PER_SECOND = 4 * MiB;
const timeouts = { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 };

interface Backend {
    prefix: string;
    /** The store the service reads through (behind the slow proxy). */
    store: ObjectStore;
    /** A store straight on the stand-in, to write the object with. */
    writer: ObjectStore;
    close(): Promise<void>;
}

/** The budget's highest value while `work` runs, sampled every 2 ms. */
async function peakHeld<T>(budget: BodyBudget, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
    let peak = budget.heldBytes;
    const sampler = setInterval(() => (peak = Math.max(peak, budget.heldBytes)), 2);
    try {
        const result = await work();
        return { result, peak: Math.max(peak, budget.heldBytes) };
    } finally {
        clearInterval(sampler);
    }
}

/** Polls until the budget holds nothing (the last answer's close may come just after its client has read it). */
async function heldAfterAnswers(budget: BodyBudget, withinMs = 2000): Promise<number> {
    const started = Date.now();
    while (budget.heldBytes !== 0 && Date.now() - started < withinMs) await new Promise((r) => setTimeout(r, 10));
    return budget.heldBytes;
}

function readsUnderBudget(name: string, start: () => Promise<Backend>) {
    describe(`object reads hold their bytes against MAX_BODY_BYTES_IN_FLIGHT: ${name}`, () => {
        let backend: Backend;
        let boot: ReturnType<typeof bootstrap>;
        let server: Server;
        let url: string;
        before(async () => {
            backend = await start();
            await backend.writer.put(`${backend.prefix}big.bin`, OBJECT, "application/octet-stream");
            const env = { LOG_LEVEL: "error", OBJECT_PREFIX: backend.prefix, MAX_BODY_BYTES: String(MiB), MAX_BODY_BYTES_IN_FLIGHT: String(BYTES_IN_FLIGHT) };
            boot = bootstrap("server", env, backend.store);
            server = serve({ fetch: boot.app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
            await once(server, "listening");
            url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(async () => {
            server?.closeAllConnections();
            await new Promise((r) => server?.close(r));
            await backend?.close();
        });

        const get = async () => {
            const res = await fetch(`${url}/objects/big.bin`);
            const body = Buffer.from(await res.arrayBuffer());
            return { status: res.status, retryAfter: res.headers.get("retry-after"), body };
        };
        const burst = () => Promise.all(Array.from({ length: GETS }, get));

        it(`${GETS} GETs of a 3 MiB object at once with 7 MiB in flight: two are served, the three that do not fit get 503 with Retry-After`, async () => {
            const answers = await burst();
            assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 503, 503, 503]);
            for (const served of answers.filter((a) => a.status === 200)) assert.ok(served.body.equals(OBJECT), "the object's bytes");
            for (const refused of answers.filter((a) => a.status === 503)) {
                assert.equal(refused.retryAfter, "1");
                assert.deepEqual(JSON.parse(refused.body.toString()), { error: "too many bodies in flight, retry later" });
            }
        });

        it("the bytes held never pass the budget: the two reads served hold 3 MiB each, the refused ones nothing", async () => {
            const { result: answers, peak } = await peakHeld(boot.bodies, burst);
            assert.equal(answers.filter((a) => a.status === 200).length, 2);
            assert.equal(peak, 2 * OBJECT.length, `at most ${peak} bytes held`);
            assert.ok(peak <= BYTES_IN_FLIGHT);
        });

        it("once they are answered the budget is back to 0: a later GET is served, holding 3 MiB while it is sent, then nothing", async () => {
            assert.equal(await heldAfterAnswers(boot.bodies), 0, "nothing held once every answer has been sent");
            const { result: later, peak } = await peakHeld(boot.bodies, get);
            assert.equal(later.status, 200);
            assert.ok(later.body.equals(OBJECT));
            assert.equal(peak, OBJECT.length, "the later read was admitted for its size");
            assert.equal(await heldAfterAnswers(boot.bodies), 0);
        });

        it("a HEAD reads no bytes: answered from the object's metadata, nothing held", async () => {
            const { result: head, peak } = await peakHeld(boot.bodies, () => fetch(`${url}/objects/big.bin`, { method: "HEAD" }));
            assert.equal(head.status, 200);
            assert.equal(head.headers.get("content-type"), "application/octet-stream");
            assert.equal(head.headers.get("content-disposition"), 'attachment; filename="big.bin"');
            assert.equal(peak, 0);
            assert.equal((await fetch(`${url}/objects/none.bin`, { method: "HEAD" })).status, 404);
        });

        it("a client that hangs up while its object is being read leaves nothing held", async () => {
            const hangUp = new AbortController();
            const answer = fetch(`${url}/objects/big.bin`, { signal: hangUp.signal }).catch((err: Error) => err.name);
            await new Promise((r) => setTimeout(r, 200));
            assert.equal(boot.bodies.heldBytes, OBJECT.length, "the read was admitted");
            hangUp.abort();
            assert.equal(await answer, "AbortError");
            assert.equal(await heldAfterAnswers(boot.bodies), 0, "released once the read is over, though no answer was sent");
        });
    });
}

readsUnderBudget("GCS (the stand-in behind the GCS fault proxy)", async () => {
    const gcs = await startFakeGcs(["read-budget"]);
    const proxy = await startGcsFaultProxy(gcs.url);
    proxy.plan({ faults: [], rate: 0, answerBytesPerSecond: ANSWER_BYTES_PER_SECOND });
    const gcsStore = (endpoint: string) => new GcsStore("read-budget", "events/", { ...gcsOptions(timeouts), apiEndpoint: endpoint, projectId: "test" }, timeouts);
    return {
        prefix: "events/",
        store: gcsStore(proxy.url),
        writer: gcsStore(gcs.url),
        close: async () => {
            await proxy.close();
            await gcs.close();
        },
    };
});

readsUnderBudget("S3 (s3rver behind the S3 fault proxy)", async () => {
    const s3 = await startS3rver(["read-budget"]);
    const proxy = await startFaultProxy(s3.endpoint);
    proxy.plan({ faults: [], rate: 0, answerBytesPerSecond: ANSWER_BYTES_PER_SECOND });
    const s3Store = (endpoint: string) => new S3Store("read-budget", "input/", { ...s3ClientConfig(timeouts), ...s3rverClientConfig(endpoint) }, timeouts);
    return {
        prefix: "input/",
        store: s3Store(proxy.url),
        writer: s3Store(s3.endpoint),
        close: async () => {
            await proxy.close();
            await s3.close();
        },
    };
});

describe("when a read gives its bytes back", () => {
    /** An app whose one route admits a 60-byte read of the 100-byte budget, and the admission it used. */
    function appReading60(budget: BodyBudget) {
        const reads = readBudget(budget);
        const app = new Hono();
        let admission: ReadAdmission | undefined;
        app.get("/x", reads.hold, (c) => {
            admission = reads.admission(c);
            assert.ok(admission(60));
            return c.text("ok");
        });
        return { app, admission: () => admission! };
    }

    // @hono/node-server hands the ServerResponse over as env.outgoing; Node emits its "close" once the response is
    // completed or its connection is gone (Node docs, http.ServerResponse "Event: 'close'").
    it("on the Node server, once the response closes (sent, or the client gone), not when the handler returns", async () => {
        const budget = new BodyBudget(100);
        const outgoing = Object.assign(new EventEmitter(), { closed: false });
        await appReading60(budget).app.fetch(new Request("http://service/x"), { outgoing });
        assert.equal(budget.heldBytes, 60, "held while Node still sends the answer");
        outgoing.emit("close");
        assert.equal(budget.heldBytes, 0);
    });

    it("a read still running after that holds nothing more: its admission refuses, even bytes it was admitted for", async () => {
        const budget = new BodyBudget(100);
        const reading = appReading60(budget);
        await reading.app.request("/x");
        assert.equal(budget.heldBytes, 0);
        assert.equal(reading.admission()(60), false);
        assert.equal(reading.admission()(80), false);
        assert.equal(budget.heldBytes, 0);
    });
});

// The service's own uploads always fit (MAX_BODY_BYTES <= MAX_BODY_BYTES_IN_FLIGHT), but the bucket may hold larger
// objects written another way: "retry later" would be a lie that clients follow for ever.
it("an object larger than all the bytes the service may hold is a 500 naming both sizes, without Retry-After", async () => {
    const store = new MemoryStore();
    await store.put("objects/huge.bin", new Uint8Array(200), "application/octet-stream");
    const boot = bootstrap("server", { LOG_LEVEL: "error", MAX_BODY_BYTES: "100", MAX_BODY_BYTES_IN_FLIGHT: "100" }, store);
    const res = await boot.app.request("/objects/huge.bin");
    assert.equal(res.status, 500);
    assert.equal(res.headers.get("retry-after"), null);
    assert.deepEqual(await res.json(), { error: "the object is 200 bytes, more than this service holds at once (100, MAX_BODY_BYTES_IN_FLIGHT)" });
    assert.equal(boot.bodies.heldBytes, 0);
});
