import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { MAX_BULK_NAMES } from "../src/app";
import { bootstrap } from "../src/bootstrap";
import { MAX_EXECUTION_INPUT_BYTES, MAX_RUN_KEYS, executionInput } from "../src/pipelineRun";
import { MemoryStore } from "../src/storage";
import { acceptingStepFunctions } from "./acceptingStepFunctions";
import { RecordingServer } from "./recordingServer";

const BUCKET = "pipeline-bucket-abc1234";
const env = { STORAGE_BACKEND: "memory", BUCKET_NAME: BUCKET, OBJECT_PREFIX: "input/", STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline", LOG_LEVEL: "error" };

/** `count` names whose execution input (with the input/ prefix added) is exactly `bytes` long. */
function namesForInputOf(bytes: number, count: number): string[] {
    const names = Array.from({ length: count }, (_, i) => `${String(i).padStart(4, "0")}-${"n".repeat(1000)}`);
    const size = () => Buffer.byteLength(executionInput(BUCKET, names.map((n) => `input/${n}`)));
    let missing = bytes - size();
    for (let i = 0; missing !== 0; i = (i + 1) % count) {
        const change = Math.max(-900, Math.min(missing, 1020 - Buffer.byteLength(names[i])));
        names[i] = change >= 0 ? names[i] + "x".repeat(change) : names[i].slice(0, change);
        missing = bytes - size();
    }
    return names;
}

describe("POST /pipeline/runs caps what one run accepts", () => {
    let sfn: RecordingServer;
    let app: ReturnType<typeof bootstrap>["app"];
    const startRun = (keys: unknown[]) => app.request("/pipeline/runs", { method: "POST", body: JSON.stringify({ keys }) });

    before(async () => {
        sfn = await acceptingStepFunctions();
        app = bootstrap("lambda-api", env, new MemoryStore()).app;
    });
    after(async () => sfn.close());
    beforeEach(() => {
        sfn.requests.length = 0;
    });

    it(`${MAX_RUN_KEYS} keys start a run with {bucket, keys} under the input prefix`, async () => {
        const names = Array.from({ length: MAX_RUN_KEYS }, (_, i) => `k${i}.txt`);
        const res = await startRun(names);
        assert.equal(res.status, 202, await res.clone().text());
        assert.equal(sfn.requests.length, 1);
        const sent = JSON.parse(JSON.parse(sfn.requests[0].body).input);
        assert.deepEqual(sent, { bucket: BUCKET, keys: names.map((n) => `input/${n}`) });
    });

    it(`${MAX_RUN_KEYS + 1} keys are 400 naming the limit, and no run starts`, async () => {
        const res = await startRun(Array.from({ length: MAX_RUN_KEYS + 1 }, (_, i) => `k${i}.txt`));
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: `at most ${MAX_RUN_KEYS} keys per run (got ${MAX_RUN_KEYS + 1})` });
        assert.equal(sfn.requests.length, 0);
    });

    it(`an execution input of exactly ${MAX_EXECUTION_INPUT_BYTES} bytes starts, and StartExecution gets exactly that input`, async () => {
        const res = await startRun(namesForInputOf(MAX_EXECUTION_INPUT_BYTES, 300));
        assert.equal(res.status, 202, await res.clone().text());
        assert.equal(Buffer.byteLength(JSON.parse(sfn.requests[0].body).input, "utf8"), MAX_EXECUTION_INPUT_BYTES);
    });

    it(`an execution input of ${MAX_EXECUTION_INPUT_BYTES + 1} bytes (UTF-8, under ${MAX_RUN_KEYS} keys) is 400 naming the limit, and no run starts`, async () => {
        const names = namesForInputOf(MAX_EXECUTION_INPUT_BYTES, 300);
        names[0] = names[0].slice(0, -1) + "é"; // same length in characters, one byte more in UTF-8
        const res = await startRun(names);
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: `the run's execution input would be ${MAX_EXECUTION_INPUT_BYTES + 1} bytes; Step Functions accepts at most ${MAX_EXECUTION_INPUT_BYTES}` });
        assert.equal(sfn.requests.length, 0);
    });

    // A body of MAX_BODY_BYTES holds a million names: each was checked (zod, then the name rules) before their count
    // was, 0.6 s of the event loop at the Lambda API's 4 MiB and 2.7 s at the server's 32 MiB. The count comes first now:
    // entries that are not even names get the count's answer, not their own.
    it(`${MAX_RUN_KEYS + 1} keys are refused by their count before any key is checked`, async () => {
        const res = await startRun(Array(MAX_RUN_KEYS + 1).fill("../outside"));
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: `at most ${MAX_RUN_KEYS} keys per run (got ${MAX_RUN_KEYS + 1})` });
    });

    it(`${MAX_BULK_NAMES + 1} names of a bulk check are refused by their count before any name is read`, async () => {
        const res = await app.request("/objects/exists", { method: "POST", body: JSON.stringify({ names: [...Array(MAX_BULK_NAMES).fill("a.txt"), 1] }) });
        assert.equal(res.status, 400);
        assert.deepEqual(await res.json(), { error: `at most ${MAX_BULK_NAMES} names at once` });
    });

    // Only the count's refusal has its own words: any other problem with the list, an empty one too, is the shape expected.
    it("the count refused names the count sent; an empty list is the shape expected, not zod's words", async () => {
        const res = await startRun(Array(MAX_RUN_KEYS + 5).fill("k.txt"));
        assert.deepEqual([res.status, await res.json()], [400, { error: `at most ${MAX_RUN_KEYS} keys per run (got ${MAX_RUN_KEYS + 5})` }]);
        const empty = await startRun([]);
        assert.deepEqual([empty.status, await empty.json()], [400, { error: 'expected {"keys": ["name", ...]}' }]);
        assert.equal(sfn.requests.length, 0);
    });
});
