// Why a failed `pulumi up` failed (release/stack/updateFailure.ts), from what the real CLI prints.
import * as assert from "assert";
import { updateFailureReason } from "../../release/stack/updateFailure";
import { POLICY_STOPPED_UP_STDOUT, STACK_POLICY_STOPPED_UP_STDOUT, sdkCommandFailure } from "./sdkErrors";

describe("the reason of an up a mandatory policy stopped", () => {
    // The CLI prints no `error:` line for it: the reason is the violation the "Policies:" section lists, never the
    // SDK's "Command failed with exit code 1: pulumi up --yes ...".
    it("a resource's violation, which prints no error line: names the policy, the resource and the policy's message", () => {
        assert.strictEqual(
            updateFailureReason(sdkCommandFailure({ stdout: POLICY_STOPPED_UP_STDOUT, exitCode: 1 })),
            "policy lambda-function-url-auth-in-prod (aws:lambda:FunctionUrl: pipeline-api): In production a Lambda Function URL requires AWS_IAM auth, never NONE (CKV_AWS_258). authorizationType is NONE: a production Function URL must use AWS_IAM.",
        );
    });

    // The stack's only `error:` line is "update failed", which says nothing of why: the violations say it.
    it("a stack policy's violations, with only the stack's \"update failed\": names the first and counts the others", () => {
        assert.strictEqual(
            updateFailureReason(sdkCommandFailure({ stdout: STACK_POLICY_STOPPED_UP_STDOUT, exitCode: 1 })),
            "policy s3-bucket-private-encrypted-tls-only (aws:s3:Bucket: pipeline-bucket): Every S3 bucket blocks all public access, is encrypted, and refuses requests without TLS (CKV_AWS_53-56, CKV_AWS_145, CKV2_AWS_6). bucket pipeline-bucket: needs default server-side encryption. (and 1 more mandatory policy violations)",
        );
    });

    it("an advisory violation is not the reason", () => {
        const advisory = STACK_POLICY_STOPPED_UP_STDOUT.replace(/\[mandatory\]/g, "[advisory]");
        assert.strictEqual(updateFailureReason(sdkCommandFailure({ stdout: advisory, exitCode: 1 })), "update failed");
    });
});
