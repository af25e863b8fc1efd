import { wholeCharacters } from "../../scripts/build/wholeCharacters";

/**
 * Why a `pulumi up` run through the Automation API failed, in one line. The SDK's CommandError message is its
 * CommandResult printed whole (`code: -2\n stdout: \n stderr: Command failed with exit code 255: <the command>\n`
 * followed by the CLI's stderr and stdout, as execa words a failed command; @pulumi/pulumi automation/cmd.js and
 * errors.js), so its first line says only "code: -2". The reason is the first `error:` line of the CLI's own output:
 * a resource's diagnostic, or the CLI's (`error: [409] Conflict: ...`), passing over the stack's closing
 * `error: update failed`, which says no more than the exit code.
 *
 * A mandatory policy violation prints no `error:` line of its own: a resource's violation makes the step generator bail
 * ("resource ... is invalid", a BailError the engine does not report and the CLI does not print), and a stack policy's
 * only adds the stack's `error: update failed` (pulumi/pulumi pkg/resource/deploy/step_generator.go, deployment_executor.go
 * Execute and reportExecResult; pkg/cmd/pulumi/cmd/cmd.go processCmdErrors). The policy and its message are only in the
 * display's "Policies:" section, so that is where the reason comes from when no resource or CLI error says more.
 *
 * Any other error (the release's own: a lock still held, an `up` past its time limit) is its message whole: those
 * end with what to run next, which a cut to MAX_REASON_LENGTH dropped from the middle.
 */
const MAX_REASON_LENGTH = 600;
/** Of a longer reason, its start and its end: a provider's error ends with the service's own words and the resource. */
const KEPT_FROM_THE_END = 250;

export function updateFailureReason(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    if (!isCliOutput(message)) return message;
    const errorLines = message
        .split("\n")
        .map((line) => /^\s*error:\s*(.+?)\s*$/.exec(line)?.[1])
        .filter((text): text is string => text !== undefined);
    const reason =
        errorLines.find((text) => !/^(update|preview|refresh|destroy) failed$/.test(text)) ??
        mandatoryPolicyReason(message) ??
        errorLines[0] ??
        message
            .split("\n")
            .map((line) => line.replace(/^\s*(stdout|stderr):\s*/, "").trim())
            .find((line) => line !== "" && !/^code: -?\d+$/.test(line)) ??
        message;
    if (reason.length <= MAX_REASON_LENGTH) return reason;
    return `${wholeCharacters(reason, 0, MAX_REASON_LENGTH - KEPT_FROM_THE_END - 1)}…${wholeCharacters(reason, reason.length - KEPT_FROM_THE_END, reason.length)}`;
}

/** Whether `message` is the SDK's CommandError text (a CommandResult printed whole: its first line is "code: <n>"). */
function isCliOutput(message: string): boolean {
    return /^code: -?\d+\n/.test(message);
}

/** The first mandatory policy violation the output names, and how many more there are; undefined when it names none. */
function mandatoryPolicyReason(message: string): string | undefined {
    const violations = mandatoryPolicyViolations(message);
    if (violations.length <= 1) return violations[0];
    return `${violations[0]} (and ${violations.length - 1} more mandatory policy violations)`;
}

/**
 * The mandatory violations of the display's "Policies:" section, each as "policy <name> (<type>: <resource>): <message>".
 * The CLI prints them (pulumi/pulumi pkg/backend/display/progress.go printPolicies, diff.go renderDiffPolicyViolationEvent
 * and policyResourceClause) as
 *     Policies:
 *         ❌ <pack>@v<version> (local: <path>)
 *             - [mandatory] [severity: <severity>]  <policy>  (<type>: <resource name>)
 *               <the message, every line indented two more>
 * with no "[severity: ...]" when the policy sets none and no resource clause for a stack-wide violation. @pulumi/policy's
 * message is the policy's description, then on the next line what the report said (server.js makeReportViolationFun).
 */
function mandatoryPolicyViolations(message: string): string[] {
    const lines = message.split("\n");
    const indentOf = (line: string) => /^\s*/.exec(line)![0].length;
    const violations: string[] = [];
    let inPolicies = false;
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line.trimEnd() === "Policies:") {
            inPolicies = true;
            continue;
        }
        if (!inPolicies) continue;
        // The next section ("Diagnostics:", "Outputs:") ends it. Only the first section is read: the SDK's message
        // holds the CLI's output twice (automation/cmd.js CommandResult.toString prints stderr, then err: execa's message).
        if (line.trim() !== "" && indentOf(line) === 0) break;
        const item = /^(\s*)- \[mandatory\](?: \[severity: [^\]]*\])?\s+(.+?)(?:\s{2}\((.+)\))?\s*$/.exec(line);
        if (!item) continue;
        const text: string[] = [];
        // The message's lines: more indented than the item, up to the next item, pack or blank line.
        while (i + 1 < lines.length && lines[i + 1].trim() !== "" && indentOf(lines[i + 1]) > item[1].length && !/^\s*- \[/.test(lines[i + 1])) {
            text.push(lines[++i].trim());
        }
        violations.push(`policy ${item[2]}${item[3] ? ` (${item[3]})` : ""}${text.length ? `: ${text.join(" ")}` : ""}`);
    }
    return violations;
}
