const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";
const REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";

/**
 * The tag on the latest revision while a stable one is kept: Cloud Run gives it its own URL,
 * `https://candidate---<service>-<hash>.<region>.run.app` (trafficStatuses[].uri), which reaches that revision alone
 * at any percent, 0 included. `npm run release` verifies and health-checks the new revision there.
 */
export const CANDIDATE_TAG = "candidate";

export interface TrafficTarget {
    type: string;
    percent: number;
    revision?: string;
    tag?: string;
}

export interface TrafficCanary {
    stableRevision?: string;
    percent: number;
    /** The revision the percent goes to; unset: the latest. */
    candidateRevision?: string;
}

/**
 * Where Cloud Run sends traffic. No stable revision: all of it to the latest revision. A stable revision and
 * p %: p % to the candidate and the rest to the stable one; 0 % holds (or rolls back) on the stable revision,
 * 100 % promotes the candidate, and the stable revision is left out at 100 %.
 * The candidate is the recorded candidateRevision while a release moves traffic (p > 0), named as a REVISION
 * target: a revision that an update from another checkout creates meanwhile is the latest but gets no traffic.
 * Otherwise it is the latest revision (a LATEST target). Either way it carries CANDIDATE_TAG, at 0 % too (a LATEST
 * target may carry a tag, as `gcloud run services update-traffic --update-tags` shows it: "LATEST (currently
 * <revision>)" with its tags).
 */
export function trafficSplit(canary?: TrafficCanary): TrafficTarget[] {
    if (!canary?.stableRevision) return [{ type: LATEST, percent: 100 }];
    const percent = Math.min(100, Math.max(0, canary.percent));
    const recorded = percent > 0 ? canary.candidateRevision : undefined;
    // A recorded candidate that is the stable revision holds everything there, as 0 % does.
    if (recorded === canary.stableRevision) return trafficSplit({ stableRevision: canary.stableRevision, percent: 0 });
    const candidate = recorded ? { type: REVISION, revision: recorded, percent, tag: CANDIDATE_TAG } : { type: LATEST, percent, tag: CANDIDATE_TAG };
    if (percent >= 100) return [candidate];
    return [candidate, { type: REVISION, revision: canary.stableRevision, percent: 100 - percent }];
}
