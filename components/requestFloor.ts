/**
 * The requests in a window below which the standing alarms do not judge a rate or a percentile: one failed request
 * of six on a quiet night is 17 %, and one slow one is the p95 of a handful. The release judges error rate and p95
 * only on at least `release.minRequests` requests (release/gates.ts), and its alarm gate reads these alarms whatever
 * the traffic, so the standing alarms take the same figure: this is its default (config/schema.ts), and the components'
 * where a caller sets none.
 */
export const DEFAULT_MIN_REQUESTS = 100;

/**
 * CloudWatch metric math: the value of the query `valueId` where the window holds at least `minRequests` of the query
 * `requestsId`, else 0 (below any threshold here). A window without requests has no data either way.
 */
export function withRequestFloor(valueId: string, requestsId: string, minRequests: number): string {
    return `IF(${requestsId} >= ${minRequests}, ${valueId}, 0)`;
}
