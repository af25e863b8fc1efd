/**
 * MetricSource on Cloud Monitoring, with application default credentials. Needs monitoring.timeSeries.list.
 * The alert policies' firing state is not read: incidents are not in the GA Monitoring API or its Node client; the
 * gates apply the same two conditions (5xx ratio, p95 latency) to the new revision's own series instead.
 */
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { latencyRequest, requestCountRequest, sampleFromTimeSeries } from "./cloudMonitoring";
import { MetricSource } from "./metricSource";

export async function cloudMonitoringSource(project: string): Promise<MetricSource> {
    const { MetricServiceClient } = await import("@google-cloud/monitoring");
    const client = new MetricServiceClient();
    return {
        async read(target: DeployedTarget, window: BakeWindow): Promise<Sample> {
            const [[counts], [latencies]] = await Promise.all([
                client.listTimeSeries(requestCountRequest(project, target, window)),
                client.listTimeSeries(latencyRequest(project, target, window)),
            ]);
            return { ...sampleFromTimeSeries(counts, latencies), firingAlarms: [] };
        },
    };
}
