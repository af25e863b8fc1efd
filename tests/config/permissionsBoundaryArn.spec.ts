import * as assert from "assert";
import { parse, problemsOf, stackWith } from "./helpers";
import { MANAGED_POLICY_ARN_RULE } from "../../config/cloudLimits";
import { describeValue } from "../../config/errors";

/**
 * aws.permissionsBoundary is every role's PermissionsBoundary, which CreateRole and PutRolePermissionsBoundary take from
 * any managed policy, AWS managed ones too (IAM API reference, PutRolePermissionsBoundary: "You can use an AWS managed
 * policy or a customer managed policy"). A managed policy's ARN ends in the path and name CreatePolicy lets it have
 * (boto/botocore data/iam/2010-05-08/service-2.json: policyPathType `((/[A-Za-z0-9\.,\+@=_-]+)*)/`, 1 to 512;
 * policyNameType `[\w+=,.@-]+`, 1 to 128). An ARN no policy can have fails the first role at create, after the
 * repository and bucket were made; one IAM takes must pass the settings.
 */
const withBoundary = (boundary: string) =>
    stackWith("dev", (doc) => {
        doc["multicloud-service:aws"] = { ...doc["multicloud-service:aws"], permissionsBoundary: boundary };
    });
const ACCOUNT_POLICY = "arn:aws:iam::123456789012:policy";

describe("aws.permissionsBoundary: only ARNs a managed policy can have", () => {
    const accepted: [string, string][] = [
        ["an AWS managed policy", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
        ["an AWS managed policy under a path", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
        ["an AWS managed policy in the China partition", "arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess"],
        ["an AWS managed policy in GovCloud", "arn:aws-us-gov:iam::aws:policy/PowerUserAccess"],
        ["the account's policy under a path", "arn:aws-us-gov:iam::123456789012:policy/platform/boundaries/workload"],
        ["a name of 128 characters", `${ACCOUNT_POLICY}/${"n".repeat(128)}`],
        ["a path of 512 characters", `${ACCOUNT_POLICY}/${"p".repeat(510)}/n`],
        ["every character a path and name may hold", `${ACCOUNT_POLICY}/a.b,c+d@e=f_g-h/A9_+=,.@-`],
    ];
    for (const [what, boundary] of accepted) {
        it(`takes ${what}`, () => {
            assert.strictEqual(parse(withBoundary(boundary)).aws.permissionsBoundary, boundary);
        });
    }

    const refused: [string, string][] = [
        ["no name", `${ACCOUNT_POLICY}/`],
        ["a path with no name after it", `${ACCOUNT_POLICY}/platform/`],
        ["an empty path segment", `${ACCOUNT_POLICY}/platform//workload`],
        ["a name of 129 characters", `${ACCOUNT_POLICY}/${"n".repeat(129)}`],
        ["a path of 513 characters", `${ACCOUNT_POLICY}/${"p".repeat(511)}/n`],
        ["a wildcard in the name", `${ACCOUNT_POLICY}/workload*`],
        ["a character no path holds", `${ACCOUNT_POLICY}/plat!form/workload`],
        ["an account of 11 digits", "arn:aws:iam::12345678901:policy/workload"],
        ["an account that is an alias", "arn:aws:iam::platform:policy/workload"],
        ["a role's ARN", "arn:aws:iam::123456789012:role/workload"],
        ["an ARN after other words (a pasted line)", `Policy ARN: ${ACCOUNT_POLICY}/workload`],
    ];
    for (const [what, boundary] of refused) {
        it(`refuses ${what}, naming the setting and IAM's rule`, () => {
            assert.deepStrictEqual(problemsOf(withBoundary(boundary)), [`multicloud-service:aws.permissionsBoundary: ${MANAGED_POLICY_ARN_RULE} (got ${describeValue(boundary)})`]);
        });
    }
});
