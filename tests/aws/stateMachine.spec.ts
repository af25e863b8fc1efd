import * as assert from "assert";
import aslValidator = require("asl-validator");
import { TASK_TIMEOUT_MARGIN_SECONDS, TRANSIENT_LAMBDA_ERRORS, WORKER_ERRORS, historyEventsAtMost, pipelineDefinition } from "../../components/aws/stateMachineDefinition";
import { MAX_RUN_KEYS, WAKE_UP_EVENT } from "../../app/src/pipelineRun";
import { deployPipeline } from "./fixtures";

const WORKER_ALIAS = "arn:aws:lambda:ap-northeast-1:123456789012:function:w:live";
/** A definition as the component makes it for a worker of 30 s. */
const definition = (maxConcurrency = 1, workerAliasArn = "arn:x"): any => pipelineDefinition({ workerAliasArn, maxConcurrency, workerTimeoutSeconds: 30 });

describe("the pipeline state machine definition", () => {
    it("passes the Amazon States Language validator, as registered for dev and prod", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployPipeline(stack);
            const definition = JSON.parse(cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-pipeline").inputs.definition);
            const result = aslValidator(definition);
            assert.deepStrictEqual(result.errors, [], `${stack}: ${JSON.stringify(result.errors)}`);
            assert.strictEqual(result.isValid, true);
            assert.strictEqual(definition.States.ProcessKeys.MaxConcurrency, stack === "prod" ? 20 : 5);
        }
    });

    // Before: no TimeoutSeconds, so an invocation whose answer Step Functions never got kept its key, and the
    // execution, running with nothing to retry or catch ("Using timeouts to avoid stuck ... executions").
    it("a worker invocation that never answers times out after the worker's own timeout and a margin, and is tried again", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployPipeline(stack);
            const worker = cloud.ofType("aws:lambda/function:Function").find((f) => /worker/.test(f.name));
            assert.ok(worker, `${stack}: no worker function`);
            const task = JSON.parse(cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-pipeline").inputs.definition).States.ProcessKeys.ItemProcessor.States.ProcessKey;
            assert.strictEqual(task.TimeoutSeconds, worker.inputs.timeout + TASK_TIMEOUT_MARGIN_SECONDS, stack);
            // The margin itself, not only its sum: a cold invocation first spends up to 10 s in Init ("The Init phase is
            // limited to 10 seconds", Lambda Developer Guide, "Understanding the Lambda execution environment lifecycle"),
            // and a task that timed out in it would start the key again while the first invocation still runs.
            assert.ok(task.TimeoutSeconds > worker.inputs.timeout + 10, `${stack}: the task waits ${task.TimeoutSeconds} s for a worker with a ${worker.inputs.timeout} s timeout`);
            assert.ok(task.Retry[0].ErrorEquals.includes("States.Timeout"), `${stack}: States.Timeout is not retried`);
        }
    });

    it("the validator catches a broken definition (the check can fail)", () => {
        const broken = definition(5, WORKER_ALIAS);
        broken.States.ProcessKeys.Next = "Nowhere";
        assert.strictEqual(aslValidator(broken).isValid, false);
    });

    // Lambda rejects the invocation that wakes a worker idle for weeks, and those that come while it is Pending; it took
    // 40-106 s to clear in aws-solutions-library-samples/accelerated-intelligent-document-processing-on-aws#801, past
    // the keys' own retries (at most 62 s of waits, about half that with full jitter). Before: the keys met it.
    it("wakes the worker first with one call retried for minutes, then goes on to the keys with the run's input, whatever that call ends in", () => {
        const d = definition(7, WORKER_ALIAS);
        assert.strictEqual(d.StartAt, "WakeWorker");
        const wake = d.States.WakeWorker;
        assert.deepStrictEqual([wake.Resource, wake.Parameters], ["arn:aws:states:::lambda:invoke", { FunctionName: "arn:aws:lambda:ap-northeast-1:123456789012:function:w:live", Payload: WAKE_UP_EVENT }]);
        // A lost answer is not waited for again and again: its timeout is short and not retried (the keys' apply next).
        assert.ok(wake.TimeoutSeconds <= 30, `${wake.TimeoutSeconds} s`);
        const [retry] = wake.Retry;
        assert.ok(!retry.ErrorEquals.includes("States.Timeout"));
        for (const e of ["Lambda.CodeArtifactUserPendingException", "Lambda.ResourceNotReadyException", "Lambda.ResourceConflictException", "Lambda.AWSLambdaException"]) assert.ok(retry.ErrorEquals.includes(e), e);
        const waits = Array.from({ length: retry.MaxAttempts }, (_, i) => Math.min(retry.IntervalSeconds * retry.BackoffRate ** i, retry.MaxDelaySeconds));
        const waited = waits.reduce((a, b) => a + b, 0);
        assert.ok(waited >= 180 && retry.JitterStrategy === "NONE", `waits ${waits.join(", ")} s (${retry.JitterStrategy})`);
        // The input (the keys, up to 256 KiB) goes on unchanged: the wake-up's answer or error is discarded.
        assert.deepStrictEqual([wake.ResultPath, wake.Next], [null, "ProcessKeys"]);
        assert.deepStrictEqual(wake.Catch, [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "ProcessKeys" }]);
    });

    it("maps over the batch's keys, one worker invocation with {bucket, keys: [key]} per key", () => {
        const d = definition(7, WORKER_ALIAS);
        const map = d.States.ProcessKeys;
        assert.strictEqual(map.Type, "Map");
        assert.strictEqual(map.ItemsPath, "$.keys");
        assert.deepStrictEqual(map.ItemSelector, { "bucket.$": "$.bucket", "keys.$": "States.Array($$.Map.Item.Value)" });
        const task = map.ItemProcessor.States[map.ItemProcessor.StartAt];
        assert.strictEqual(task.Resource, "arn:aws:states:::lambda:invoke");
        assert.strictEqual(task.Parameters.FunctionName, "arn:aws:lambda:ap-northeast-1:123456789012:function:w:live");
    });

    it("retries Lambda service errors, throttling and the worker's storage faults with backoff, never a rejected key", () => {
        const d = definition();
        const [retry] = d.States.ProcessKeys.ItemProcessor.States.ProcessKey.Retry;
        assert.deepStrictEqual(retry.ErrorEquals, [...TRANSIENT_LAMBDA_ERRORS, WORKER_ERRORS.storageUnavailable]);
        assert.ok(retry.ErrorEquals.includes("Lambda.TooManyRequestsException"));
        // Every exception Step Functions' "Handle Lambda service exceptions" retries in its example.
        for (const e of ["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"]) assert.ok(retry.ErrorEquals.includes(e), e);
        // A worker left idle for weeks is Inactive, and Lambda rejects the invocation that wakes it, then the ones that
        // come while it is Pending; none of them ran, so each is safe to send again.
        for (const e of ["Lambda.CodeArtifactUserPendingException", "Lambda.ResourceNotReadyException", "Lambda.ResourceConflictException"]) assert.ok(retry.ErrorEquals.includes(e), e);
        assert.ok(!retry.ErrorEquals.includes(WORKER_ERRORS.keyRejected));
        assert.ok(!retry.ErrorEquals.includes(WORKER_ERRORS.storageRefused), "a refusal no retry gets past is not retried");
        assert.ok(!retry.ErrorEquals.includes("States.ALL"));
        assert.ok(!retry.ErrorEquals.includes("States.TaskFailed"));
        assert.ok(retry.BackoffRate > 1);
        assert.deepStrictEqual([retry.MaxAttempts, retry.IntervalSeconds, retry.MaxDelaySeconds, retry.JitterStrategy], [5, 2, 60, "FULL"]);
    });

    it("catches what retries could not fix into a failure state that carries the worker's own error and cause", () => {
        const d = definition();
        const [catcher] = d.States.ProcessKeys.Catch;
        assert.deepStrictEqual(catcher.ErrorEquals, ["States.ALL"]);
        // The error replaces the state: added to an input of up to 256 KiB (the API's cap), it would make the state
        // too large, and States.DataLimitExceeded would stand in for the worker's error.
        assert.strictEqual(catcher.ResultPath, undefined, "a Catcher's ResultPath defaults to $, the whole state");
        const fail = d.States[catcher.Next];
        assert.strictEqual(fail.Type, "Fail");
        assert.deepStrictEqual([fail.ErrorPath, fail.CausePath], ["$.Error", "$.Cause"]);
    });

    it("the largest run the API accepts stays under an inline Map's 25,000 history events, every key retried to the last attempt", () => {
        const d = definition();
        const [retry] = d.States.ProcessKeys.ItemProcessor.States.ProcessKey.Retry;
        const [wakeUpRetry] = d.States.WakeWorker.Retry;
        assert.strictEqual(historyEventsAtMost(1), 7 + 3 * retry.MaxAttempts + 8 + 5 + 3 * wakeUpRetry.MaxAttempts);
        assert.ok(historyEventsAtMost(MAX_RUN_KEYS) <= 25_000, `${historyEventsAtMost(MAX_RUN_KEYS)} events for ${MAX_RUN_KEYS} keys`);
    });

    it("keeps results out of the execution state (256 KiB limit): each iteration yields a constant, the Map discards them", () => {
        const d = definition();
        const task = d.States.ProcessKeys.ItemProcessor.States.ProcessKey;
        assert.deepStrictEqual(task.ResultSelector, { processed: true });
        assert.strictEqual(task.OutputPath, undefined);
        assert.strictEqual(d.States.ProcessKeys.ResultPath, null);
        // 1,000 keys (the API's cap) of iteration output stay far below the limit whatever the worker returns.
        assert.ok(JSON.stringify(Array.from({ length: 1000 }, () => task.ResultSelector)).length < 256 * 1024 / 10);
    });
});
