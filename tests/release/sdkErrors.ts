/**
 * What the Automation API throws when the Pulumi CLI exits non-zero, built by the SDK's own code from what the CLI
 * and execa produce: execa 5 (which automation/cmd.js runs the CLI with) rejects with "Command failed with exit code
 * <n>: <command>" followed by the CLI's stderr and stdout (execa lib/error.js makeError), and cmd.js's catch wraps that
 * message as the stderr of a CommandResult with code -2, classified by errors.js's createCommandError (the 409 text
 * makes a ConcurrentUpdateError). The message of what is thrown is that CommandResult printed whole: "code: -2",
 * " stdout: ", " stderr: Command failed ...".
 */
// The command deploy-prod.yml's release runs: a local workspace, so no --client (automation/stack.js adds it only for an
// inline program, whose exec kind is auto.inline), its policy pack, then runPulumiCmd's --stack and cmd.js's
// --non-interactive.
const UP_COMMAND =
    "pulumi up --yes --skip-preview --policy-pack policy --policy-pack-config policy/config/prod.json --exec-kind auto.local --stack my-org/prod --non-interactive";

export function sdkCommandFailure(cli: { stderr?: string; stdout?: string; exitCode?: number }): Error {
    // Marked @internal, so their types are stripped; the JavaScript is the SDK's own.
    const { createCommandError } = require("@pulumi/pulumi/automation/errors") as { createCommandError(result: unknown): Error };
    const { CommandResult } = require("@pulumi/pulumi/automation/cmd") as { CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown };
    const execaMessage = [`Command failed with exit code ${cli.exitCode ?? 255}: ${UP_COMMAND}`, cli.stderr, cli.stdout].filter(Boolean).join("\n");
    return createCommandError(new CommandResult("", execaMessage, -2, new Error(execaMessage)));
}

/**
 * A `pulumi up` that failed on one resource, as the CLI's non-interactive display prints it on stdout: progress lines
 * (the failed resource's with "; error:" inside the line), then Diagnostics per resource, where the stack's own
 * "error: update failed" may come first. Lambda's answer while another change to the function is in progress is
 * ResourceConflictException, "The operation cannot be performed at this time. An update is in progress for resource:
 * <arn>" (Lambda API reference, UpdateAlias errors and "Lambda function states"). The provider names the alias by its
 * ID, the alias ARN (terraform-provider-aws internal/service/lambda/alias.go: resourceAliasUpdate's "updating Lambda
 * Alias (%s): %s" with d.Id(), which Create and Read set to the AliasArn).
 */
export const FAILED_UP_STDOUT = [
    "Updating (prod):",
    " ~  aws:lambda:Alias api-live updating (0s) [diff: ~routingConfig]",
    " ~  aws:lambda:Alias api-live **updating failed** [diff: ~routingConfig]; error: updating Lambda Alias (arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live): operation error Lambda: UpdateAlias, https response error StatusCode: 409",
    "    pulumi:pulumi:Stack multicloud-service-prod running error: update failed",
    "    pulumi:pulumi:Stack multicloud-service-prod **failed** 1 error",
    "Diagnostics:",
    "  pulumi:pulumi:Stack (multicloud-service-prod):",
    "    error: update failed",
    "",
    "  aws:lambda:Alias (api-live):",
    "    error: updating Lambda Alias (arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live): operation error Lambda: UpdateAlias, https response error StatusCode: 409, RequestID: 1d6c2f0e-0b7a-4c55-9d8e-3f1e2a9b7c10, ResourceConflictException: The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api",
    "",
    "Resources:",
    "    ~ 1 to update",
    "    31 unchanged",
    "",
    "Duration: 14s",
].join("\n");

/** The reason a person should read in FAILED_UP_STDOUT: the resource's diagnostic, not the stack's "update failed". */
export const FAILED_UP_REASON =
    "updating Lambda Alias (arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live): operation error Lambda: UpdateAlias, https response error StatusCode: 409, RequestID: 1d6c2f0e-0b7a-4c55-9d8e-3f1e2a9b7c10, ResourceConflictException: The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api";

/**
 * A `pulumi up` that a mandatory policy stopped: the prod policy config makes every rule mandatory. The CLI prints no
 * `error:` line for it (pulumi/pulumi pkg/resource/deploy/step_generator.go: the resource's mandatory violation makes
 * generateSteps return result.BailErrorf("resource %s is invalid"), which deployment_executor.go Execute returns without
 * reportExecResult, and pkg/cmd/pulumi/cmd/cmd.go processCmdErrors prints no bail; exit_codes.go ExitCodeFor: 1). The
 * violation is only in the display's "Policies:" section (pkg/backend/display/progress.go printPolicies, diff.go
 * renderDiffPolicyViolationEvent: "- [mandatory]  <policy>  (<type>: <name>)", then the message indented two more),
 * and with a mandatory violation the display skips its "Resources:" summary (progress.go processEndSteps). The message is
 * @pulumi/policy's: the policy's description, a newline, what report() said (server.js makeReportViolationFun);
 * policy/rules/aws.ts functionUrlAuthInProd sets no severity, so there is no "[severity: ...]".
 */
export const POLICY_STOPPED_UP_STDOUT = [
    "Updating (prod):",
    "",
    "Loading policy packs...: starting",
    "Loading policy packs...: done",
    "",
    "    pulumi:pulumi:Stack multicloud-service-prod running ",
    "    pulumi:pulumi:Stack multicloud-service-prod  ",
    "Policies:",
    "    ❌ multicloud-service@v0.1.0 (local: policy)",
    "        - [mandatory]  lambda-function-url-auth-in-prod  (aws:lambda:FunctionUrl: pipeline-api)",
    "          In production a Lambda Function URL requires AWS_IAM auth, never NONE (CKV_AWS_258).",
    "          authorizationType is NONE: a production Function URL must use AWS_IAM.",
    "",
].join("\n");

/**
 * A stack policy's mandatory violation (validateStack runs after the steps): step_generator.go AnalyzeResources sets
 * sawError, so deployment_executor.go reportExecResult("failed") adds the stack's diagnostic "update failed" (printed
 * after "Policies:", progress.go processEndSteps); nothing else says `error:`.
 */
export const STACK_POLICY_STOPPED_UP_STDOUT = [
    "Updating (prod):",
    "",
    "    pulumi:pulumi:Stack multicloud-service-prod running error: update failed",
    "    pulumi:pulumi:Stack multicloud-service-prod **failed** 1 error",
    "Policies:",
    "    ❌ multicloud-service@v0.1.0 (local: policy)",
    "        - [mandatory]  s3-bucket-private-encrypted-tls-only  (aws:s3:Bucket: pipeline-bucket)",
    "          Every S3 bucket blocks all public access, is encrypted, and refuses requests without TLS (CKV_AWS_53-56, CKV_AWS_145, CKV2_AWS_6).",
    "          bucket pipeline-bucket: needs default server-side encryption.",
    "        - [mandatory]  s3-bucket-private-encrypted-tls-only  (aws:s3:Bucket: pipeline-bucket)",
    "          Every S3 bucket blocks all public access, is encrypted, and refuses requests without TLS (CKV_AWS_53-56, CKV_AWS_145, CKV2_AWS_6).",
    "          bucket pipeline-bucket: needs a bucket policy denying requests without TLS (aws:SecureTransport false).",
    "",
    "Diagnostics:",
    "  pulumi:pulumi:Stack (multicloud-service-prod):",
    "    error: update failed",
    "",
].join("\n");

/**
 * What the Automation API throws when there is no `pulumi` on PATH: execa 5 rejects with "Command failed with ENOENT:
 * <command>" and the spawn error's own message (lib/error.js makeError), which cmd.js wraps as for a failed command.
 */
export function sdkCliMissing(): Error {
    const { createCommandError } = require("@pulumi/pulumi/automation/errors") as { createCommandError(result: unknown): Error };
    const { CommandResult } = require("@pulumi/pulumi/automation/cmd") as { CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown };
    const execaMessage = "Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT";
    return createCommandError(new CommandResult("", execaMessage, -2, new Error(execaMessage)));
}
