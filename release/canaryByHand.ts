/**
 * A canary weight the release state records that no release wrote: one set by hand (docs/releases.md, "Canary and
 * rollback by hand"). A release's step writes each cloud's weight and candidate in one write (steps.ts, moveTraffic),
 * so its own stopped run always has the candidate beside the weight; a weight above 0 without one is not a release to
 * resume, and resuming it would bake and promote the hand's version and leave this release's own with no traffic.
 */
import { RELEASE_KEYS, splitKey } from "./configChanges";
import { ReleaseError } from "./releaseError";
import { ReleaseRun } from "./releaseRun";
import { Cloud, DeployedTarget } from "./types";

/** Refuses, before anything is written or applied, a weight above 0 beside a stable version with no candidate recorded. */
export function refuseCanaryByHand(run: ReleaseRun, deployed: Partial<Record<Cloud, DeployedTarget>>): void {
    const byHand = run.clouds.filter((c) => run.state(c).stable && run.state(c).weight > 0 && run.state(c).candidate === undefined);
    if (byHand.length === 0) return;
    const found = byHand.map((c) => {
        const { weight, stable } = run.state(c);
        const kind = c === "gcp" ? "revision" : "version";
        return `${c}: ${weight}% of traffic on ${deployed[c]?.version ?? `its newest ${kind}`} beside the stable ${kind} ${stable}`;
    });
    const keys = byHand.map((c) => splitKey(RELEASE_KEYS[c].candidate)[1]);
    throw new ReleaseError(
        `${found.join(", ")}, set by hand: a release records its candidate with each step's weight (${keys.join(", ")}), and none is recorded. ` +
            'Nothing was written and no pulumi up ran; end that canary first, promote it or roll it back by hand (docs/releases.md, "Canary and rollback by hand"), then run the release again',
    );
}
