import * as assert from "assert";
import aslValidator = require("asl-validator");
import { TRANSIENT_LAMBDA_ERRORS, WORKER_ERRORS, pipelineDefinition } from "../../components/aws/stateMachineDefinition";
import { deployPipeline } from "./fixtures";

describe("the pipeline state machine definition", () => {
    it("passes the Amazon States Language validator, as registered for dev and prod", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployPipeline(stack);
            const definition = JSON.parse(cloud.one("aws:sfn/stateMachine:StateMachine").inputs.definition);
            const result = aslValidator(definition);
            assert.deepStrictEqual(result.errors, [], `${stack}: ${JSON.stringify(result.errors)}`);
            assert.strictEqual(result.isValid, true);
            assert.strictEqual(definition.States.ProcessKeys.MaxConcurrency, stack === "prod" ? 20 : 5);
        }
    });

    it("the validator catches a broken definition (the check can fail)", () => {
        const broken: any = pipelineDefinition({ workerAliasArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:w:live", maxConcurrency: 5 });
        broken.States.ProcessKeys.Next = "Nowhere";
        assert.strictEqual(aslValidator(broken).isValid, false);
    });

    it("maps over the batch's keys, one worker invocation with {bucket, keys: [key]} per key", () => {
        const d: any = pipelineDefinition({ workerAliasArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:w:live", maxConcurrency: 7 });
        const map = d.States[d.StartAt];
        assert.strictEqual(map.Type, "Map");
        assert.strictEqual(map.ItemsPath, "$.keys");
        assert.deepStrictEqual(map.ItemSelector, { "bucket.$": "$.bucket", "keys.$": "States.Array($$.Map.Item.Value)" });
        const task = map.ItemProcessor.States[map.ItemProcessor.StartAt];
        assert.strictEqual(task.Resource, "arn:aws:states:::lambda:invoke");
        assert.strictEqual(task.Parameters.FunctionName, "arn:aws:lambda:ap-northeast-1:123456789012:function:w:live");
    });

    it("retries Lambda service errors, throttling and the worker's storage faults with backoff, never a rejected key", () => {
        const d: any = pipelineDefinition({ workerAliasArn: "arn:x", maxConcurrency: 1 });
        const [retry] = d.States.ProcessKeys.ItemProcessor.States.ProcessKey.Retry;
        assert.deepStrictEqual(retry.ErrorEquals, [...TRANSIENT_LAMBDA_ERRORS, WORKER_ERRORS.storageUnavailable]);
        assert.ok(retry.ErrorEquals.includes("Lambda.TooManyRequestsException"));
        assert.ok(!retry.ErrorEquals.includes(WORKER_ERRORS.keyRejected));
        assert.ok(!retry.ErrorEquals.includes("States.ALL"));
        assert.ok(!retry.ErrorEquals.includes("States.TaskFailed"));
        assert.ok(retry.BackoffRate > 1 && retry.MaxAttempts >= 3);
    });

    it("catches what retries could not fix into a failure state that carries the worker's own error and cause", () => {
        const d: any = pipelineDefinition({ workerAliasArn: "arn:x", maxConcurrency: 1 });
        const [catcher] = d.States.ProcessKeys.Catch;
        assert.deepStrictEqual(catcher.ErrorEquals, ["States.ALL"]);
        const fail = d.States[catcher.Next];
        assert.strictEqual(fail.Type, "Fail");
        assert.strictEqual(fail.ErrorPath, `${catcher.ResultPath}.Error`);
        assert.strictEqual(fail.CausePath, `${catcher.ResultPath}.Cause`);
    });

    it("keeps results out of the execution state (256 KiB limit): each iteration yields a constant, the Map discards them", () => {
        const d: any = pipelineDefinition({ workerAliasArn: "arn:x", maxConcurrency: 1 });
        const task = d.States.ProcessKeys.ItemProcessor.States.ProcessKey;
        assert.deepStrictEqual(task.ResultSelector, { processed: true });
        assert.strictEqual(task.OutputPath, undefined);
        assert.strictEqual(d.States.ProcessKeys.ResultPath, null);
        // 1,000 keys (the API's cap) of iteration output stay far below the limit whatever the worker returns.
        assert.ok(JSON.stringify(Array.from({ length: 1000 }, () => task.ResultSelector)).length < 256 * 1024 / 10);
    });
});
