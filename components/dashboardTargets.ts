/**
 * The go-live checklist's targets, drawn on both clouds' dashboards beside the alarm lines. The alarm lines come from
 * the stack's settings (aws.alarms.*, gcp.alerts.*), as the alarms and the release's gates do; these are what good
 * looks like, the same for every stack, and nothing acts on them.
 */
export const CHECKLIST_TARGETS = {
    /** API P95 < 500 ms. */
    p95LatencyMs: 500,
    /** The API carries > 50 requests per second. */
    requestsPerSecond: 50,
    /** Errors < 1 % of requests. */
    errorRatePercent: 1,
    /**
     * Resource use above 90 % (concurrency, CPU, memory, instances) is the limit to act before: the resource-use alarms'
     * default, which a stack sets with release.maxUtilizationPercent (the release's rollback gate).
     */
    utilizationPercent: 90,
} as const;

/** CloudWatch's line colours (any #rrggbb): an alarm red, a target green. Cloud Monitoring's line charts take none (their labels say which is which). */
export const LINE_COLOURS = { alarm: "#d62728", target: "#2ca02c" } as const;
