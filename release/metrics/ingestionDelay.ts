/**
 * How long after the fact each cloud's metrics are complete: a bake window ends this long before now, so a step
 * is judged only on data that has arrived (an incomplete last minute reads as fewer requests and a calmer p95).
 */
import { Cloud } from "../types";

export const INGESTION_DELAY_SECONDS: Record<Cloud, number> = {
    // Lambda "sends metric data to CloudWatch in 1-minute intervals" (docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html):
    // a minute's point leaves once that minute is over. AWS gives no figure for CloudWatch's own lag after that, so one
    // more minute is allowed for it: 2 minutes.
    aws: 120,
    // run.googleapis.com/request_count, request_latencies, container/cpu/utilizations, container/memory/utilizations:
    // "Sampled every 60 seconds. After sampling, data is not visible for up to 180 seconds." (cloud.google.com/monitoring/api/metrics_gcp)
    gcp: 180,
};
