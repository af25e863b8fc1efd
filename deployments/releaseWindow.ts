/**
 * How long a release of a stack may take at worst, from the stack file's release settings, against how long the
 * credentials of the job that runs it last: the verification of the new version before traffic (both clouds at
 * once), then each step waiting release.maxWaitMinutes for enough traffic (the bake, release.bakeMinutes, is never
 * longer) plus the slowest enabled cloud's metric ingestion delay (a window ends that long before now), and each
 * `pulumi up` (the deploy at 0 %, one per step, the final record) allowed UP_MINUTES after waiting at most
 * LOCK_WAIT_MINUTES for another update's lock (release/stack/automationStack.ts).
 */
import { parseStackSettings } from "../config";
import { readStackFile } from "../config/stackFile";
import { ingestionDelaySeconds } from "../release/metrics/ingestionDelay";
import { verificationWorstCaseSeconds } from "../release/probe/load";
import { enabledClouds, releasePlan } from "../release/settings";
import { LOCK_WAIT_MINUTES } from "../release/stack/automationStack";

export const UP_MINUTES = 10;

export function releaseWindow(stack: string) {
    const file = readStackFile(stack);
    const plan = releasePlan(parseStackSettings({ values: file.config, secretKeys: new Set(file.secretKeys) }, stack));
    const steps = plan.steps.length;
    const ups = steps + 2;
    const verifyMinutes = Math.ceil(verificationWorstCaseSeconds(plan.verify.seconds) / 60);
    const ingestionDelayMinutes = Math.ceil(Math.max(0, ...enabledClouds(plan).map((cloud) => ingestionDelaySeconds(cloud, plan))) / 60);
    const upMinutes = UP_MINUTES + LOCK_WAIT_MINUTES;
    const worstCaseMinutes = verifyMinutes + steps * (plan.maxWaitMinutes + ingestionDelayMinutes) + ups * upMinutes;
    return { stack, steps, ups, upMinutes, verifyMinutes, ingestionDelayMinutes, maxWaitMinutes: plan.maxWaitMinutes, worstCaseMinutes };
}

/** Throws, naming the settings, when the release could outlive `credentialsMinutes`. */
export function checkReleaseWindow(stack: string, credentialsMinutes: number) {
    if (!Number.isFinite(credentialsMinutes) || credentialsMinutes <= 0) throw new Error(`RELEASE_CREDENTIALS_MINUTES must be a number of minutes (got ${credentialsMinutes})`);
    const { steps, ups, upMinutes, verifyMinutes, ingestionDelayMinutes, worstCaseMinutes, maxWaitMinutes } = releaseWindow(stack);
    if (worstCaseMinutes > credentialsMinutes) {
        throw new Error(
            `${stack}'s release may take ${worstCaseMinutes} min (${verifyMinutes} min verification (release.verify.seconds) + ` +
                `${steps} steps x (release.maxWaitMinutes ${maxWaitMinutes} + ${ingestionDelayMinutes} min metric ingestion delay) + ${ups} pulumi up x ${upMinutes} (${LOCK_WAIT_MINUTES} of them waiting for another update's lock)), ` +
                `longer than the ${credentialsMinutes} min its credentials last (RELEASE_CREDENTIALS_MINUTES): lower release.maxWaitMinutes or release.steps, or lengthen the ${stack} environment's credentials (deployments/escEnvironments.ts)`,
        );
    }
    return worstCaseMinutes;
}
