import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { MemoryStore } from "../src/storage";
import { functionUrlEvent, lambdaContext } from "./events";

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
});

describe("the pipeline worker handler (Step Functions input)", () => {
    const env = { STORAGE_BACKEND: "memory", BUCKET_NAME: "pipeline-bucket-abc1234", OBJECT_PREFIX: "input/", LOG_LEVEL: "error" };
    let worker: typeof import("../src/worker");
    const store = new MemoryStore();

    before(async () => {
        worker = await import("../src/worker");
        worker.useStoreForTests(store, env);
        await store.put("input/a.txt", new TextEncoder().encode("hello"), "text/plain");
        await store.put("input/b.json", new TextEncoder().encode('{"x":1}'), "application/json");
        await store.put("input/c.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), "application/octet-stream");
    });

    it("writes results/<key>.json with size, sha256 and detected content type for each key", async () => {
        const out = await worker.handler({ bucket: env.BUCKET_NAME, keys: ["input/a.txt", "input/b.json", "input/c.png"] });
        assert.deepEqual(out.failed, []);
        const a = out.results.find((r) => r.key === "input/a.txt")!;
        assert.deepEqual(a, {
            key: "input/a.txt",
            resultKey: "results/input/a.txt.json",
            bytes: 5,
            sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            contentType: "text/plain; charset=utf-8",
        });
        assert.equal(out.results.find((r) => r.key === "input/b.json")!.contentType, "application/json");
        assert.equal(out.results.find((r) => r.key === "input/c.png")!.contentType, "image/png");
        const stored = await store.get("results/input/a.txt.json");
        assert.deepEqual(JSON.parse(new TextDecoder().decode(stored!.body)), a);
    });

    it("one bad key is reported and does not lose the others", async () => {
        const out = await worker.handler({ bucket: env.BUCKET_NAME, keys: ["input/a.txt", "input/missing.txt", "input/../etc", "results/x.json"] });
        assert.deepEqual(out.results.map((r) => r.key), ["input/a.txt"]);
        assert.deepEqual(out.failed, [
            { key: "input/missing.txt", error: "no such object" },
            { key: "input/../etc", error: "key contains a . or .. segment" },
            { key: "results/x.json", error: "key is outside input/" },
        ]);
    });

    it("running the same batch twice (a Step Functions retry) gives the same results", async () => {
        const input = { bucket: env.BUCKET_NAME, keys: ["input/a.txt", "input/b.json"] };
        const first = await worker.handler(input);
        const firstStored = new TextDecoder().decode((await store.get("results/input/b.json.json"))!.body);
        const second = await worker.handler(input);
        assert.deepEqual(second, first);
        assert.equal(new TextDecoder().decode((await store.get("results/input/b.json.json"))!.body), firstStored);
    });

    it("input that is not {bucket, keys[]}, or another bucket, is refused", async () => {
        await assert.rejects(worker.handler({ keys: ["input/a.txt"] }), /invalid worker input: expected/);
        await assert.rejects(worker.handler({ bucket: "someone-elses", keys: [] }), /is not this pipeline's bucket/);
    });
});
