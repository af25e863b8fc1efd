/**
 * How long after the fact each cloud's metrics are complete: a bake window ends this long before now, so a step
 * is judged only on data that has arrived (an incomplete last minute reads as fewer requests and a calmer p95).
 */
import type { ReleasePlan } from "../settings";
import { SAMPLE_SECONDS } from "./cloudMonitoring";
import { Cloud } from "../types";

/**
 * Lambda: "The timestamp on a metric reflects when the function was invoked. Depending on the duration of the
 * execution, this can be several minutes before the metric is emitted. If, for example, your function has a
 * 10-minute timeout, look more than 10 minutes in the past for accurate metrics" (Lambda developer guide, "Using
 * CloudWatch metrics with Lambda"); Lambda "sends metric data to CloudWatch in 1-minute intervals". So an invocation
 * begun at the end of the window's last minute is reported up to the function's timeout plus a minute later; AWS
 * gives no figure for CloudWatch's own lag after that, so one more minute is allowed for it.
 */
export function lambdaIngestionDelaySeconds(timeoutSeconds: number): number {
    return timeoutSeconds + 60 + 60;
}

/**
 * Cloud Run: run.googleapis.com/request_count, request_latencies, container/cpu/utilizations,
 * container/memory/utilizations are "Sampled every 60 seconds. After sampling, data is not visible for up to 180
 * seconds." (cloud.google.com/monitoring/api/metrics_gcp)
 */
export const CLOUD_RUN_INGESTION_DELAY_SECONDS = 180;

/**
 * Seconds at a step's start whose data a cloud's reads leave out: Cloud Run's first sample, whose DELTA point also
 * holds requests from before the step (cloudMonitoring.ts readInterval); Lambda's minute the step began in, up to 60 s,
 * which also holds the previous step's traffic (cloudWatch.ts wholeMinutes reads from the next whole minute).
 */
export function leadInSeconds(cloud: Cloud): number {
    return cloud === "gcp" ? SAMPLE_SECONDS : 60;
}

/** The delay of one enabled cloud of a plan. */
export function ingestionDelaySeconds(cloud: Cloud, plan: Pick<ReleasePlan, "clouds">): number {
    return cloud === "aws" ? lambdaIngestionDelaySeconds(plan.clouds.aws?.timeoutSeconds ?? 0) : CLOUD_RUN_INGESTION_DELAY_SECONDS;
}
