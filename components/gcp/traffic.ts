const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";
const REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";

export interface TrafficTarget {
    type: string;
    percent: number;
    revision?: string;
}

/**
 * Where Cloud Run sends traffic. No stable revision: all of it to the latest revision. A stable revision and
 * p %: p % to the latest and the rest to the stable one; 0 % holds (or rolls back) on the stable revision,
 * 100 % promotes the latest. Entries with 0 % are left out.
 */
export function trafficSplit(canary?: { stableRevision?: string; percent: number }): TrafficTarget[] {
    if (!canary?.stableRevision || canary.percent >= 100) return [{ type: LATEST, percent: 100 }];
    if (canary.percent <= 0) return [{ type: REVISION, revision: canary.stableRevision, percent: 100 }];
    return [
        { type: LATEST, percent: canary.percent },
        { type: REVISION, revision: canary.stableRevision, percent: 100 - canary.percent },
    ];
}
