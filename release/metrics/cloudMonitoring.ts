/**
 * The Cloud Run half of the metrics: `projects.timeSeries.list` for the new revision alone
 * (resource.labels.revision_name): run.googleapis.com/request_count summed per metric.labels.response_code_class
 * (ALIGN_DELTA + REDUCE_SUM; 5xx are the errors, as in the 5xx-ratio alert policy), and
 * run.googleapis.com/request_latencies, a distribution in ms, reduced to its 95th percentile
 * (ALIGN_DELTA + REDUCE_PERCENTILE_95), one point for the whole window; container/cpu/utilizations and
 * container/memory/utilizations reduced to their 99th percentile the same way.
 */
import type { protos } from "@google-cloud/monitoring";
import { largest } from "../extremes";
import { BakeWindow, DeployedTarget, OwnRequest, Sample, Utilization } from "../types";
import { codeClassOf, countOfPoint, doubleOfPoint } from "./timeSeriesShape";

export type ListTimeSeriesRequest = protos.google.monitoring.v3.IListTimeSeriesRequest;
export type TimeSeries = protos.google.monitoring.v3.ITimeSeries;

export const RESPONSE_CODE_CLASS = "response_code_class";
const REQUEST_COUNT = "run.googleapis.com/request_count";
const REQUEST_LATENCIES = "run.googleapis.com/request_latencies";

function revisionFilter(metricType: string, target: DeployedTarget): string {
    return [
        `metric.type = "${metricType}"`,
        `resource.type = "cloud_run_revision"`,
        `resource.labels.service_name = "${target.service}"`,
        `resource.labels.revision_name = "${target.version}"`,
    ].join(" AND ");
}

/** Cloud Run's revision metrics are sampled every 60 s (Google Cloud metrics list, run.googleapis.com). */
export const SAMPLE_SECONDS = 60;

/** The stretch of a bake window the reads cover: whole minutes, as one alignment period. */
export interface ReadInterval {
    startSeconds: number;
    endSeconds: number;
    periodSeconds: number;
}

/**
 * What a bake window reads: whole minutes ending at the window's end, none of them starting before one sample after
 * the step began. A DELTA point stands for the sample period before its end time (Monitoring API, TimeInterval), so
 * a point ending in the step's first minute also holds requests from before the step, among them the tail of the
 * release's own verification load on the tagged revision, hundreds of 200s that would count toward minRequests and
 * thin out the 5xx ratio. Undefined while the step's complete data is shorter than a minute past that.
 */
export function readInterval(window: BakeWindow): ReadInterval | undefined {
    const endSeconds = Math.floor(window.end.getTime() / 1000);
    const earliest = Math.ceil(window.start.getTime() / 1000) + SAMPLE_SECONDS;
    const periodSeconds = Math.floor((endSeconds - earliest) / 60) * 60;
    return periodSeconds < 60 ? undefined : { startSeconds: endSeconds - periodSeconds, endSeconds, periodSeconds };
}

const interval = (read: ReadInterval) => ({ startTime: { seconds: read.startSeconds }, endTime: { seconds: read.endSeconds } });

export function requestCountRequest(project: string, target: DeployedTarget, read: ReadInterval): ListTimeSeriesRequest {
    return {
        name: `projects/${project}`,
        filter: revisionFilter(REQUEST_COUNT, target),
        interval: interval(read),
        aggregation: {
            alignmentPeriod: { seconds: read.periodSeconds },
            perSeriesAligner: "ALIGN_DELTA",
            crossSeriesReducer: "REDUCE_SUM",
            groupByFields: [`metric.labels.${RESPONSE_CODE_CLASS}`],
        },
        view: "FULL",
    };
}

export function latencyRequest(project: string, target: DeployedTarget, read: ReadInterval): ListTimeSeriesRequest {
    return {
        name: `projects/${project}`,
        filter: revisionFilter(REQUEST_LATENCIES, target),
        interval: interval(read),
        aggregation: { alignmentPeriod: { seconds: read.periodSeconds }, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95" },
        view: "FULL",
    };
}

/**
 * Container CPU and memory utilization of the revision: DELTA DISTRIBUTION metrics of unit 10^2.%, a ratio from 0
 * to 1 per instance sample ("Container CPU utilization distribution across all container instances",
 * cloud.google.com/monitoring/api/metrics_gcp, run.googleapis.com).
 */
export const UTILIZATION_METRICS = ["run.googleapis.com/container/cpu/utilizations", "run.googleapis.com/container/memory/utilizations"] as const;

/** The window's 99th percentile of one utilization distribution (ALIGN_DELTA + REDUCE_PERCENTILE_99), as for latency. */
export function utilizationRequest(project: string, target: DeployedTarget, read: ReadInterval, metricType: string): ListTimeSeriesRequest {
    return {
        name: `projects/${project}`,
        filter: revisionFilter(metricType, target),
        interval: interval(read),
        aggregation: { alignmentPeriod: { seconds: read.periodSeconds }, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99" },
        view: "FULL",
    };
}

/**
 * Each metric's highest p99 point in percent; a metric without points is left out (not measured, not idle). A point
 * without a double of at least 0 is MetricsUnreadable (timeSeriesShape.ts).
 */
export function utilizationFromTimeSeries(byMetric: Readonly<Record<string, readonly TimeSeries[]>>): Utilization[] {
    return Object.entries(byMetric).flatMap(([metric, series]) => {
        const values = series.flatMap((s) => s.points ?? []).map((p, i) => doubleOfPoint(metric, `point ${i + 1}`, p.value));
        return values.length ? [{ metric: `${metric} p99`, percent: 100 * largest(values) }] : [];
    });
}

/**
 * The sample less the release's own health checks that it holds: Cloud Run counts a request to the tagged URL under the
 * revision (request_count has no tag label), so each check would count toward minRequests and thin out a broken
 * revision's 5xx share. A check with no answer is taken as counted; one the front answered is not: request_count
 * "excludes requests that are not reaching your container instances (e.g. unauthorized requests or when maximum number
 * of instances is reached)" (Google Cloud metrics list, run.googleapis.com/request_count).
 * The read holds the DELTA points whose end time is in (start, end] (TimeInterval), each point the SAMPLE_SECONDS
 * before its end, at an offset the read does not know. So a check sent in (start, end - SAMPLE_SECONDS] is in the
 * read; one sent within a sample of either edge may or may not be. An edge check that succeeded is taken out (at
 * worst one request too few: the step waits longer for minRequests, its error share is no lower); one that failed is
 * left in (at worst one 5xx too many: never a real 5xx hidden).
 */
export function withoutOwnRequests(sample: Omit<Sample, "firingAlarms">, read: ReadInterval, own: readonly OwnRequest[] = []): Omit<Sample, "firingAlarms"> {
    let requests = 0;
    let errors = 0;
    for (const check of own) {
        const sent = check.at.getTime() / 1000;
        if (check.fromFront || sent <= read.startSeconds - SAMPLE_SECONDS || sent > read.endSeconds) continue;
        const failed = (check.status ?? 0) >= 500;
        const held = sent > read.startSeconds && sent <= read.endSeconds - SAMPLE_SECONDS;
        if (held) {
            requests++;
            if (failed) errors++;
        } else if (!failed) {
            requests++;
        }
    }
    return { ...sample, requests: Math.max(0, sample.requests - requests), errors: Math.max(0, sample.errors - errors) };
}

/** Requests and 5xx summed per response_code_class; a point not as the API sends it is MetricsUnreadable (timeSeriesShape.ts). */
export function countsFromTimeSeries(counts: readonly TimeSeries[]): { requests: number; errors: number } {
    let requests = 0;
    let errors = 0;
    const counted = new Set<string>();
    for (const series of counts) {
        const codeClass = codeClassOf(REQUEST_COUNT, series.metric?.labels?.[RESPONSE_CODE_CLASS], counted);
        const total = (series.points ?? []).reduce((sum, p, i) => sum + countOfPoint(REQUEST_COUNT, `the ${codeClass} series' point ${i + 1}`, p.value), 0);
        requests += total;
        if (codeClass === "5xx") errors += total;
    }
    return { requests, errors };
}

/** The worst p95 of the latency series, undefined without a point; a point not as the API sends it is MetricsUnreadable. */
export function p95FromTimeSeries(latencies: readonly TimeSeries[]): number | undefined {
    const p95 = latencies.flatMap((s) => s.points ?? []).map((p, i) => doubleOfPoint(REQUEST_LATENCIES, `point ${i + 1}`, p.value));
    return p95.length ? largest(p95) : undefined;
}

/** Both at once: the counts' requests and 5xx, and the latencies' worst p95. */
export function sampleFromTimeSeries(counts: readonly TimeSeries[], latencies: readonly TimeSeries[]): Omit<Sample, "firingAlarms"> {
    return { ...countsFromTimeSeries(counts), p95Ms: p95FromTimeSeries(latencies) };
}
