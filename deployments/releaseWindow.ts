/**
 * How long a release of a stack may take at worst, from the stack file's release settings, against how long the
 * credentials of the job that runs it last. Each step may wait release.maxWaitMinutes for enough traffic (the bake,
 * release.bakeMinutes, is never longer); each `pulumi up` (the deploy at 0 %, one per step, the final record) is
 * allowed UP_MINUTES.
 */
import { parseStackSettings } from "../config";
import { readStackFile } from "../config/stackFile";
import { releasePlan } from "../release/settings";

export const UP_MINUTES = 10;

export function releaseWindow(stack: string) {
    const file = readStackFile(stack);
    const plan = releasePlan(parseStackSettings({ values: file.config, secretKeys: new Set(file.secretKeys) }, stack));
    const steps = plan.steps.length;
    const ups = steps + 2;
    return { stack, steps, ups, worstCaseMinutes: steps * plan.maxWaitMinutes + ups * UP_MINUTES, maxWaitMinutes: plan.maxWaitMinutes };
}

/** Throws, naming the settings, when the release could outlive `credentialsMinutes`. */
export function checkReleaseWindow(stack: string, credentialsMinutes: number) {
    if (!Number.isFinite(credentialsMinutes) || credentialsMinutes <= 0) throw new Error(`RELEASE_CREDENTIALS_MINUTES must be a number of minutes (got ${credentialsMinutes})`);
    const { steps, ups, worstCaseMinutes, maxWaitMinutes } = releaseWindow(stack);
    if (worstCaseMinutes > credentialsMinutes) {
        throw new Error(
            `${stack}'s release may take ${worstCaseMinutes} min (${steps} steps x release.maxWaitMinutes ${maxWaitMinutes} + ${ups} pulumi up x ${UP_MINUTES}), ` +
                `longer than the ${credentialsMinutes} min its credentials last (RELEASE_CREDENTIALS_MINUTES): lower release.maxWaitMinutes or release.steps, or lengthen the ${stack} environment's credentials (deployments/escEnvironments.ts)`,
        );
    }
    return worstCaseMinutes;
}
