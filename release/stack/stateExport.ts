import { execFile } from "child_process";
import type { PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/**
 * `pulumi stack export` of the stack, parsed, with its secrets left encrypted. The SDK's exportStack passes
 * --show-secrets, which decrypts every secret of the state (and logs a decryption: pulumi/pulumi
 * pkg/cmd/pulumi/stack/stack_export.go) where the release reads only its pending operations.
 */
export type ExportState = () => Promise<unknown>;

/** `stack` with exportState, run as the SDK runs its own commands (automation/localWorkspace.js runPulumiCmd's environment, cmd.js's --non-interactive). */
export function withStateExport<S extends Stack>(stack: S, pulumiCommand: PulumiCommand): S & { exportState: ExportState } {
    const exportState: ExportState = () =>
        new Promise((resolve, reject) => {
            const workspace = stack.workspace;
            const env = { ...process.env, ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars };
            const args = ["stack", "export", "--stack", stack.name, "--non-interactive"];
            execFile(pulumiCommand.command, args, { cwd: workspace.workDir, env, maxBuffer: 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
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
