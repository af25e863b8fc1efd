import * as assert from "assert";
import { parse, problemsOf, stackWith } from "./helpers";

/**
 * aws.permissionsBoundary reaches every role's permissions_boundary, which the AWS provider checks at preview with
 * verify.ValidARN: the partition must match ^aws(-[a-z]+)*$ (terraform-provider-aws internal/verify/validate.go,
 * partitionRegexp; internal/service/iam/role.go, permissions_boundary). A partition the setting took and the provider
 * refuses would fail `pulumi preview` at the first role's Check, after the settings passed.
 */
const withBoundary = (boundary: string) =>
    stackWith("dev", (doc) => {
        doc["multicloud-service:aws"] = { ...doc["multicloud-service:aws"], permissionsBoundary: boundary };
    });

describe("aws.permissionsBoundary: only ARNs the provider's ARN check takes", () => {
    for (const boundary of ["arn:aws-:iam::123456789012:policy/boundary", "arn:awsx:iam::123456789012:policy/boundary", "arn:aws--cn:iam::123456789012:policy/boundary", "arn:aws-us-gov-:iam::123456789012:policy/boundary"]) {
        it(`refuses ${boundary}, naming the setting`, () => {
            const problems = problemsOf(withBoundary(boundary));
            assert.ok(
                problems.some((p) => p.startsWith("multicloud-service:aws.permissionsBoundary: must be the ARN of an IAM managed policy")),
                problems.join("\n"),
            );
        });
    }

    for (const boundary of ["arn:aws:iam::123456789012:policy/multicloud-service-workload-boundary", "arn:aws-cn:iam::123456789012:policy/b", "arn:aws-us-gov:iam::123456789012:policy/path/b", "arn:aws-iso-b:iam::123456789012:policy/b"]) {
        it(`takes ${boundary}`, () => {
            assert.strictEqual(parse(withBoundary(boundary)).aws.permissionsBoundary, boundary);
        });
    }
});
