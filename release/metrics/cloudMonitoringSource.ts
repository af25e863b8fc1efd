/**
 * MetricSource on Cloud Monitoring. Needs monitoring.timeSeries.list. Credentials: googleCredentials (ESC's access
 * token where it is set, else application default credentials).
 * Four reads per poll: request counts, latency p95, CPU and memory utilization p99 of the new revision.
 * The alert policies' firing state is not read: incidents are not in the GA Monitoring API or its Node client; the
 * gates apply the same two conditions (5xx ratio, p95 latency) to the new revision's own series instead.
 */
import type { protos } from "@google-cloud/monitoring";
import { googleCredentials } from "../googleClientCredentials";
import { grpcAnswer } from "../grpcAnswer";
import { MonitoringReadOptions, monitoringReadOptions } from "../monitoringReadRetry";
import { BakeWindow, DeployedTarget, Sample } from "../types";
import {
    ListTimeSeriesRequest,
    TimeSeries,
    UTILIZATION_METRICS,
    countsFromTimeSeries,
    latencyRequest,
    p95FromTimeSeries,
    readInterval,
    requestCountRequest,
    utilizationFromTimeSeries,
    utilizationRequest,
    withoutOwnRequests,
} from "./cloudMonitoring";
import { CLOUD_RUN_INGESTION_DELAY_SECONDS, leadInSeconds } from "./ingestionDelay";
import { MetricSource, MetricsUnreadable } from "./metricSource";
import { wholeOrReadSoFar } from "./partsRead";
import { nextPageGuard } from "../../components/pageLimit";

/**
 * How long one page of a read may take, retries included (monitoringReadRetry.ts: not the client's own 600 s, which
 * would stall a poll, its health check with it, for ten minutes). The next poll reads the whole step again.
 */
export const TIME_SERIES_PAGE_TIMEOUT_MS = 30_000;

/** The one call of MetricServiceClient the reads make, a page at a time. */
export interface TimeSeriesLister {
    listTimeSeries(
        request: ListTimeSeriesRequest,
        options: { autoPaginate: false } & MonitoringReadOptions,
    ): Promise<[TimeSeries[], ListTimeSeriesRequest | null | undefined, protos.google.monitoring.v3.IListTimeSeriesResponse | undefined]>;
}

/**
 * Every page of a timeSeries.list. Each page is asked for itself: ListTimeSeriesResponse.executionErrors reports
 * "query execution errors that may have caused the time series data returned to be incomplete" (metric_service.proto),
 * and the client's automatic paging returns the series alone, so a missing 5xx series would read as no errors. A page
 * with such errors stops the read.
 */
async function listAllTimeSeries(client: TimeSeriesLister, request: ListTimeSeriesRequest): Promise<TimeSeries[]> {
    const series: TimeSeries[] = [];
    const metric = /metric\.type = "([^"]+)"/.exec(request.filter ?? "")?.[1] ?? request.filter;
    const endlessAt = nextPageGuard(`Cloud Monitoring's timeSeries.list of ${metric}`);
    for (let next: ListTimeSeriesRequest | null | undefined = request; next; ) {
        const [page, nextRequest, response]: Awaited<ReturnType<TimeSeriesLister["listTimeSeries"]>> = await client.listTimeSeries(next, { autoPaginate: false, ...monitoringReadOptions(TIME_SERIES_PAGE_TIMEOUT_MS) }).catch((err: unknown) => {
            throw new MetricsUnreadable(`Cloud Monitoring did not answer timeSeries.list of ${metric}: ${grpcAnswer(err)}`, { cause: err });
        });
        const errors = response?.executionErrors ?? [];
        if (errors.length) {
            throw new MetricsUnreadable(`Cloud Monitoring could not read all of ${metric}: ${errors.map((e) => `${e.code ?? "?"} ${e.message ?? ""}`.trim()).join("; ")}: nothing is judged on incomplete data`);
        }
        series.push(...page);
        next = nextRequest;
        const endless = next ? endlessAt(next.pageToken) : undefined;
        if (endless) throw new MetricsUnreadable(endless);
    }
    return series;
}

export async function cloudMonitoringSource(project: string, env: Record<string, string | undefined> = process.env, lister?: TimeSeriesLister): Promise<MetricSource> {
    const client = lister ?? (await metricServiceClient(project, env));
    return {
        ingestionDelaySeconds: CLOUD_RUN_INGESTION_DELAY_SECONDS,
        leadInSeconds: leadInSeconds("gcp"),
        async read(target: DeployedTarget, window: BakeWindow): Promise<Sample> {
            // Nothing is read until a whole minute of the step's own samples is complete.
            const read = readInterval(window);
            if (!read) return { requests: 0, errors: 0, firingAlarms: [] };
            // Each query judged on its own: a breach in the ones answered decides even when another was not (partsRead.ts).
            const counts = async () => withoutOwnRequests(countsFromTimeSeries(await listAllTimeSeries(client, requestCountRequest(project, target, read))), read, window.ownRequests);
            const latency = async () => ({ p95Ms: p95FromTimeSeries(await listAllTimeSeries(client, latencyRequest(project, target, read))) });
            const utilization = async (metric: string) => ({ utilization: utilizationFromTimeSeries({ [metric]: await listAllTimeSeries(client, utilizationRequest(project, target, read, metric)) }) });
            return wholeOrReadSoFar(await Promise.allSettled([counts(), latency(), ...UTILIZATION_METRICS.map(utilization)]));
        },
    };
}

export async function metricServiceClient(project: string, env: Record<string, string | undefined>) {
    const { MetricServiceClient } = await import("@google-cloud/monitoring");
    return new MetricServiceClient(await googleCredentials(env, project));
}
