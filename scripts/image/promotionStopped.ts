/**
 * What a promotion that ended partway says: prod's registries may hold part of the release (a cloud copied, the next
 * one not), so the operator reads each cloud's state. A copy that failed (a reset connection, a registry's 5xx, the
 * copy's bound) is finished by the same command, since a tag already there with the same digest, and a `.sig` / `.att`
 * already there, are not copied again (promote.ts), even after the source moved on once a cloud was copied
 * (earlierPromotion.ts); a refusal after a cloud was promoted keeps its own remedy.
 */
import type { PromotionPlan, PromotionResult } from "./promote";
import type { RepositoryTarget } from "./registries";

/**
 * `destinations`: every cloud the promotion was to copy, in its order; `promoted`: those it finished, the first ones;
 * the next one is where it stopped, for `reason` (the failed copy's or read's own message).
 */
export function stoppedPromotionMessage(plan: Pick<PromotionPlan, "from" | "to">, destinations: RepositoryTarget[], promoted: PromotionResult[], reason: string): string {
    const stoppedOn = destinations[promoted.length];
    // Once a cloud is copied, the checks of every cloud had passed (promote.ts checks all before it copies any): a re-run
    // finishes it even after the source deployed a newer commit (earlierPromotion.ts).
    const whileSourceRuns = promoted.length === 0
        ? `while ${plan.from} still runs these images`
        : `even once ${plan.from} runs a newer commit (${plan.to}'s copy of ${promoted.map((p) => p.cloud).join(" and ")} shows that every cloud's checks passed)`;
    return [
        `the promotion of ${plan.from} into ${plan.to} stopped on ${stoppedOn.cloud}: ${reason}`,
        ...cloudStates(destinations, promoted, `stopped while copying into ${stoppedOn.repository}:${stoppedOn.tag} (what was copied stays)`),
        `Run the same command again (\`npm run image -- promote ${plan.from} ${plan.to}\`; in deploy-prod.yml, re-run the failed job) once the cause above is dealt with ` +
            `(a reset connection or a registry's 5xx: at once), ${whileSourceRuns}: what ${plan.to}'s registries hold already is not copied again, the rest is.`,
    ].join("\n");
}

/**
 * A refusal (`refusal`: a PromotionError's or ImageVerificationError's message, with its own remedy) of the cloud after
 * `promoted`, met after its copy: each cloud's state, then the refusal as it is. Running the promotion again would meet
 * it again, so no "run it again" is added.
 */
export function refusedAfterCopyMessage(plan: Pick<PromotionPlan, "from" | "to">, destinations: RepositoryTarget[], promoted: PromotionResult[], refusal: string): string {
    const refusedOn = destinations[promoted.length];
    return [
        `the promotion of ${plan.from} into ${plan.to} was refused on ${refusedOn.cloud}, after its copy, so ${plan.to}'s registries hold part of the release:`,
        ...cloudStates(destinations, promoted, `refused after the copy into ${refusedOn.repository}:${refusedOn.tag} (what was copied stays), for this:`),
        refusal,
    ].join("\n");
}

/** One line per cloud: promoted (with its digest), `ended` for the one the promotion ended on, or not started. */
function cloudStates(destinations: RepositoryTarget[], promoted: PromotionResult[], ended: string): string[] {
    return destinations.map((to, i) => {
        const done = promoted[i];
        if (done) return `  ${to.cloud}: promoted (${to.repository}:${to.tag} is ${done.digest})`;
        if (i === promoted.length) return `  ${to.cloud}: not promoted: ${ended}`;
        return `  ${to.cloud}: not promoted: not started`;
    });
}
