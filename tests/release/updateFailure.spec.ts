// Why a failed `pulumi up` failed (release/stack/updateFailure.ts), from what the real CLI prints.
import * as assert from "assert";
import { updateFailureReason } from "../../release/stack/updateFailure";
import { LONE_SURROGATE } from "../harness/loneSurrogate";
import { FAILED_UP_REASON, FAILED_UP_STDOUT, POLICY_STOPPED_UP_STDOUT, STACK_POLICY_STOPPED_UP_STDOUT, sdkCommandFailure } from "./sdkErrors";

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

describe("the reason of a failed up", () => {
    it("a failed update's reason is the CLI's resource diagnostic, not the SDK's \"code: -2\" first line nor the stack's \"update failed\"", () => {
        const error = sdkCommandFailure({ stdout: FAILED_UP_STDOUT });
        assert.match(error.message, /^code: -2\n/, "the SDK's message as it really starts");
        assert.strictEqual(updateFailureReason(error), FAILED_UP_REASON);
        assert.strictEqual(updateFailureReason(sdkCommandFailure({ stderr: "error: [409] Conflict: Another update is currently in progress.\n" })), "[409] Conflict: Another update is currently in progress.");
        assert.match(updateFailureReason(sdkCommandFailure({ stderr: "" })), /^Command failed with exit code 255: pulumi up/);
    });

    // Before: cut at 400 characters from the start, so the provider's real wording (the alias named by its ARN) lost
    // its end: the resource the conflict is about.
    it("a long reason keeps its start and its end, where the provider's error names the resource", () => {
        const reason = updateFailureReason(sdkCommandFailure({ stdout: FAILED_UP_STDOUT }));
        assert.ok(reason.endsWith("An update is in progress for resource: arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api"), reason);
        const long = `${"x".repeat(700)} the end`;
        const cut = updateFailureReason(sdkCommandFailure({ stderr: `error: ${long}\n` }));
        assert.strictEqual(cut.length, 600);
        assert.ok(cut.startsWith("xxx") && cut.includes("…") && cut.endsWith("x the end"), cut);
        // Neither cut splits a character of two UTF-16 units (before: a lone surrogate, printed as U+FFFD).
        for (const text of ["😀".repeat(400), `a${"😀".repeat(400)}`]) {
            const emojis = updateFailureReason(sdkCommandFailure({ stderr: `error: ${text}\n` }));
            assert.doesNotMatch(emojis, LONE_SURROGATE, JSON.stringify(emojis.slice(340, 360)));
        }
    });

    it("a reason of exactly 600 characters is kept whole: only a longer one is cut", () => {
        const exact = `${"x".repeat(592)} the end`;
        assert.strictEqual(exact.length, 600);
        assert.strictEqual(updateFailureReason(sdkCommandFailure({ stderr: `error: ${exact}\n` })), exact);
    });
});
