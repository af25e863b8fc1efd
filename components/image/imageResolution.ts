import { ImageLookup } from "./types";

/** What to do for an image tag: use what the registry has, build it here, or wait for the image workflow. */
export type ImagePlan = { kind: "present"; digest: string } | { kind: "build" } | { kind: "await" };

/** `MULTICLOUD_IMAGE_BUILD`: `auto` builds a missing tag where a Docker engine answers; `never` only waits for it. */
export type BuildPolicy = "auto" | "never";

export const IMAGE_WORKFLOW = ".github/workflows/image.yml";
export const BUILD_POLICY_VARIABLE = "MULTICLOUD_IMAGE_BUILD";

export function buildPolicy(env: NodeJS.ProcessEnv = process.env): BuildPolicy {
    const value = env[BUILD_POLICY_VARIABLE] ?? "auto";
    if (value !== "auto" && value !== "never") {
        throw new Error(`${BUILD_POLICY_VARIABLE} must be "auto" or "never" (got ${JSON.stringify(value)})`);
    }
    return value;
}

/**
 * An image already in the registry is used as it is, whatever machine runs the deployment: it is never rebuilt
 * or pushed again (its tag is immutable). Only a missing tag is built, and only where a Docker engine answers.
 */
export async function planImage(tag: string, lookup: ImageLookup, policy: BuildPolicy, daemonReachable: () => Promise<boolean>): Promise<ImagePlan> {
    const digest = await lookup.findDigest(tag);
    if (digest) return { kind: "present", digest };
    if (policy === "auto" && (await daemonReachable())) return { kind: "build" };
    return { kind: "await" };
}

export class ImageNotFoundError extends Error {
    constructor(tag: string, lookup: ImageLookup, waitedMinutes: number) {
        super(
            `image tag ${tag} is not in ${lookup.description}` +
                (waitedMinutes > 0 ? ` after waiting ${waitedMinutes} min` : "") +
                `, and this deployment cannot build it (no Docker engine answers here, or ${BUILD_POLICY_VARIABLE}=never). ` +
                `Push it with the image workflow (${IMAGE_WORKFLOW}: it runs on every push to main and by hand from the Actions tab), ` +
                `or run \`pulumi up\` where Docker runs; then deploy again.`,
        );
        this.name = "ImageNotFoundError";
    }
}

export interface AwaitOptions {
    timeoutMs: number;
    intervalMs: number;
    progress: (message: string) => void;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
}

/** Polls the registry until the tag appears (the image workflow pushes it) or the time is up. */
export async function awaitImage(tag: string, lookup: ImageLookup, options: AwaitOptions): Promise<string> {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const now = options.now ?? Date.now;
    const started = now();
    const minutes = (ms: number) => Math.round(ms / 6000) / 10;
    for (;;) {
        const digest = await lookup.findDigest(tag);
        if (digest) return digest;
        const waited = now() - started;
        if (waited >= options.timeoutMs) throw new ImageNotFoundError(tag, lookup, minutes(options.timeoutMs));
        options.progress(
            `waiting for image ${tag} in ${lookup.description} (${IMAGE_WORKFLOW} pushes it): ${minutes(waited)} of ${minutes(options.timeoutMs)} min`,
        );
        await sleep(Math.min(options.intervalMs, options.timeoutMs - waited));
    }
}

/** A lookup error that only means "not there" (missing tag or missing repository), as opposed to access denied. */
export function isNotFound(err: unknown): boolean {
    return /not ?found|NotFoundException|\b404\b/i.test(String((err as Error)?.message ?? err));
}

/** The lookup's answer, or undefined when what it asked for is not there; any other failure is thrown. */
export async function unlessNotFound<T>(lookup: () => Promise<T>): Promise<T | undefined> {
    try {
        return await lookup();
    } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
    }
}
