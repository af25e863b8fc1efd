import * as assert from "assert";
import { createHash } from "crypto";
import { ensureFreshBundles } from "./appBundles";
import { DataPath, Execution, startDataPath } from "./dataPath";
import { StateMachineRunner, startStateMachineRunner } from "./stateMachineProcess";
import { WAKE_UP_EVENT } from "../../app/src/pipelineRun";
import { startedBeforeStoppedAfter } from "../harness/suiteProcesses";
import { committedStackRun } from "../harness/committedStackRun";

/**
 * The AWS data path end to end, once per stack file, at the seams mocks cannot see: the built bundles run with
 * exactly the environment the plan gives each function, S3 is an S3-protocol server, the API's StartExecution
 * reaches a Step Functions endpoint, and the plan's state machine definition runs for real, invoking the worker.
 */
const UPLOADS: Record<string, Buffer> = {
    "notes.txt": Buffer.from("hello, pipeline\n"),
    "reports/2026/summary.json": Buffer.from(JSON.stringify({ rows: 3, ok: true })),
    "pixel.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0x00]),
};
const MISSING = "never-uploaded.txt";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const describeOutcome = (o: Execution) => JSON.stringify({ ...o, events: o.events.map((e) => [e.type, e.state?.name, e.Error].filter(Boolean).join(" ")) }, null, 1);

/** The value at a plain `$.a.b` path (what a Fail state's ErrorPath/CausePath selects). */
function valueAt(input: unknown, jsonPath: string): unknown {
    return jsonPath.slice(2).split(".").reduce((value: any, field) => value?.[field], input);
}

/** The key the API gave a name in the execution input (the plan's object prefix, whatever it is). */
function keyOf(input: { keys: string[] }, name: string): string {
    const key = input.keys.find((k) => k === name || k.endsWith(`/${name}`));
    assert.ok(key, `no key for ${name} in ${JSON.stringify(input.keys)}`);
    return key;
}

describe("the AWS data path end to end, per stack file", () => {
    before(() => {
        ensureFreshBundles(["api.js", "worker.js"]);
    });
    let runner: StateMachineRunner;
    startedBeforeStoppedAfter(
        async () => {
            runner = await startStateMachineRunner();
        },
        async () => runner?.stop(),
    );

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            let pipeline: DataPath;
            startedBeforeStoppedAfter(
                async function () {
                    this.timeout(60_000); // the plan, then three processes to start, on a machine that may be busy
                    pipeline = await startDataPath(await committedStackRun(stack), runner);
                },
                async () => pipeline?.stop(),
            );
            const logs = () => `\nfunction output:\n${pipeline.output()}`;

            /** POST /pipeline/runs through the API, and the execution input the API handed Step Functions. */
            async function startRun(names: string[]): Promise<{ keys: string[] }> {
                const res = await pipeline.request("POST", "/pipeline/runs", JSON.stringify({ keys: names }), { "content-type": "application/json" });
                assert.strictEqual(res.status, 202, res.body + logs());
                const started = pipeline.stepFunctions.started.at(-1)!;
                assert.strictEqual(res.json().executionArn, started.executionArn);
                assert.strictEqual(started.stateMachineArn, pipeline.plan.stateMachineArn, "the API starts the plan's state machine");
                assert.match(started.authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=\\w+/\\d{8}/${pipeline.plan.region}/states/aws4_request`));
                return started.input as { keys: string[] };
            }

            it("uploads through the API, runs the pipeline the API starts, and the worker's results are in the bucket", async () => {
                for (const [name, bytes] of Object.entries(UPLOADS)) {
                    const res = await pipeline.request("PUT", `/objects/${name}`, bytes, { "content-type": "application/octet-stream" });
                    assert.strictEqual(res.status, 201, `PUT ${name}: ${res.body}${logs()}`);
                    assert.strictEqual(res.json().name, name);
                    // Read back through the URL: the bytes as stored, pixel.png's 0xff and 0x00 included.
                    const read = await pipeline.request("GET", `/objects/${name}`);
                    assert.strictEqual(read.status, 200, `GET ${name}: ${read.body}${logs()}`);
                    assert.deepStrictEqual(read.bytes, bytes, `GET ${name} answers the bytes uploaded`);
                }
                const input = await startRun(Object.keys(UPLOADS));

                const outcome = await pipeline.execute(input);
                assert.strictEqual(outcome.status, "SUCCEEDED", describeOutcome(outcome) + logs());
                // The wake-up call first (answered by the worker's bundle at once), then one invocation per key.
                assert.strictEqual(outcome.invoked.length, 1 + Object.keys(UPLOADS).length, "the wake-up and one worker invocation per key");
                assert.deepStrictEqual(outcome.payloads[0], WAKE_UP_EVENT);
                const worker = pipeline.plan.worker.arn;
                for (const invoked of outcome.invoked) assert.ok(invoked === worker || invoked.startsWith(`${worker}:`), `the definition invokes ${invoked}, not the worker`);

                for (const [name, bytes] of Object.entries(UPLOADS)) {
                    const key = keyOf(input, name);
                    assert.deepStrictEqual(await pipeline.bucket.read(key), bytes, `${key} is what was uploaded`);
                    const stored = await pipeline.bucket.read(`results/${key}.json`);
                    assert.ok(stored, `the worker wrote no results/${key}.json${logs()}`);
                    const result = JSON.parse(stored.toString("utf8"));
                    assert.strictEqual(result.key, key);
                    assert.strictEqual(result.bytes, bytes.length, `bytes of ${key}`);
                    assert.strictEqual(result.sha256, sha256(bytes), `sha256 of ${key}`);
                }
                assert.deepStrictEqual(pipeline.stepFunctions.unexpected, [], "no other AWS call was made");
            });

            it("a 503 the API answers writes its 5xx metric line under the alias and the version that ran, the alarms' and the release's dimensions", async () => {
                pipeline.stepFunctions.refuseNext("ExecutionLimitExceeded");
                const res = await pipeline.request("POST", "/pipeline/runs", JSON.stringify({ keys: [MISSING] }), { "content-type": "application/json" });
                assert.strictEqual(res.status, 503, res.body + logs());
                const { api } = pipeline.plan;
                const lines = pipeline
                    .output()
                    .split("\n")
                    .filter((line) => line.startsWith("{") && line.includes('"_aws"'))
                    .map((line) => JSON.parse(line));
                assert.strictEqual(lines.length, 1, `one metric line for the one 5xx${logs()}`);
                const { FunctionName, Resource, ExecutedVersion, ServerErrors, statusCode } = lines[0];
                assert.deepStrictEqual({ FunctionName, Resource, ExecutedVersion, ServerErrors, statusCode }, { FunctionName: api.name, Resource: `${api.name}:${api.alias}`, ExecutedVersion: api.version, ServerErrors: 1, statusCode: 503 });
            });

            it("a run over a key with no object fails the execution through the definition's Catch and Fail states", async () => {
                const input = await startRun([MISSING]);
                const key = keyOf(input, MISSING);

                const outcome = await pipeline.execute(input);
                assert.strictEqual(outcome.status, "FAILED", `a missing object must fail the execution, not succeed:\n${describeOutcome(outcome)}${logs()}`);
                const rejected = outcome.events.find((e) => e.type === "StateFailed" && e.Error === "KeyRejected");
                assert.ok(rejected, `the worker's KeyRejected error reaches the state machine:\n${describeOutcome(outcome)}`);
                assert.ok(!outcome.events.some((e) => e.type === "StateRetried"), "a rejected key is not retried");

                const caught = outcome.events.find((e) => e.type === "StateCaught");
                assert.ok(caught, `a Catch handles it:\n${describeOutcome(outcome)}`);
                const next = (caught.catch as { catcher: { Next: string } }).catcher.Next;
                const failState = pipeline.plan.definition.States[next];
                assert.strictEqual(failState?.Type, "Fail", `the Catch goes to ${next}, a ${failState?.Type} state`);
                const entered = outcome.events.filter((e) => e.type === "StateEntered" && !("index" in e)).at(-1);
                assert.strictEqual(entered?.state?.name, next, "the execution ends in that Fail state");
                const expectedError = failState.Error ?? valueAt(entered.state!.input, failState.ErrorPath);
                assert.strictEqual(outcome.error, expectedError, "the execution fails with the Fail state's error");
                const cause = outcome.cause ?? "";
                assert.ok(cause.includes(key) || cause.includes("KeyRejected"), `the cause names the key or the error: ${cause}`);
                assert.strictEqual(await pipeline.bucket.read(`results/${key}.json`), undefined, "no result for a missing object");
                assert.deepStrictEqual(pipeline.stepFunctions.unexpected, [], "no other AWS call was made");
            });

            it("a run whose input is near the 256 KiB the API allows still fails with the worker's error, not States.DataLimitExceeded", async () => {
                // 300 keys of missing objects whose names bring the execution input within 600 bytes of Step Functions'
                // limit: the caught error must not be added to it (the host enforces the limit as the service does).
                // Segments of at most 100 characters: the S3 stand-in keeps objects as files, whose names have a 255-byte limit.
                const names = (length: number) =>
                    Array.from({ length: 300 }, (_, i) => `${String(i).padStart(3, "0")}/${"n".repeat(length).match(/.{1,100}/g)!.join("/")}.txt`);
                const size = (length: number) => Buffer.byteLength(JSON.stringify({ bucket: "b".repeat(63), keys: names(length).map((n) => `input/${n}`) }));
                // The longest names (at least 1 character) that keep it within 600 bytes. The size grows with the length, so
                // halving the range finds what counting up one at a time found, without building ~850 inputs of ~256 KiB.
                const fits = (length: number) => size(length) <= 262_144 - 600;
                let length = 1; // fits, or is 1
                let tooLong = 2;
                while (fits(tooLong)) [length, tooLong] = [tooLong, tooLong * 2];
                while (tooLong - length > 1) {
                    const middle = Math.floor((length + tooLong) / 2);
                    if (fits(middle)) length = middle;
                    else tooLong = middle;
                }
                const input = await startRun(names(length));
                const bytes = Buffer.byteLength(JSON.stringify(input));
                assert.ok(bytes > 262_144 - 1_000 && bytes <= 262_144, `execution input of ${bytes} bytes`);
                const outcome = await pipeline.execute(input);
                assert.strictEqual(outcome.status, "FAILED");
                assert.strictEqual(outcome.error, "KeyRejected", `the worker's error, not the state size's:\n${describeOutcome(outcome).slice(0, 2_000)}`);
            });

            it("the scheduled health check, as its schedule starts it, gets 200 from the built API through the live alias; a 404, a 503 or a function error fails it", async () => {
                const healthy = await pipeline.executeHealthCheck();
                assert.strictEqual(healthy.status, "SUCCEEDED", describeOutcome(healthy) + logs());
                assert.deepStrictEqual(healthy.invoked, [`${pipeline.plan.api.arn}:${pipeline.plan.api.alias}`], "the live alias, as the Function URL serves it");
                // What a failing service would answer, each through the definition as it is (the alarm counts failed executions):
                // the service's own 503 (app/src/app.ts, while it drains), and a runtime that exited, in Lambda's words (its
                // Invoke answer's payload for Runtime.ExitError, "RequestId: <id> Error: Runtime exited with error: exit status
                // N", AWS Knowledge Center "lambda-runtime-error", as app/tests/lambdaRuntime.ts quotes it; the task's Error
                // is the errorType, stateMachineHost.ts).
                const answered503 = await pipeline.executeHealthCheck(async () => ({ ok: true, payload: { statusCode: 503, headers: { "content-type": "application/json", "retry-after": "1" }, body: '{"error":"shutting down, retry later"}', isBase64Encoded: false } }));
                assert.deepStrictEqual([answered503.status, answered503.error], ["FAILED", "HealthCheckFailed"], describeOutcome(answered503));
                // Only 200 passes, not any answer short of a 5xx: a version without the route answers the service's own 404
                // (app/src/app.ts, app.notFound), and a check that passed on it would keep the health alarm quiet.
                const answered404 = await pipeline.executeHealthCheck(async () => ({ ok: true, payload: { statusCode: 404, headers: { "content-type": "application/json" }, body: '{"error":"no route for GET /health"}', isBase64Encoded: false } }));
                assert.deepStrictEqual([answered404.status, answered404.error], ["FAILED", "HealthCheckFailed"], describeOutcome(answered404));
                const crashed = await pipeline.executeHealthCheck(async () => ({ ok: false, error: { errorType: "Runtime.ExitError", errorMessage: "RequestId: 7c4f8a2e-1b3d-4e5f-9a6b-0c1d2e3f4a5b Error: Runtime exited with error: exit status 1", trace: [] } }));
                assert.deepStrictEqual([crashed.status, crashed.error], ["FAILED", "Runtime.ExitError"], describeOutcome(crashed));
                // A 200 whose answer is over Step Functions' 256 KiB: the task's result is the connector's output, over the limit
                // before ResultSelector keeps only the status, so the check fails with States.DataLimitExceeded (stateMachineHost.ts).
                const oversized = await pipeline.executeHealthCheck(async () => ({ ok: true, payload: { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "ok", pad: "p".repeat(262_144) }), isBase64Encoded: false } }));
                assert.deepStrictEqual([oversized.status, oversized.error], ["FAILED", "States.DataLimitExceeded"], describeOutcome(oversized));
            });
        });
    }
});
