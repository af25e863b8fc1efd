import { execFile } from "child_process";
import { constants } from "buffer";
import type { PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/**
 * `pulumi stack export` of the stack, parsed, with its secrets left encrypted. The SDK's exportStack passes
 * --show-secrets, which decrypts every secret of the state (and logs a decryption: pulumi/pulumi
 * pkg/cmd/pulumi/stack/stack_export.go) where the release reads only its pending operations.
 */
export type ExportState = () => Promise<unknown>;

/**
 * The most an export may print: execFile joins the output into one string when the command exits, and past Node's
 * longest string that join throws a RangeError inside its exit handler, uncaught (node lib/child_process.js
 * exithandler). execFile counts maxBuffer in UTF-8 bytes, never fewer than the string's UTF-16 units.
 */
export const MAX_STATE_EXPORT_BYTES = constants.MAX_STRING_LENGTH;

/** `stack` with exportState, run as the SDK runs its own commands (automation/localWorkspace.js runPulumiCmd's environment, cmd.js's --non-interactive). */
export function withStateExport<S extends Stack>(stack: S, pulumiCommand: PulumiCommand, maxBytes = MAX_STATE_EXPORT_BYTES): S & { exportState: ExportState } {
    const exportState: ExportState = () =>
        new Promise((resolve, reject) => {
            const workspace = stack.workspace;
            const env = { ...process.env, ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars };
            const args = ["stack", "export", "--stack", stack.name, "--non-interactive"];
            execFile(pulumiCommand.command, args, { cwd: workspace.workDir, env, maxBuffer: maxBytes }, (error, stdout, stderr) => {
                if ((error as NodeJS.ErrnoException | null)?.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return reject(tooLargeError(args, stack.name, maxBytes));
                if (error) return reject(new Error(`pulumi ${args.join(" ")} failed: ${stderr.trim() || error.message}`));
                try {
                    resolve(JSON.parse(stdout));
                } catch (parseError) {
                    reject(new Error(`pulumi ${args.join(" ")} printed no JSON (${(parseError as Error).message})`));
                }
            });
        });
    return Object.assign(stack, { exportState });
}

function tooLargeError(args: string[], stackName: string, maxBytes: number): Error {
    return new Error(
        `pulumi ${args.join(" ")} printed more than ${maxBytes} bytes, more than this process can read as one string; ` +
            `look for pending creates by hand: pulumi stack export --stack ${stackName} --file state.json, then the deployment's pending_operations in state.json`,
    );
}
