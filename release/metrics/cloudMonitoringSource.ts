/**
 * MetricSource on Cloud Monitoring. Needs monitoring.timeSeries.list. Credentials: the OAuth access token ESC's
 * gcp-login sets where it is set (GOOGLE_OAUTH_ACCESS_TOKEN, under `pulumi env run`: application default credentials
 * never read that variable), else application default credentials, which refresh; the release job has those only
 * (deploy-prod.yml does not export ESC's one-hour token into a release that may take longer).
 * Four reads per poll: request counts, latency p95, CPU and memory utilization p99 of the new revision.
 * The alert policies' firing state is not read: incidents are not in the GA Monitoring API or its Node client; the
 * gates apply the same two conditions (5xx ratio, p95 latency) to the new revision's own series instead.
 */
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { SAMPLE_SECONDS, UTILIZATION_METRICS, latencyRequest, readInterval, requestCountRequest, sampleFromTimeSeries, utilizationFromTimeSeries, utilizationRequest } from "./cloudMonitoring";
import { CLOUD_RUN_INGESTION_DELAY_SECONDS } from "./ingestionDelay";
import { MetricSource } from "./metricSource";

export async function cloudMonitoringSource(project: string, env: Record<string, string | undefined> = process.env): Promise<MetricSource> {
    const client = await metricServiceClient(env);
    return {
        ingestionDelaySeconds: CLOUD_RUN_INGESTION_DELAY_SECONDS,
        leadInSeconds: SAMPLE_SECONDS,
        async read(target: DeployedTarget, window: BakeWindow): Promise<Sample> {
            // Nothing is read until a whole minute of the step's own samples is complete.
            const read = readInterval(window);
            if (!read) return { requests: 0, errors: 0, firingAlarms: [] };
            const [[counts], [latencies], ...utilizations] = await Promise.all([
                client.listTimeSeries(requestCountRequest(project, target, read)),
                client.listTimeSeries(latencyRequest(project, target, read)),
                ...UTILIZATION_METRICS.map((metric) => client.listTimeSeries(utilizationRequest(project, target, read, metric))),
            ]);
            const utilization = utilizationFromTimeSeries(Object.fromEntries(UTILIZATION_METRICS.map((metric, i) => [metric, utilizations[i][0]])));
            return { ...sampleFromTimeSeries(counts, latencies), firingAlarms: [], utilization };
        },
    };
}

export async function metricServiceClient(env: Record<string, string | undefined>) {
    const { MetricServiceClient } = await import("@google-cloud/monitoring");
    const accessToken = env.GOOGLE_OAUTH_ACCESS_TOKEN;
    if (!accessToken) return new MetricServiceClient();
    const { OAuth2Client } = await import("google-auth-library");
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: accessToken });
    return new MetricServiceClient({ authClient });
}
