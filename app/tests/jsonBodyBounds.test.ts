import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_BULK_NAMES } from "../src/app";
import { bootstrap } from "../src/bootstrap";
import { RouteBodyBound, bulkCheckBodyBound, runBodyBound } from "../src/jsonBodyBounds";
import { maxStoredNameBytes } from "../src/objectNames";
import { MAX_EXECUTION_INPUT_BYTES, MAX_RUN_KEYS, executionInput } from "../src/pipelineRun";
import { MemoryStore } from "../src/storage";
import { acceptingStepFunctions } from "./acceptingStepFunctions";
import { RecordingServer } from "./recordingServer";

// A JSON route reads no more than its largest valid body: the largest one a client can send (most entries, longest
// names, every character \u-escaped, pretty-printed) is taken, and a byte past the bound is 413 before any parsing.

const MiB = 1024 * 1024;
const BUCKET = "pipeline-bucket-abc1234";
const PREFIX = "input/";
const env = { STORAGE_BACKEND: "memory", BUCKET_NAME: BUCKET, OBJECT_PREFIX: PREFIX, MAX_BODY_BYTES: String(32 * MiB), STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline", LOG_LEVEL: "error" };

/** Every character as `\uXXXX`: the most bytes JSON spends on an ASCII name. */
const escapedEvery = (name: string) => [...name].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

/** `{"<field>": [...]}` as JSON.stringify(value, null, 10) lays it out with CRLF lines, every character escaped, padded with spaces to `bytes`. */
function worstBody(field: string, names: string[], bytes: number): Buffer {
    const entries = names.map((n) => `${" ".repeat(20)}"${escapedEvery(n)}"`).join(",\r\n");
    const body = `{\r\n${" ".repeat(10)}"${field}": [\r\n${entries}\r\n${" ".repeat(10)}]\r\n`;
    const padding = bytes - Buffer.byteLength(body) - 1;
    assert.ok(padding >= 0, `the largest valid body (${Buffer.byteLength(body) + 1} bytes) is within the bound (${bytes})`);
    return Buffer.from(`${body}${" ".repeat(padding)}}`);
}

/** Bytes past the bound that are not JSON: a 400 "body is not valid JSON" would mean they were parsed. */
const notJson = (bytes: number) => Buffer.alloc(bytes, "x");

/** A body sent without a Content-Length, in 64 KiB chunks. */
function chunked(body: Buffer): ReadableStream<Uint8Array> {
    let offset = 0;
    return new ReadableStream({
        pull(controller) {
            controller.enqueue(body.subarray(offset, offset + 64 * 1024));
            offset += 64 * 1024;
            if (offset >= body.byteLength) controller.close();
        },
    });
}

describe("the JSON routes read no more than their largest valid body (MAX_BODY_BYTES 32 MiB)", () => {
    let sfn: RecordingServer;
    let app: ReturnType<typeof bootstrap>["app"];
    const post = (path: string, body: Buffer, declared = true) =>
        app.request(path, { method: "POST", body: declared ? body : chunked(body), headers: declared ? { "content-length": String(body.byteLength) } : {}, duplex: "half" } as RequestInit);
    const refusal = (bound: RouteBodyBound) => ({ error: `body larger than ${bound.bytes} bytes, ${bound.of}` });

    before(async () => {
        sfn = await acceptingStepFunctions();
        app = bootstrap("server", env, new MemoryStore()).app;
    });
    after(async () => sfn.close());

    describe("POST /objects/exists", () => {
        const bound = bulkCheckBodyBound(PREFIX, MAX_BULK_NAMES);

        it(`${MAX_BULK_NAMES} names of the longest length, every character escaped, in a body of exactly the bound: answered`, async () => {
            const longest = maxStoredNameBytes(PREFIX);
            const names = Array.from({ length: MAX_BULK_NAMES }, (_, i) => `${String(i).padStart(4, "0")}-`.padEnd(longest, "n"));
            const res = await post("/objects/exists", worstBody("names", names, bound.bytes));
            assert.equal(res.status, 200, await res.clone().text());
            assert.equal(Object.keys((await res.json()).exists).length, MAX_BULK_NAMES);
        });

        for (const declared of [true, false]) {
            it(`a byte over the bound is 413 naming the route's bound, unparsed (${declared ? "Content-Length" : "chunked"})`, async () => {
                const res = await post("/objects/exists", notJson(bound.bytes + 1), declared);
                assert.deepEqual({ status: res.status, body: await res.json() }, { status: 413, body: refusal(bound) });
            });
        }
    });

    describe("POST /pipeline/runs", () => {
        const bound = runBodyBound(PREFIX);

        it(`${MAX_RUN_KEYS} keys filling the ${MAX_EXECUTION_INPUT_BYTES}-byte execution input, every character escaped, in a body of exactly the bound: started`, async () => {
            const names = Array.from({ length: MAX_RUN_KEYS }, (_, i) => `${String(i).padStart(4, "0")}-`);
            const inputBytes = () => Buffer.byteLength(executionInput(BUCKET, names.map((n) => `${PREFIX}${n}`)));
            const each = Math.floor((MAX_EXECUTION_INPUT_BYTES - inputBytes()) / MAX_RUN_KEYS);
            names.forEach((n, i) => (names[i] = n + "n".repeat(each)));
            const short = MAX_EXECUTION_INPUT_BYTES - inputBytes();
            for (let i = 0; i < short; i++) names[i] += "n";
            assert.equal(inputBytes(), MAX_EXECUTION_INPUT_BYTES);
            const res = await post("/pipeline/runs", worstBody("keys", names, bound.bytes));
            assert.equal(res.status, 202, await res.clone().text());
            assert.deepEqual(JSON.parse(JSON.parse(sfn.requests.at(-1)!.body).input).keys, names.map((n) => `${PREFIX}${n}`));
        });

        for (const declared of [true, false]) {
            it(`a byte over the bound is 413 naming the route's bound, unparsed (${declared ? "Content-Length" : "chunked"})`, async () => {
                const res = await post("/pipeline/runs", notJson(bound.bytes + 1), declared);
                assert.deepEqual({ status: res.status, body: await res.json() }, { status: 413, body: refusal(bound) });
            });
        }
    });

    it("an upload still takes MAX_BODY_BYTES, past both bounds", async () => {
        const bytes = bulkCheckBodyBound(PREFIX, MAX_BULK_NAMES).bytes + 1;
        const res = await app.request("/objects/big.bin", { method: "PUT", body: Buffer.alloc(bytes), headers: { "content-length": String(bytes) } });
        assert.equal(res.status, 201, await res.clone().text());
    });
});
