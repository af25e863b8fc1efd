import * as assert from "assert";
import aslValidator = require("asl-validator");
import { TRANSIENT_LAMBDA_ERRORS, pipelineDefinition } from "../../components/aws/stateMachineDefinition";
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

    it("retries Lambda service errors and throttling with exponential backoff, never the function's own errors", () => {
        const d: any = pipelineDefinition({ workerAliasArn: "arn:x", maxConcurrency: 1 });
        const [retry] = d.States.ProcessKeys.ItemProcessor.States.ProcessKey.Retry;
        assert.deepStrictEqual(retry.ErrorEquals, TRANSIENT_LAMBDA_ERRORS);
        assert.ok(retry.ErrorEquals.includes("Lambda.TooManyRequestsException"));
        assert.ok(!retry.ErrorEquals.includes("States.ALL"));
        assert.ok(retry.BackoffRate > 1 && retry.MaxAttempts >= 3);
    });

    it("catches what retries could not fix into a failure state", () => {
        const d: any = pipelineDefinition({ workerAliasArn: "arn:x", maxConcurrency: 1 });
        const [catcher] = d.States.ProcessKeys.Catch;
        assert.deepStrictEqual(catcher.ErrorEquals, ["States.ALL"]);
        assert.strictEqual(d.States[catcher.Next].Type, "Fail");
    });
});
