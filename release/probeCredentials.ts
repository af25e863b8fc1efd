import { ReleaseError } from "./releaseError";
import type { ReleaseRun } from "./releaseRun";
import type { Cloud, DeployedTarget } from "./types";

/**
 * Refuses a release whose probe cannot have its credentials (Cloud Run: an ID token from a workload or workforce
 * identity federation file, or from a user's sign-in without openid), before the release writes its state or runs its
 * first `pulumi up`: the probe would otherwise find out only at the new version's verification, after the deploy at 0 %
 * (or, resumed, at a step's first health check, with traffic moved again).
 */
export async function refuseProbesWithoutCredentials(run: ReleaseRun, running: Partial<Record<Cloud, DeployedTarget>>, trafficSoFar: string): Promise<void> {
    for (const cloud of run.clouds) {
        const probe = run.deps.probes[cloud];
        const target = running[cloud];
        if (!probe?.credentials || !target) continue;
        try {
            await probe.credentials(target);
        } catch (err) {
            throw new ReleaseError(`${cloud}: the probe's credentials: ${(err as Error).message}. ${trafficSoFar}, and this run changed nothing: mend the release's access, then run the release again`);
        }
    }
}
