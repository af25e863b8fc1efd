import * as assert from "assert";
import { ACCOUNT, Decision, decide } from "../harness/iamSimulator";
import { deployPipeline } from "./fixtures";

/** A request by a principal (a service such as cloudwatch.amazonaws.com, or a role) against the key's own policy. */
const decideOnKey = (keyPolicy: object, principal: string, action: string, keyArn: string, context: Record<string, string> = {}) =>
    decide({ principal, action, resource: keyArn, resourcePolicy: keyPolicy, context });

describe("the alarm topic's key lets CloudWatch publish (IAM policy simulator on the key policy)", function () {
    this.timeout(30_000);

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: the topic uses a customer-managed key, never the AWS-managed alias/aws/sns`, async () => {
            const { cloud } = await deployPipeline(stack);
            const key = cloud.one("aws:kms/key:Key", "pipeline-alarms");
            assert.strictEqual(cloud.one("aws:sns/topic:Topic").inputs.kmsMasterKeyId, key.outputs.arn);
            assert.strictEqual(key.inputs.enableKeyRotation, true);
        });

        // A destroyed stack's key waits in PendingDeletion (KMS's default 30 days, which the provider asks for when
        // the window is unset): each closed pull request's review stack would leave one for a month.
        it(`${stack}: a destroyed stack's key is deleted after ${stack === "prod" ? "30 days, KMS's default" : "7 days, KMS's shortest"}`, async () => {
            const { cloud } = await deployPipeline(stack);
            assert.strictEqual(cloud.one("aws:kms/key:Key", "pipeline-alarms").inputs.deletionWindowInDays, stack === "prod" ? 30 : 7);
        });
    }

    const cases: [what: string, principal: string, action: string, context: Record<string, string>, expected: Decision][] = [
        ["CloudWatch from this account may generate data keys", "cloudwatch.amazonaws.com", "kms:GenerateDataKey", { "aws:SourceAccount": ACCOUNT }, "Allowed"],
        ["CloudWatch from this account may decrypt", "cloudwatch.amazonaws.com", "kms:Decrypt", { "aws:SourceAccount": ACCOUNT }, "Allowed"],
        ["CloudWatch on behalf of another account may not", "cloudwatch.amazonaws.com", "kms:GenerateDataKey", { "aws:SourceAccount": "999999999999" }, "ImplicitlyDenied"],
        ["CloudWatch may not manage the key", "cloudwatch.amazonaws.com", "kms:ScheduleKeyDeletion", { "aws:SourceAccount": ACCOUNT }, "ImplicitlyDenied"],
        ["another service may not use it", "events.amazonaws.com", "kms:GenerateDataKey", { "aws:SourceAccount": ACCOUNT }, "ImplicitlyDenied"],
    ];
    for (const [what, principal, action, context, expected] of cases) {
        it(what, async () => {
            const { cloud } = await deployPipeline("prod");
            const key = cloud.one("aws:kms/key:Key", "pipeline-alarms");
            assert.strictEqual(await decideOnKey(JSON.parse(key.inputs.policy), principal, action, key.outputs.arn, context), expected);
        });
    }

    it("the simulator can fail: the policy of alias/aws/sns (SNS only, via this account) does not let CloudWatch in", async () => {
        // The AWS-managed key's policy allows use only through SNS by principals of the account (kms:ViaService).
        const awsManaged = {
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "sns.ap-northeast-1.amazonaws.com" } },
                },
            ],
        };
        const keyArn = `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/aws-managed`;
        assert.strictEqual(await decideOnKey(awsManaged, "cloudwatch.amazonaws.com", "kms:GenerateDataKey", keyArn, { "aws:SourceAccount": ACCOUNT }), "ImplicitlyDenied");
    });
});
