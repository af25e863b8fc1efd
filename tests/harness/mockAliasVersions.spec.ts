import * as assert from "assert";
import * as lambda from "@pulumi/aws/lambda";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { failedUpdate } from "./failedUpdate";

// Lambda refuses an alias to a version the function does not have: CreateAlias/UpdateAlias answer
// ResourceNotFoundException, 404 (botocore lambda 2015-03-31 service-2.json, their errors), "Function not found:
// <function ARN>:<version>" (Lambda's words for an alias to a missing version, as CloudFormation relayed them in
// aws-cloudformation/rain#175), wrapped by terraform-provider-aws internal/service/lambda/alias.go ("updating Lambda
// Alias (%s): %s" with the alias ARN; "creating Lambda Alias (%s): %s" with its name) around aws-sdk-go-v2's
// "operation error Lambda: <operation>, https response error StatusCode: 404, RequestID: <id>, <code>: <message>".
// Before, the mock cloud took the alias.
describe("the mock cloud refuses a Lambda alias to a version the function does not have", () => {
    const alias = (functionVersion: string, weights?: Record<string, number>) => () =>
        new lambda.Alias("live", { name: "live", functionName: "api", functionVersion, ...(weights ? { routingConfig: { additionalVersionWeights: weights } } : {}) });
    const functionArn = "arn:aws:lambda:ap-northeast-1:123456789012:function:api";

    it("its functionVersion, in an update: UpdateAlias's ResourceNotFoundException as the provider reports it", async () => {
        const failure = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: (c) => c.awsApis.deletedVersions.add("api:7") }, alias("7", { "8": 0.1 })),
            /^a resource was refused, which fails the update:\n {2}aws:lambda\/alias:Alias::live: /,
        );
        assert.match(
            failure.cloud.refusedRegistrations[0].message,
            new RegExp(
                `^updating Lambda Alias \\(${functionArn}:live\\): operation error Lambda: UpdateAlias, https response error StatusCode: 404, RequestID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}, ResourceNotFoundException: Function not found: ${functionArn}:7$`,
            ),
        );
        assert.deepStrictEqual(failure.cloud.ofType("aws:lambda/alias:Alias"), []);
    });

    it("a version of routingConfig's additionalVersionWeights, in a fresh account: CreateAlias's, named by the alias's name", async () => {
        const failure = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: (c) => ((c.freshAccount = true), c.awsApis.deletedVersions.add("api:8")) }, alias("7", { "8": 0.1 })),
            /creating Lambda Alias/,
        );
        assert.match(failure.cloud.refusedRegistrations[0].message, new RegExp(`^creating Lambda Alias \\(live\\): operation error Lambda: CreateAlias, https response error StatusCode: 404, RequestID: [-0-9a-f]{36}, ResourceNotFoundException: Function not found: ${functionArn}:8$`));
    });

    it("versions the function has, another function's deleted version, and a preview are not refused", async () => {
        const { cloud } = await runUnderMocks({ stack: "prod", setup: (c) => c.awsApis.deletedVersions.add("worker:7") }, alias("7", { "8": 0.1 }));
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias").inputs.functionVersion, "7");
        const preview = await runUnderMocks({ stack: "prod", preview: true, setup: (c) => c.awsApis.deletedVersions.add("api:7") }, alias("7"));
        assert.strictEqual(preview.cloud.ofType("aws:lambda/alias:Alias").length, 1);
    });
});
