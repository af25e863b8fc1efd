import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { ACCOUNT, decideForRole } from "../harness/iamSimulator";

/**
 * docs/api.md's identity policy for callers of the AWS_IAM Function URL. A call through the URL is authorized twice
 * since October 2025 (Lambda developer guide, "Control access to Lambda function URLs": "new function URLs will
 * require both lambda:InvokeFunctionUrl and lambda:InvokeFunction permissions"), and each action has its own
 * condition keys (Service Authorization Reference, AWS Lambda: lambda:FunctionUrlAuthType applies to
 * InvokeFunctionUrl, lambda:InvokedViaFunctionUrl to InvokeFunction), so a condition on a key the request does not
 * carry matches nothing.
 */
describe("docs/api.md's policy for calling the API lets a caller through the Function URL, and only through it", function () {
    this.timeout(30_000);
    const live = `arn:aws:lambda:ap-northeast-1:${ACCOUNT}:function:pipeline-api-dev:live`;
    let policy: object;

    before(() => {
        const guide = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "api.md"), "utf8");
        const block = /```json\n([\s\S]*?)```/.exec(guide)?.[1];
        assert.ok(block, "docs/api.md shows a policy");
        policy = JSON.parse(block.replaceAll("<account>", ACCOUNT).replaceAll("<api function>", "pipeline-api-dev"));
    });

    it("the URL's own check: InvokeFunctionUrl on the live alias, for an AWS_IAM URL", async () => {
        assert.strictEqual(await decideForRole(policy, "lambda:InvokeFunctionUrl", live, { "lambda:FunctionUrlAuthType": "AWS_IAM" }), "Allowed");
    });

    it("the second check: InvokeFunction on the live alias, made through the URL", async () => {
        assert.strictEqual(await decideForRole(policy, "lambda:InvokeFunction", live, { "lambda:InvokedViaFunctionUrl": "true" }), "Allowed");
    });

    it("not a direct Invoke, which would pass the URL's CORS and limits by", async () => {
        assert.strictEqual(await decideForRole(policy, "lambda:InvokeFunction", live), "ImplicitlyDenied");
    });
});
