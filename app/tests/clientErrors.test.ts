import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { RunningServer, startServer } from "./helpers";
import { LambdaApi, assertAnsweredByDeadline, resultJson, startLambdaApi } from "./lambdaApi";
import { RecordingServer, recordingServer } from "./recordingServer";
import { s3rverServiceEnv } from "./s3rver";
import { withTimingBounds } from "./timingBounds";

// What the client did wrong is a 4xx; what may pass on retry (a dependency's throttling, 5xx, timeout or a
// quota that frees up) is a 503 with Retry-After; only a refusal retrying cannot fix is a 500.

const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline";
const BUCKET = "pipeline-bucket";
const awsEnv = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

describe("JSON bodies that are valid JSON but not the expected shape are 400", () => {
    let server: RunningServer;
    // One execution environment answers every invocation, as Lambda's would.
    let lambda: LambdaApi;
    before(async () => {
        lambda = startLambdaApi({ STORAGE_BACKEND: "memory", BUCKET_NAME: BUCKET, STATE_MACHINE_ARN, ...awsEnv });
        server = await startServer();
    });
    after(async () => {
        await server?.stop();
        await lambda?.stop();
    });

    for (const body of ["null", "[]", '"names"', "3", '{"names": null}', '{"names": [1]}']) {
        it(`POST /objects/exists with ${body} (dist/server.js)`, async () => {
            const res = await fetch(`${server.url}/objects/exists`, { method: "POST", body });
            assert.equal(res.status, 400);
            assert.deepEqual(await res.json(), { error: 'expected {"names": ["..."]}' });
        });

        it(`POST /pipeline/runs with ${body} (dist/api.js)`, async () => {
            const result = await lambda.call(functionUrlEvent("POST", "/pipeline/runs", body.replace("names", "keys")));
            assert.equal(result.statusCode, 400);
            assert.deepEqual(resultJson(result), { error: 'expected {"keys": ["name", ...]}' });
        });
    }
});

describe("a retryable S3 4xx on the last attempt is a 503, not a 500 (dist/server.js)", () => {
    let s3: RecordingServer;
    let server: RunningServer;
    before(async () => {
        // S3's answer when the body did not arrive in time (S3 API reference, "Error responses": RequestTimeout, 400).
        // The AWS SDK classifies it as transient and retries it.
        s3 = await recordingServer((req, res) => {
            if (req.method === "HEAD") return res.writeHead(404).end();
            if (req.url!.includes("list-type=2")) {
                // The readiness probe's listing: an empty bucket.
                return res.writeHead(200, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>input/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`);
            }
            res.writeHead(400, { "content-type": "application/xml" }).end(
                '<?xml version="1.0" encoding="UTF-8"?><Error><Code>RequestTimeout</Code><Message>Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>',
            );
        });
        server = await startServer({ ...s3rverServiceEnv(s3.url, BUCKET), STORAGE_MAX_ATTEMPTS: "2" });
    });
    after(async () => {
        await server?.stop();
        await s3.close();
    });

    for (const [method, body] of [["PUT", "x"], ["GET", undefined]] as const) {
        it(`${method} answered 400 RequestTimeout twice: 503 with Retry-After`, async () => {
            const res = await fetch(`${server.url}/objects/a.txt`, { method, body });
            assert.equal(res.status, 503);
            assert.equal(res.headers.get("retry-after"), "1");
            assert.deepEqual(await res.json(), { error: "storage unavailable, retry later" });
        });
    }
});

/**
 * StartExecution as Step Functions answers it: an execution per call without a `name`; with one, "idempotent for
 * STANDARD workflows ... if you call StartExecution with the same name and input as a running execution, the call
 * succeeds and return[s] the same response"; "If the execution is closed or if the input is different, it returns a
 * 400 ExecutionAlreadyExists error" (@aws-sdk/client-sfn StartExecutionCommand docs, the API Reference's words).
 * Each new execution's answer comes `firstAnswerMs` late; a run lasts `runMs`.
 */
function stepFunctionsStandIn(options: { firstAnswerMs: number; runMs: number }) {
    const executions = new Map<string, { input: string; endsAt: number }>();
    const respond = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, body: Buffer) => {
        const { stateMachineArn, name = crypto.randomUUID(), input } = JSON.parse(body.toString());
        const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
        const answer = (status: number, payload: object) => res.writeHead(status, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(payload));
        const known = executions.get(name);
        if (known) {
            if (known.input === input && Date.now() < known.endsAt) return answer(200, { executionArn, startDate: 1795358200 });
            return answer(400, { __type: "com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists", message: `Execution Already Exists: '${executionArn}'` });
        }
        executions.set(name, { input, endsAt: Date.now() + options.runMs });
        setTimeout(() => answer(200, { executionArn, startDate: 1795358200 }), options.firstAnswerMs);
    };
    return { executions, respond };
}

describe("POST /pipeline/runs starts one execution however often the SDK retries (dist/api.js)", () => {
    let standIn: ReturnType<typeof stepFunctionsStandIn>;
    let sfn: RecordingServer;
    let lambda: LambdaApi;
    before(async () => {
        sfn = await recordingServer((req, res, body) => standIn.respond(req, res, body));
        lambda = startLambdaApi({ STORAGE_BACKEND: "memory", BUCKET_NAME: BUCKET, STATE_MACHINE_ARN, AWS_ENDPOINT_URL_SFN: sfn.url, STORAGE_MAX_ATTEMPTS: "3", STORAGE_ATTEMPT_TIMEOUT_MS: "300", STORAGE_DEADLINE_MS: "2000", ...awsEnv });
    });
    after(async () => {
        await lambda?.stop();
        await sfn.close();
    });
    const start = () => lambda.call(functionUrlEvent("POST", "/pipeline/runs", JSON.stringify({ keys: ["a.txt"] })));

    for (const [what, runMs] of [["is still running", 60_000], ["has already ended (ExecutionAlreadyExists)", 100]] as const) {
        it(`the first attempt's answer is lost to its timeout and the run ${what}: one execution, and its ARN`, async () => {
            standIn = stepFunctionsStandIn({ firstAnswerMs: 400, runMs });
            sfn.requests.length = 0;
            const result = await start();
            assert.equal(result.statusCode, 202, result.body);
            assert.ok(sfn.requests.length >= 2, `the SDK tried again (${sfn.requests.length} requests)`);
            assert.equal(standIn.executions.size, 1, "one execution started");
            const [name] = standIn.executions.keys();
            assert.deepEqual(resultJson(result), { executionArn: `arn:aws:states:us-east-1:123456789012:execution:pipeline:${name}` });
        });
    }
});

describe("POST /pipeline/runs when Step Functions refuses or fails (dist/api.js)", () => {
    let sfn: RecordingServer;
    let answer: { status: number; type: string; message: string } | "stall";
    let lambda: LambdaApi;
    before(async () => {
        sfn = await recordingServer((_req, res) => {
            if (answer === "stall") return;
            // The JSON protocol's error shape, with the names of the Step Functions API Reference: "Common Errors"
            // (ThrottlingException 400, ServiceUnavailable 503, InternalFailure 500) and StartExecution's errors.
            // StartExecution's own errors are in the service's namespace, com.amazonaws.swf.service.v2.model (which
            // earlier @aws-sdk/client-sfn deserializers, protocols/Aws_json1_0.ts, matched on); a throttled call is answered by AWS's shared front end, as
            // {"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}
            // (hashicorp/terraform-provider-aws internal/service/mailmanager/service_package.go, errCodeCoralThrottlingException).
            // ServiceUnavailable's and InternalFailure's namespaces and words on the wire are not known: the service's stands in.
            const namespace = answer.type === "ThrottlingException" ? "com.amazon.coral.availability" : "com.amazonaws.swf.service.v2.model";
            res.writeHead(answer.status, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ __type: `${namespace}#${answer.type}`, message: answer.message }));
        });
        lambda = startLambdaApi({
            STORAGE_BACKEND: "memory",
            BUCKET_NAME: BUCKET,
            STATE_MACHINE_ARN,
            AWS_ENDPOINT_URL_SFN: sfn.url,
            STORAGE_MAX_ATTEMPTS: "2",
            STORAGE_ATTEMPT_TIMEOUT_MS: "300",
            STORAGE_DEADLINE_MS: "1500",
            ...awsEnv,
        });
    });
    after(async () => {
        await lambda?.stop();
        await sfn.close();
    });
    const start = () => lambda.call(functionUrlEvent("POST", "/pipeline/runs", JSON.stringify({ keys: ["a.txt"] })));

    for (const a of [
        { status: 400, type: "ThrottlingException", message: "Rate exceeded" },
        { status: 503, type: "ServiceUnavailable", message: "Service is unavailable" },
        { status: 500, type: "InternalFailure", message: "An internal error occurred" },
        { status: 400, type: "ExecutionLimitExceeded", message: "Execution limit exceeded for state machine" },
    ]) {
        it(`${a.status} ${a.type}: 503 with Retry-After`, async () => {
            answer = a;
            const result = await start();
            assert.equal(result.statusCode, 503);
            assert.equal(result.headers["retry-after"], "1");
            assert.deepEqual(resultJson(result), { error: "pipeline unavailable, retry later" });
        });
    }

    it("400 StateMachineDoesNotExist (a misconfiguration retrying cannot fix): 500 without the SDK's message", async () => {
        answer = { status: 400, type: "StateMachineDoesNotExist", message: `State Machine Does Not Exist: '${STATE_MACHINE_ARN}'` };
        const result = await start();
        assert.equal(result.statusCode, 500);
        assert.deepEqual(resultJson(result), { error: "the pipeline refused the request" });
    });

    // Before, the stall was given 2 attempts of 300 ms, which end long before the deadline: a call with no deadline at
    // all answered the same 503 as fast.
    it("a Step Functions call that never answers: 503 by STORAGE_DEADLINE_MS, not a hang", { timeout: 10_000 }, withTimingBounds(async (bound) => {
        const start = (api: LambdaApi) => api.call(functionUrlEvent("POST", "/pipeline/runs", JSON.stringify({ keys: ["a.txt"] })));
        await assertAnsweredByDeadline(
            { STORAGE_BACKEND: "memory", BUCKET_NAME: BUCKET, STATE_MACHINE_ARN, AWS_ENDPOINT_URL_SFN: sfn.url, ...awsEnv },
            {
                warmUp: async (api) => {
                    answer = { status: 400, type: "StateMachineDoesNotExist", message: `State Machine Does Not Exist: '${STATE_MACHINE_ARN}'` };
                    assert.equal((await start(api)).statusCode, 500);
                    answer = "stall";
                },
                stalled: start,
            },
            bound,
        );
    }));
});
