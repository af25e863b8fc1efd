import { pinnedCliVersion } from "../../deployments/executorImage";

/**
 * Refuses a Pulumi CLI other than the one .pulumi.version names. The Automation API runs whatever `pulumi` is first on
 * PATH and only refuses one older than its own minimum, 3.2.0-alpha (@pulumi/pulumi automation/cmd.js PulumiCommand.get,
 * automation/minimumVersion.js); a laptop's CLI is seldom the pinned one. The projects' `requiredPulumiVersion` (at
 * least the pinned one) admits a newer CLI, stops only the `up` itself, after the release has written its state, and
 * only on CLIs from 3.219 on: older ones ignore it. Prod is released with exactly the CLI its previews ran.
 */
export function refuseUnpinnedCli(installed: string | undefined, workDir: string): void {
    const pinned = pinnedCliVersion(workDir);
    if (installed === pinned) return;
    // The install script's own flag (@pulumi/pulumi automation/cmd.js PulumiCommand.install: "--version").
    throw new Error(
        `the Pulumi CLI on PATH is ${installed ?? "of a version it does not say"}, not ${pinned}, the one in .pulumi.version that previews, ` +
            `deploy-prod.yml and Deployments run: install it (curl -fsSL https://get.pulumi.com | sh -s -- --version ${pinned}) and put it first on PATH`,
    );
}
