import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import { LAMBDA_API_MAX_BODY_BYTES } from "../src/bodyLimits";
import { MemoryStore, StoredObject } from "../src/storage";
import { WAKE_UP_EVENT } from "../src/pipelineRun";
import { WORKER_ERRORS } from "../src/workerErrorNames";
import { functionUrlEvent, lambdaContext } from "./events";
import { settledWithin } from "./settledWithin";

describe("the Lambda HTTP API handler (Function URL, payload 2.0)", () => {
    let handler: (event: any, context: any) => Promise<any>;
    before(async () => {
        Object.assign(process.env, { STORAGE_BACKEND: "memory", LOG_LEVEL: "error", APP_VERSION: "9.9.9" });
        handler = (await import("../src/api")).handler as typeof handler;
    });

    it("GET /health", async () => {
        const res = await handler(functionUrlEvent("GET", "/health"), lambdaContext);
        assert.equal(res.statusCode, 200);
        assert.equal(JSON.parse(res.body).version, "9.9.9");
    });

    it("PUT then GET an object, with the same routes as Cloud Run", async () => {
        const put = await handler(functionUrlEvent("PUT", "/objects/notes.txt", "hello lambda", { "content-type": "text/plain" }), lambdaContext);
        assert.equal(put.statusCode, 201);
        assert.deepEqual(JSON.parse(put.body), { name: "notes.txt", renamed: false, bytes: 12 });
        const get = await handler(functionUrlEvent("GET", "/objects/notes.txt"), lambdaContext);
        assert.equal(get.statusCode, 200);
        const body = get.isBase64Encoded ? Buffer.from(get.body, "base64").toString() : get.body;
        assert.equal(body, "hello lambda");
    });

    it("unknown routes 404 and bad names 400", async () => {
        assert.equal((await handler(functionUrlEvent("GET", "/nope"), lambdaContext)).statusCode, 404);
        assert.equal((await handler(functionUrlEvent("PUT", "/objects/a%01b", "x"), lambdaContext)).statusCode, 400);
    });

    it("a text body sent as plain text (isBase64Encoded false, as Lambda sends text) is stored byte for byte", async () => {
        for (const [name, body, contentType] of [
            ["plain-utf8.txt", "héllo ✓ 日本", "text/plain; charset=utf-8"],
            ["plain.json", JSON.stringify({ greeting: "héllo ✓ 日本", n: 1 }), "application/json"],
        ]) {
            const event = functionUrlEvent("PUT", `/objects/${name}`, body, { "content-type": contentType }, "text");
            assert.equal(event.isBase64Encoded, false);
            assert.equal(event.body, body);
            const put = await handler(event, lambdaContext);
            assert.equal(put.statusCode, 201, put.body);
            const expected = Buffer.from(body, "utf8");
            assert.equal(JSON.parse(put.body).bytes, expected.byteLength);
            const get = await handler(functionUrlEvent("GET", `/objects/${name}`), lambdaContext);
            assert.equal(get.statusCode, 200);
            const stored = Buffer.from(get.body, get.isBase64Encoded ? "base64" : "utf8");
            assert.deepEqual(stored, expected, `${name}: ${stored.toString("hex")} != ${expected.toString("hex")}`);
        }
    });

    it("a binary body of exactly 4 MiB (base64 in the event, ~5.6 MB) is accepted", async () => {
        const body = new Uint8Array(LAMBDA_API_MAX_BODY_BYTES).fill(0xff);
        const res = await handler(functionUrlEvent("PUT", "/objects/four-mib.bin", body, { "content-type": "application/octet-stream" }), lambdaContext);
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(JSON.parse(res.body).bytes, 4_194_304);
    });

    it("a body over 4 MiB is 413 with a JSON error naming the limit (MAX_BODY_BYTES defaults to 4 MiB on Lambda)", async () => {
        const body = new Uint8Array(LAMBDA_API_MAX_BODY_BYTES + 1).fill(0xff);
        const res = await handler(functionUrlEvent("PUT", "/objects/too-big.bin", body, { "content-type": "application/octet-stream" }), lambdaContext);
        assert.equal(res.statusCode, 413);
        assert.deepEqual(JSON.parse(res.body), { error: "body larger than 4194304 bytes" });
        assert.equal((await handler(functionUrlEvent("GET", "/objects/too-big.bin"), lambdaContext)).statusCode, 404, "nothing was stored");
    });
});

/** A store whose reads or writes fail as an unreachable bucket would. */
class FailingStore extends MemoryStore {
    constructor(private readonly failing: "get" | "put") {
        super();
    }
    override async get(key: string): Promise<StoredObject | undefined> {
        if (this.failing === "get") throw Object.assign(new Error("connect ECONNREFUSED"), { name: "TimeoutError" });
        return super.get(key);
    }
    override async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
        if (this.failing === "put" && key.startsWith("results/")) throw Object.assign(new Error("Please reduce your request rate."), { name: "SlowDown" });
        return super.put(key, body, contentType);
    }
}

/** A bucket that takes a request and never answers it. */
class SilentStore extends MemoryStore {
    override get(): Promise<StoredObject | undefined> {
        return new Promise(() => undefined);
    }
}

describe("the pipeline worker handler (one key per Step Functions Map iteration)", () => {
    const env = { STORAGE_BACKEND: "memory", BUCKET_NAME: "pipeline-bucket-abc1234", OBJECT_PREFIX: "input/", LOG_LEVEL: "error" };
    const invoke = async (key: string) => (await worker.handler({ bucket: env.BUCKET_NAME, keys: [key] })) as import("../src/worker").WorkerOutput;
    /** The result the worker writes for `key` (results/<key>.json), parsed. */
    const resultOf = async (key: string) => JSON.parse(new TextDecoder().decode((await store.get((await invoke(key)).resultKey))!.body));
    let worker: typeof import("../src/worker");
    const store = new MemoryStore();

    before(async () => {
        worker = await import("../src/worker");
        await store.put("input/a.txt", new TextEncoder().encode("hello"), "text/plain");
        await store.put("input/b.json", new TextEncoder().encode('{"x":1}'), "application/json");
        await store.put("input/c.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), "application/octet-stream");
    });
    beforeEach(() => worker.useStoreForTests(store, env));

    it("writes results/<key>.json with size, sha256 and detected content type, and returns only {key, resultKey}", async () => {
        assert.deepEqual(await invoke("input/a.txt"), { key: "input/a.txt", resultKey: "results/input/a.txt.json" });
        const stored = await store.get("results/input/a.txt.json");
        assert.deepEqual(JSON.parse(new TextDecoder().decode(stored!.body)), {
            key: "input/a.txt",
            resultKey: "results/input/a.txt.json",
            bytes: 5,
            sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            contentType: "text/plain; charset=utf-8",
        });
        for (const [key, contentType] of [["input/b.json", "application/json"], ["input/c.png", "image/png"]]) {
            assert.equal((await resultOf(key)).contentType, contentType);
        }
    });

    // Before: file-type threw "End-Of-Stream" on these, and the worker failed with a plain Error, which the state
    // machine does not retry and its Catch answers by failing the whole batch.
    it("bytes that begin like a known format and end too soon are undetected, not the worker's failure", async () => {
        for (const [key, bytes, contentType] of [
            ["input/id3", [0x49, 0x44, 0x33], "text/plain; charset=utf-8"], // "ID3": an MP3 tag's start, and text
            ["input/png-signature-only", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "application/octet-stream"],
            ["input/tiff-header", [0x49, 0x49, 0x2a, 0x00, 0x08], "application/octet-stream"],
        ] as const) {
            await store.put(key, Uint8Array.from(bytes), "application/octet-stream");
            assert.equal((await resultOf(key)).contentType, contentType, key);
        }
    });

    it("JSON is the whole object's verdict: an object over 64 KiB whose first 64 KiB parse as JSON, and the rest does not, is text", async () => {
        const document = `{"padding":"${"x".repeat(64 * 1024 - 14)}"}`; // exactly 64 KiB of JSON
        assert.equal(document.length, 64 * 1024);
        await store.put("input/json-then-text.txt", new TextEncoder().encode(`${document}\nand then some text`), "application/octet-stream");
        assert.equal((await resultOf("input/json-then-text.txt")).contentType, "text/plain; charset=utf-8");
    });

    // Only the first 64 KiB is decoded, and that cut can fall inside a character (UTF-8 takes 1 to 4 bytes for one). A
    // decoder told more will follow ({ stream: true }, WHATWG Encoding Standard, TextDecoder decode()) keeps an unfinished
    // character back instead of calling it an error, as `fatal` does at the end of the input.
    it("UTF-8 text over 64 KiB is text whichever character the first 64 KiB ends in", async () => {
        for (const [key, text] of [
            ["input/kana.txt", "あ".repeat(30_000)], // 3 bytes each: 65,536 bytes end one byte into a character
            ["input/kana-shifted.txt", `a${"あ".repeat(30_000)}`], // ... and here at a character's end
        ] as const) {
            await store.put(key, new TextEncoder().encode(text), "application/octet-stream");
            assert.equal((await resultOf(key)).contentType, "text/plain; charset=utf-8", key);
        }
    });

    for (const [label, key, message] of [
        ["no such object", "input/missing.txt", /"input\/missing.txt": no such object/],
        ["a .. segment", "input/../etc", /"input\/..\/etc" contains a . or .. segment/],
        ["a . segment", "input/./etc", /"input\/.\/etc" contains a . or .. segment/],
        ["a key outside the input prefix", "results/x.json", /"results\/x.json" is outside input\//],
    ] as const) {
        it(`${label} throws ${WORKER_ERRORS.keyRejected} (permanent: the state machine does not retry it)`, async () => {
            await assert.rejects(invoke(key), { name: "KeyRejected", message });
        });
    }

    it(`a storage error while reading throws ${WORKER_ERRORS.storageUnavailable} (transient: retried)`, async () => {
        worker.useStoreForTests(new FailingStore("get"), env);
        await assert.rejects(invoke("input/a.txt"), { name: "StorageUnavailable", message: /reading input\/a.txt: connect ECONNREFUSED/ });
    });

    // A bucket that never answers (a GCS call past its totalTimeout never settles, see storeTimeouts.test.ts): only the
    // key's own deadline ends it, well inside the function's timeout, as a transient failure the state machine retries.
    it(`a read that never ends throws ${WORKER_ERRORS.storageUnavailable} at STORAGE_DEADLINE_MS, not sooner and not never`, async () => {
        const deadlineMs = 400;
        worker.useStoreForTests(new SilentStore(), { ...env, STORAGE_ATTEMPT_TIMEOUT_MS: "100", STORAGE_DEADLINE_MS: String(deadlineMs) });
        const started = performance.now();
        // Far past the deadline, as this file runs at the lowest priority beside the other tests: "never" is what it catches.
        const outcome = await settledWithin(invoke("input/a.txt"), 20_000);
        const ms = performance.now() - started;
        assert.notEqual(outcome, "pending", "the key was still waiting on storage after 20 s");
        assert.ok(outcome !== "pending" && "error" in outcome, "the key was processed");
        assert.match(`${outcome.error.name}: ${outcome.error.message}`, /^StorageUnavailable: storage unavailable while reading input\/a.txt: reading input\/a.txt: deadline exceeded/);
        // AbortSignal.timeout never fires early: sooner means another bound (the attempt timeout) cut the key.
        assert.ok(ms >= deadlineMs - 5, `ended after ${ms.toFixed(0)} ms, before STORAGE_DEADLINE_MS (${deadlineMs} ms)`);
    });

    it(`a storage error while writing the result throws ${WORKER_ERRORS.storageUnavailable}`, async () => {
        const failing = new FailingStore("put");
        await failing.put("input/a.txt", new TextEncoder().encode("hello"), "text/plain");
        worker.useStoreForTests(failing, env);
        await assert.rejects(invoke("input/a.txt"), { name: "StorageUnavailable", message: /writing results\/input\/a.txt.json: Please reduce/ });
    });

    // The bucket takes any upload, so an object under input/ may be larger than the function's memory: the worker,
    // which holds an object whole to hash it, ran out of memory (Lambda.Unknown to Step Functions), which the state
    // machine does not retry, and the batch failed without naming the key.
    it(`an object over half the function's memory is ${WORKER_ERRORS.keyRejected}, named with its size, before its bytes are held`, async () => {
        const memory = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
        process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = "1"; // MB, as Lambda sets it: the worker then holds at most 524,288 bytes
        try {
            await store.put("input/large.bin", new Uint8Array(524_289), "application/octet-stream");
            await assert.rejects(invoke("input/large.bin"), {
                name: "KeyRejected",
                message: 'key "input/large.bin" is 524289 bytes, more than the worker holds (524288 bytes, half of its 1 MB)',
            });
            await store.put("input/fits.bin", new Uint8Array(524_288), "application/octet-stream");
            assert.equal((await resultOf("input/fits.bin")).bytes, 524_288);
        } finally {
            if (memory === undefined) delete process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
            else process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = memory;
        }
    });

    it("running the same key twice (a Step Functions retry) gives the same result", async () => {
        const first = await invoke("input/b.json");
        const firstStored = new TextDecoder().decode((await store.get("results/input/b.json.json"))!.body);
        assert.deepEqual(await invoke("input/b.json"), first);
        assert.equal(new TextDecoder().decode((await store.get("results/input/b.json.json"))!.body), firstStored);
    });

    // The state machine's first call of a run (components/aws/stateMachineDefinition.ts, WakeWorker): answered at once,
    // with no storage call and nothing logged, so it counts in no error metric or alarm.
    it("the state machine's wake-up call is answered at once, without storage and without a failure", async () => {
        worker.useStoreForTests(new FailingStore("get"), env);
        assert.deepEqual(await worker.handler({ ...WAKE_UP_EVENT }), { awake: true });
        await assert.rejects(worker.handler({ ...WAKE_UP_EVENT, keys: ["input/a.txt"] }), { name: "KeyRejected" }, "a wake-up with keys is not one");
    });

    it("input that is not {bucket, keys: [one key]}, or another bucket, is KeyRejected", async () => {
        for (const event of [{ keys: ["input/a.txt"] }, { bucket: env.BUCKET_NAME, keys: [] }, { bucket: env.BUCKET_NAME, keys: ["input/a.txt", "input/b.json"] }, { bucket: env.BUCKET_NAME, keys: [7] }, null]) {
            await assert.rejects(worker.handler(event), { name: "KeyRejected", message: /invalid worker input: expected/ }, JSON.stringify(event));
        }
        await assert.rejects(worker.handler({ bucket: "someone-elses", keys: ["input/a.txt"] }), { name: "KeyRejected", message: /is not this pipeline's bucket/ });
    });
});
