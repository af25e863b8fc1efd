/**
 * What a promotion that stopped while copying says: prod's registries may hold part of the release (a cloud copied, the
 * next one not), so the operator reads each cloud's state and that the same command finishes the job, since a tag
 * already there with the same digest, and a `.sig` / `.att` already there, are not copied again (promote.ts).
 */
import type { PromotionPlan, PromotionResult } from "./promote";
import type { RepositoryTarget } from "./registries";

/**
 * `destinations`: every cloud the promotion was to copy, in its order; `promoted`: those it finished, the first ones;
 * the next one is where it stopped, for `reason` (the failed copy's or read's own message).
 */
export function stoppedPromotionMessage(plan: Pick<PromotionPlan, "from" | "to">, destinations: RepositoryTarget[], promoted: PromotionResult[], reason: string): string {
    const stoppedOn = destinations[promoted.length];
    const state = (to: RepositoryTarget, i: number) => {
        const done = promoted[i];
        if (done) return `  ${to.cloud}: promoted (${to.repository}:${to.tag} is ${done.digest})`;
        if (to === stoppedOn) return `  ${to.cloud}: not promoted: stopped while copying into ${to.repository}:${to.tag} (what was copied stays)`;
        return `  ${to.cloud}: not promoted: not started`;
    };
    return [
        `the promotion of ${plan.from} into ${plan.to} stopped on ${stoppedOn.cloud}: ${reason}`,
        ...destinations.map(state),
        `Run the same command again (\`npm run image -- promote ${plan.from} ${plan.to}\`; in deploy-prod.yml, re-run the failed job) once the cause above is dealt with ` +
            `(a reset connection or a registry's 5xx: at once), while ${plan.from} still runs these images: what ${plan.to}'s registries hold already is not copied again, the rest is.`,
    ].join("\n");
}
