/**
 * Build once, promote by digest: the image a stack runs (dev) is copied into another stack's registries (prod)
 * under the same content tag, bytes unchanged, so that prod runs exactly what dev ran. Nothing is built.
 */
import { CloudName, Registries, RepositoryTarget } from "./registries";

export interface PromotionPlan {
    from: string;
    to: string;
    /** The targets of each stack, by cloud (the same content tags: same source, same platforms). */
    source: RepositoryTarget[];
    destination: RepositoryTarget[];
}

/** What the source stack runs now, by cloud: its `aws.imageDigest` / `gcp.imageDigest` stack outputs. */
export type RunningDigests = Partial<Record<CloudName, string>>;

export interface PromotionResult {
    cloud: CloudName;
    tag: string;
    digest: string;
    action: "copied" | "already there";
}

export class PromotionError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PromotionError";
    }
}

/**
 * Promotes each cloud's image: it must be in the source stack's registry under this checkout's content tag and be
 * what the source stack runs; it is copied unless the destination already holds that tag with the same digest,
 * and the destination's digest is checked after the copy. A tag there with another digest is refused.
 */
export async function promote(plan: PromotionPlan, running: RunningDigests, registries: Registries, log: (line: string) => void): Promise<PromotionResult[]> {
    const results: PromotionResult[] = [];
    for (const to of plan.destination) {
        const from = plan.source.find((s) => s.cloud === to.cloud);
        if (!from) throw new PromotionError(`${plan.from} does not run its own image on ${to.cloud} (aws.image/gcp.image set, or the cloud disabled): nothing to promote to ${plan.to}`);
        if (from.tag !== to.tag) throw new PromotionError(`${plan.from} and ${plan.to} build ${to.cloud} for different platforms (${from.platform} vs ${to.platform}): set the same architecture in both stacks`);
        const digest = await registries.digestOf(from);
        if (!digest) throw new PromotionError(`${from.repository}:${from.tag} is not there: ${plan.from} has not run this checkout's image (image.yml builds it on the push to main, then ${plan.from} deploys it)`);
        if (running[to.cloud] !== digest) {
            throw new PromotionError(
                `${plan.from} runs ${running[to.cloud] ?? "nothing"} on ${to.cloud}, not ${digest} (${from.tag}, this checkout's image): ` +
                    `deploy this commit to ${plan.from} first, or release the commit ${plan.from} runs`,
            );
        }
        const there = await registries.digestOf(to);
        if (there === digest) {
            log(`${to.cloud}: ${to.repository}:${to.tag} is already ${digest}`);
            results.push({ cloud: to.cloud, tag: to.tag, digest, action: "already there" });
            continue;
        }
        if (there) throw new PromotionError(`${to.repository}:${to.tag} is ${there}, not ${digest}: a tag is never moved; find out who pushed it`);
        log(`${to.cloud}: copying ${from.repository}@${digest} to ${to.repository}:${to.tag}`);
        await registries.copy(from, digest, to);
        const copied = await registries.digestOf(to);
        if (copied !== digest) throw new PromotionError(`${to.repository}:${to.tag} is ${copied ?? "missing"} after the copy, not ${digest}`);
        results.push({ cloud: to.cloud, tag: to.tag, digest, action: "copied" });
    }
    return results;
}
