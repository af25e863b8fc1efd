/**
 * Build once, promote by digest: the image a stack runs (dev) is copied into another stack's registries (prod)
 * under the same content tag, bytes unchanged, so that prod runs exactly what dev ran. Nothing is built. The image's
 * cosign signature and attestations (`sha256-<hex>.sig` / `.att`) go along, so that prod's `pulumi up` can verify it.
 */
import { cosignTag } from "../../components/image/cosignSignature";
import { ImageVerificationError } from "../../components/image/imageVerification";
import { cloudsPromotedBefore } from "./earlierPromotion";
import { refusedAfterCopyMessage, stoppedPromotionMessage } from "./promotionStopped";
import { CloudName, Registries, RepositoryTarget, repositoryTargets } from "./registries";
import type { ImageTargets } from "./targets";

export interface PromotionPlan {
    from: string;
    to: string;
    /** The targets of each stack, by cloud (the same content tags: same source, same platforms). */
    source: RepositoryTarget[];
    destination: RepositoryTarget[];
}

/**
 * The plan of promoting `from`'s images into `to`'s registries, each stack's ECR registry in its own region
 * (`ecrHost`): ECR repositories are regional, and dev's image is where dev runs it, whatever prod's region.
 */
export async function promotionPlan(from: string, to: string, targetsOf: (stack: string) => ImageTargets, ecrHost: (targets: ImageTargets) => Promise<string | undefined>): Promise<PromotionPlan> {
    const [source, destination] = [targetsOf(from), targetsOf(to)];
    return { from, to, source: repositoryTargets(source, await ecrHost(source)), destination: repositoryTargets(destination, await ecrHost(destination)) };
}

/** What the source stack runs now, by cloud: its `aws.imageDigest` / `gcp.imageDigest` stack outputs. */
export type RunningDigests = Partial<Record<CloudName, string>>;

export interface PromotionResult {
    cloud: CloudName;
    tag: string;
    digest: string;
    action: "copied" | "already there";
}

/** Checks an image's signature and attestations where it is (throws an ImageVerificationError); see main.ts. */
export type VerifyImage = (target: RepositoryTarget, digest: string) => Promise<void>;

export class PromotionError extends Error {
    constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = "PromotionError";
    }
}

/** A cloud whose image may be promoted: what its checks found, before anything is copied. */
interface CheckedCloud {
    from: RepositoryTarget;
    to: RepositoryTarget;
    digest: string;
    /** What the destination's tag holds now: `digest` (already promoted) or nothing. */
    there: string | undefined;
}

/**
 * Promotes each cloud's image: it must be in the source stack's registry under this checkout's content tag, be what
 * the source stack runs (or, once the source moved on, be this checkout's image of a promotion an earlier run began:
 * earlierPromotion.ts) and verify there (`verify`: the destination's image.verify); it is copied unless the
 * destination already holds that tag with the same digest, and the destination's digest is checked after the copy.
 * A tag there with another digest is refused. Its signature and attestations are copied too, and the image is
 * verified again where it landed, as the destination's `pulumi up` will. Every cloud is checked before any is
 * copied: a promotion refused on one cloud leaves the destination's registries as they were. The copies are not one
 * transaction: one that fails (a reset connection, a registry's 5xx, a copy past its bound) stops the promotion with
 * each cloud's state and the remedy, running it again, which skips what is there (promotionStopped.ts). A verdict
 * (PromotionError, ImageVerificationError) after a copy keeps its own words and remedy (running it again would meet
 * it again); once a cloud is promoted, it comes after each cloud's state, as a PromotionError (the verdict its cause).
 */
export async function promote(plan: PromotionPlan, running: RunningDigests, registries: Registries, log: (line: string) => void, verify?: VerifyImage): Promise<PromotionResult[]> {
    const checked: CheckedCloud[] = [];
    // Asked of the registries only when a cloud's image is not what the source runs: a promotion's usual run reads no more.
    let promotedBefore: Promise<CloudName[]> | undefined;
    const earlierPromotion = () => (promotedBefore ??= cloudsPromotedBefore(plan, registries));
    for (const to of plan.destination) checked.push(await checkCloud(plan, to, running, registries, earlierPromotion, log, verify));
    const results: PromotionResult[] = [];
    for (const cloud of checked) {
        try {
            results.push(await copyCloud(cloud, registries, log, verify));
        } catch (err) {
            const verdict = err instanceof PromotionError || err instanceof ImageVerificationError;
            if (verdict && results.length === 0) throw err;
            if (verdict) throw new PromotionError(refusedAfterCopyMessage(plan, plan.destination, results, err.message), { cause: err });
            throw new PromotionError(stoppedPromotionMessage(plan, plan.destination, results, (err as Error).message), { cause: err });
        }
    }
    return results;
}

/** Refuses (PromotionError, or verify's error) a cloud whose image may not be promoted; reads and verifies, copies nothing. */
async function checkCloud(
    plan: PromotionPlan,
    to: RepositoryTarget,
    running: RunningDigests,
    registries: Registries,
    earlierPromotion: () => Promise<CloudName[]>,
    log: (line: string) => void,
    verify?: VerifyImage,
): Promise<CheckedCloud> {
    const from = plan.source.find((s) => s.cloud === to.cloud);
    if (!from) throw new PromotionError(`${plan.from} does not run its own image on ${to.cloud} (aws.image/gcp.image set, or the cloud disabled): nothing to promote to ${plan.to}`);
    if (from.tag !== to.tag) throw new PromotionError(`${plan.from} and ${plan.to} build ${to.cloud} for different platforms (${from.platform} vs ${to.platform}): set the same architecture in both stacks`);
    const digest = await registries.digestOf(from);
    if (!digest) throw new PromotionError(`${from.repository}:${from.tag} is not there: ${plan.from} has not run this checkout's image (image.yml builds it on the push to main, then ${plan.from} deploys it)`);
    if (running[to.cloud] !== digest) {
        const promotedBefore = await earlierPromotion();
        if (promotedBefore.length === 0) {
            throw new PromotionError(
                `${plan.from} runs ${running[to.cloud] ?? "nothing"} on ${to.cloud}, not ${digest} (${from.tag}, this checkout's image): ` +
                    `deploy this commit to ${plan.from} first, or release the commit ${plan.from} runs`,
            );
        }
        log(`${to.cloud}: ${plan.from} now runs ${running[to.cloud] ?? "nothing"}, not ${digest}: finishing the promotion an earlier run of this checkout began (${plan.to} holds ${promotedBefore.join(" and ")}'s copy)`);
    }
    if (verify) await verify(from, digest);
    const there = await registries.digestOf(to);
    if (there && there !== digest) throw new PromotionError(`${to.repository}:${to.tag} is ${there}, not ${digest}: a tag is never moved; find out who pushed it`);
    return { from, to, digest, there };
}

/** Copies a checked cloud's image unless it is there, then its signature and attestations, and verifies where it landed. */
async function copyCloud({ from, to, digest, there }: CheckedCloud, registries: Registries, log: (line: string) => void, verify?: VerifyImage): Promise<PromotionResult> {
    if (there === digest) {
        log(`${to.cloud}: ${to.repository}:${to.tag} is already ${digest}`);
    } else {
        log(`${to.cloud}: copying ${from.repository}@${digest} to ${to.repository}:${to.tag}`);
        await registries.copy(from, digest, to);
        const copied = await registries.digestOf(to);
        if (copied !== digest) throw new PromotionError(`${to.repository}:${to.tag} is ${copied ?? "missing"} after the copy, not ${digest}`);
    }
    const carried = await copySupplyChain(from, to, digest, registries, log);
    if (verify) await verify(to, digest);
    return { cloud: to.cloud, tag: to.tag, digest, action: there === digest && carried === 0 ? "already there" : "copied" };
}

/**
 * Copies the image's `.sig` and `.att` (cosign's tag-based discovery, sigstore/cosign specs/SIGNATURE_SPEC.md) as they
 * are, by digest, unless the destination already has the same; returns how many were copied. A source without them
 * copies nothing (the verification, when required, has already refused it).
 */
async function copySupplyChain(from: RepositoryTarget, to: RepositoryTarget, digest: string, registries: Registries, log: (line: string) => void): Promise<number> {
    let copied = 0;
    for (const tag of [cosignTag(digest, "sig"), cosignTag(digest, "att")]) {
        const source = await registries.digestOf({ ...from, tag });
        if (!source || (await registries.digestOf({ ...to, tag })) === source) continue;
        log(`${to.cloud}: copying ${from.repository}:${tag} to ${to.repository}:${tag}`);
        await registries.copy({ ...from, tag }, source, { ...to, tag });
        copied++;
    }
    return copied;
}
