/**
 * Whether an earlier run of this promotion got past its checks: promote.ts checks every cloud before it copies any, so
 * a destination holding, under this checkout's tag, the digest the source's same tag holds was copied by a run that
 * found the source running every cloud's image then. A re-run of one that stopped partway (a copy that failed) may
 * then finish it after the source moved on: dev deploys on every push to main, and tags never move.
 */
import type { PromotionPlan } from "./promote";
import type { CloudName, Registries } from "./registries";

/** The clouds whose images the destination already holds as the source's tag holds them, in the plan's order. */
export async function cloudsPromotedBefore(plan: PromotionPlan, registries: Registries): Promise<CloudName[]> {
    const promoted: CloudName[] = [];
    for (const to of plan.destination) {
        const from = plan.source.find((s) => s.cloud === to.cloud);
        if (!from || from.tag !== to.tag) continue;
        const there = await registries.digestOf(to);
        if (there !== undefined && there === (await registries.digestOf(from))) promoted.push(to.cloud);
    }
    return promoted;
}
