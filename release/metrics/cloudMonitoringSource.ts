/**
 * MetricSource on Cloud Monitoring, with application default credentials. Needs monitoring.timeSeries.list.
 * Four reads per poll: request counts, latency p95, CPU and memory utilization p99 of the new revision.
 * The alert policies' firing state is not read: incidents are not in the GA Monitoring API or its Node client; the
 * gates apply the same two conditions (5xx ratio, p95 latency) to the new revision's own series instead.
 */
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { UTILIZATION_METRICS, latencyRequest, requestCountRequest, sampleFromTimeSeries, utilizationFromTimeSeries, utilizationRequest } from "./cloudMonitoring";
import { INGESTION_DELAY_SECONDS } from "./ingestionDelay";
import { MetricSource } from "./metricSource";

export async function cloudMonitoringSource(project: string): Promise<MetricSource> {
    const { MetricServiceClient } = await import("@google-cloud/monitoring");
    const client = new MetricServiceClient();
    return {
        ingestionDelaySeconds: INGESTION_DELAY_SECONDS.gcp,
        async read(target: DeployedTarget, window: BakeWindow): Promise<Sample> {
            const [[counts], [latencies], ...utilizations] = await Promise.all([
                client.listTimeSeries(requestCountRequest(project, target, window)),
                client.listTimeSeries(latencyRequest(project, target, window)),
                ...UTILIZATION_METRICS.map((metric) => client.listTimeSeries(utilizationRequest(project, target, window, metric))),
            ]);
            const utilization = utilizationFromTimeSeries(Object.fromEntries(UTILIZATION_METRICS.map((metric, i) => [metric, utilizations[i][0]])));
            return { ...sampleFromTimeSeries(counts, latencies), firingAlarms: [], utilization };
        },
    };
}
