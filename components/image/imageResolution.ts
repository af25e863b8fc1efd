import { ImageLookup } from "./types";
import { Refusal } from "../refusal";
import { WaitClock, waitClock } from "../waitClock";

export const IMAGE_WORKFLOW = ".github/workflows/image.yml";

/** Who pushes the image of a stack that builds its own (dev), and of one that is promoted into (prod). */
export function imagePusher(source: { promotedFrom?: string; registriesOf?: string }): string {
    if (source.promotedFrom) return `the promotion from ${source.promotedFrom} (\`npm run image -- promote ${source.promotedFrom} <stack>\`, run by .github/workflows/deploy-prod.yml)`;
    // A review stack runs the images image.yml built for main: none for an app/ that main has not built, or whose
    // build the registry's cleanup rules have since removed. No local build is offered: image.yml would stop at an
    // unsigned image under the tag main's build pushes.
    if (source.registriesOf) {
        return `${IMAGE_WORKFLOW} on a push to main, into ${source.registriesOf}'s registries, which this stack runs its images from: a change to app/ has one once it is merged, and a branch whose app/ matches an older build of main (one ${source.registriesOf}'s cleanup rules removed) has one after a rebase on main`;
    }
    return `${IMAGE_WORKFLOW} (on every push to main) or \`npm run image -- build <stack>\` where Docker runs (unsigned: prod cannot run it, and image.yml stops at it until it is deleted)`;
}

/**
 * The program cannot tell a `destroy --run-program` or `refresh --run-program` from an `up` (the engine says only
 * whether it previews): their run after the preview waits for a missing image, then fails, and the destroy deletes
 * nothing. Neither needs the program: the providers' settings are the stack's, and their credentials the environment's.
 */
const NO_IMAGE_NEEDED = "A `pulumi destroy` or `pulumi refresh` needs no image: run it without `--run-program` (and without PULUMI_RUN_PROGRAM=true), which runs the program as an `up` does.";

export class ImageNotFoundError extends Refusal {
    constructor(tag: string, lookup: ImageLookup, waitedMinutes: number, pushedBy: string) {
        super(
            `image tag ${tag} is not in ${lookup.description}` +
                (waitedMinutes > 0 ? ` after waiting ${waitedMinutes} min` : "") +
                `. \`pulumi up\` never builds images: push it with ${pushedBy}, then deploy again. ${NO_IMAGE_NEEDED}`,
        );
        this.name = "ImageNotFoundError";
    }
}

export interface AwaitOptions {
    timeoutMs: number;
    intervalMs: number;
    pushedBy: string;
    progress: (message: string) => void;
    clock?: WaitClock;
}

/** Polls the registry until the tag appears (the image workflow or the promotion pushes it) or the time is up. */
export async function awaitImage(tag: string, lookup: ImageLookup, options: AwaitOptions): Promise<string> {
    const { sleep, now } = options.clock ?? waitClock;
    const started = now();
    const minutes = (ms: number) => Math.round(ms / 6000) / 10;
    for (;;) {
        const digest = await lookup.findDigest(tag);
        if (digest) return digest;
        const waited = now() - started;
        if (waited >= options.timeoutMs) throw new ImageNotFoundError(tag, lookup, minutes(options.timeoutMs), options.pushedBy);
        options.progress(`waiting for image ${tag} in ${lookup.description} (pushed by ${options.pushedBy}): ${minutes(waited)} of ${minutes(options.timeoutMs)} min`);
        await sleep(Math.min(options.intervalMs, options.timeoutMs - waited));
    }
}
