/**
 * A stack's `pulumi up` waits up to `image.waitMinutes` for a missing image (components/image/serviceImage.ts) on the
 * credentials its ESC environment handed out when the update began, which nothing renews within it: AWS's session
 * and Google's access token both end at credentialsMinutes. A wait that leaves the update no time to deploy fails it
 * half-way on expired credentials. deployments/ knows both, so it says so once, before anything is deployed. Released
 * stacks are bounded by the release's own check (releaseWindow.ts), which counts the image wait with every up.
 */
import { refuseWhenAny } from "./refusal";
import { DEFAULT_IMAGE_WAIT_MINUTES } from "../config/schema";
import { credentialsMinutes } from "./escEnvironments";
import { DeploymentsSettings, isReleased } from "./settings";

/** What an update needs once its image is there, as the release allows each `up` (release/stack/automationStack.ts UP_MINUTES; a spec keeps them equal). */
export const UP_MINUTES_AFTER_IMAGE = 10;

/** Refuses, naming each stack file, an `image.waitMinutes` whose wait would leave its update less than UP_MINUTES_AFTER_IMAGE of its credentials. */
export function checkImageWaits(s: DeploymentsSettings, waits: Record<string, number | undefined>, verifies: Record<string, boolean> = {}): void {
    const problems = Object.entries(waits)
        .filter(([stack]) => !isReleased(s, stack))
        .flatMap(([stack, wait = DEFAULT_IMAGE_WAIT_MINUTES]) => {
            const minutes = credentialsMinutes(s, stack);
            // A stack that verifies its images waits twice: for the push, then for the registry's scan (components/image/serviceImage.ts).
            const waitsFor = verifies[stack] ? 2 : 1;
            const most = Math.floor((minutes - UP_MINUTES_AFTER_IMAGE) / waitsFor);
            return wait > most
                ? [`Pulumi.${stack}.yaml's ${s.project}:image.waitMinutes (${wait}${waitsFor === 2 ? ", waited twice: the push, then the scan image.verify asks for" : ""}) leaves its pulumi up less than ${UP_MINUTES_AFTER_IMAGE} of the ${minutes} min its credentials last (ESC environment ${s.project}/${stack}): set it to at most ${most}`]
                : [];
        });
    refuseWhenAny("an update could outlive its credentials waiting for its image", problems);
}
