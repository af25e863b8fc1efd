import { wholeCharacters } from "../../scripts/build/wholeCharacters";

/**
 * Why a `pulumi up` run through the Automation API failed, in one line. The SDK's CommandError message is its
 * CommandResult printed whole (`code: -2\n stdout: \n stderr: Command failed with exit code 255: <the command>\n`
 * followed by the CLI's stderr and stdout, as execa words a failed command; @pulumi/pulumi automation/cmd.js and
 * errors.js), so its first line says only "code: -2". The reason is the first `error:` line of the CLI's own output:
 * a resource's diagnostic, or the CLI's (`error: [409] Conflict: ...`), passing over the stack's closing
 * `error: update failed`, which says no more than the exit code.
 */
const MAX_REASON_LENGTH = 600;
/** Of a longer reason, its start and its end: a provider's error ends with the service's own words and the resource. */
const KEPT_FROM_THE_END = 250;

export function updateFailureReason(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const errorLines = message
        .split("\n")
        .map((line) => /^\s*error:\s*(.+?)\s*$/.exec(line)?.[1])
        .filter((text): text is string => text !== undefined);
    const reason =
        errorLines.find((text) => !/^(update|preview|refresh|destroy) failed$/.test(text)) ??
        errorLines[0] ??
        message
            .split("\n")
            .map((line) => line.replace(/^\s*(stdout|stderr):\s*/, "").trim())
            .find((line) => line !== "" && !/^code: -?\d+$/.test(line)) ??
        message;
    if (reason.length <= MAX_REASON_LENGTH) return reason;
    return `${wholeCharacters(reason, 0, MAX_REASON_LENGTH - KEPT_FROM_THE_END - 1)}…${wholeCharacters(reason, reason.length - KEPT_FROM_THE_END, reason.length)}`;
}
