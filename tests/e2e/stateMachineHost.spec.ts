import * as assert from "assert";
import { StateMachineRunner, startStateMachineRunner } from "./stateMachineProcess";

/** The state machine host's own answers, against what Step Functions gives a state machine. */
describe("the state machine host", function () {
    this.timeout(30_000);
    let runner: StateMachineRunner;
    before(async () => (runner = await startStateMachineRunner()));
    after(async () => runner?.stop());

    it("gives a lambda:invoke task Invoke's response, the Payload parsed (developer guide, connect-lambda.md)", async () => {
        const definition = {
            StartAt: "Call",
            States: { Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "arn:aws:lambda:eu-west-1:123456789012:function:f:live", "Payload.$": "$" }, End: true } },
        };
        const outcome = await runner.execute(definition, { a: 1 }, { invoke: async (request) => ({ ok: true, payload: { echoed: request.parameters.Payload }, executedVersion: "7" }) });
        assert.strictEqual(outcome.status, "SUCCEEDED");
        const output = outcome.output as any;
        assert.deepStrictEqual(Object.keys(output), ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]);
        assert.deepStrictEqual([output.ExecutedVersion, output.Payload, output.StatusCode, output.SdkHttpMetadata.HttpStatusCode], ["7", { echoed: { a: 1 } }, 200, 200]);
        assert.strictEqual(output.SdkHttpMetadata.HttpHeaders["X-Amz-Executed-Version"], "7");
        assert.strictEqual(output.SdkHttpMetadata.HttpHeaders["Content-Length"], String(Buffer.byteLength('{"echoed":{"a":1}}')));
        assert.match(output.SdkResponseMetadata.RequestId, /^[0-9a-f-]{36}$/);
    });
});
