/** A fresh release's start: the versions running now recorded as the stable ones, and the new version deployed with no traffic. */
import { RELEASE_KEYS, WORKER_STABLE_KEY } from "./configChanges";
import { ReleaseError } from "./releaseError";
import { ReleaseRun } from "./releaseRun";
import { Cloud, ConfigChange, DeployedTarget } from "./types";

/** `before` is what the stack ran when the release started. */
export async function deployWithNoTraffic(run: ReleaseRun, before: Partial<Record<Cloud, DeployedTarget>>): Promise<void> {
    const { plan, clouds } = run;
    const firstStable: ConfigChange[] = [];
    for (const cloud of clouds) {
        if (run.state(cloud).stable) continue;
        const running = before[cloud];
        if (!running) throw new ReleaseError(`${cloud}: stack ${plan.stack} has no deployed version to fall back to; run pulumi up once before the first release`);
        run.state(cloud).stable = running.version;
        firstStable.push({ key: RELEASE_KEYS[cloud].stable, value: running.version });
        // A weight with no stable version routes nothing (everything goes to the newest); beside the stable version
        // recorded now it would send that share to the new version in this deploy, before any verification.
        if (run.state(cloud).weight !== 0) {
            run.state(cloud).weight = 0;
            firstStable.push({ key: RELEASE_KEYS[cloud].weight, value: 0 });
        }
    }
    // The worker's alias follows the API's canary from the worker version running now (docs/releases.md).
    const worker = before.aws?.worker;
    if (clouds.includes("aws") && worker && !run.state("aws").workerStable) {
        run.state("aws").workerStable = worker.version;
        firstStable.push({ key: WORKER_STABLE_KEY, value: worker.version });
    }
    await run.setConfig(firstStable);
    await run.up("deploy the new version with no traffic on it", {
        recorded: `The release state records the stable versions (${run.recordedStableVersions()}) and no traffic to the new one`,
        next: "No traffic moved: mend what stopped it, then run the release again",
    });
}
