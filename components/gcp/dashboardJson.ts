import { CHECKLIST_TARGETS } from "../dashboardTargets";

/*
 * A Cloud Monitoring dashboard, as projects.dashboards documents it (cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards):
 * a mosaicLayout of tiles, each an xyChart of timeSeriesQuery data sets with `thresholds` drawn as lines.
 *
 * What comes back must be what was sent: the provider compares the API's answer with this JSON and suppresses a
 * diff only for keys the API adds (terraform-provider-google monitoring/resource_monitoring_dashboard.go,
 * removeComputedKeys, then reflect.DeepEqual). The API writes proto3 JSON, which leaves out zero values and
 * default enums: a tile at xPos 0 or an enum's *_UNSPECIFIED sent here would come back missing and diff on every
 * preview. So zero positions are left out, and only non-default enums are written.
 */

/**
 * A line across a chart. Its label says what it is (alarm or target): dashboard v1's Threshold takes no colour
 * or direction on an XyChart ("Color is not allowed in a XyChart", "Direction is not allowed in a XyChart",
 * google/monitoring/dashboard/v1/metrics.proto), only on a scorecard.
 */
export interface Threshold {
    label: string;
    /** Left out at 0, which is what the API reads for it. */
    value?: number;
    targetAxis: "Y1";
}
export interface Aggregation {
    alignmentPeriod: string;
    perSeriesAligner: string;
    crossSeriesReducer: string;
}
export interface FilterQuery {
    filter: string;
    aggregation: Aggregation;
}
export interface DataSet {
    timeSeriesQuery: { timeSeriesFilter: FilterQuery } | { timeSeriesFilterRatio: { numerator: FilterQuery; denominator: FilterQuery } };
    plotType: "LINE";
    targetAxis: "Y1";
    legendTemplate: string;
}
export interface XyChartWidget {
    title: string;
    xyChart: { dataSets: DataSet[]; thresholds?: Threshold[]; yAxis: { label: string; scale: "LINEAR" } };
}
export interface TextWidget {
    title: string;
    text: { content: string; format: "MARKDOWN" };
}
export interface Tile {
    xPos?: number;
    yPos?: number;
    width: number;
    height: number;
    widget: XyChartWidget | TextWidget;
}
export interface MonitoringDashboard {
    displayName: string;
    mosaicLayout: { columns: number; tiles: Tile[] };
}

export interface ServiceDashboardInputs {
    displayName: string;
    serviceName: string;
    /** The alerts' thresholds (gcp.alerts.*): the same numbers the alert policies and the release's gates use. */
    errorRatePercent: number;
    p95LatencyMs: number;
    /** The resource-use alerts' share of each limit, in percent (utilizationAlerts.ts). */
    utilizationPercent: number;
    maxInstances: number;
}

/** The alert policies' window: a point on the dashboard is what a policy evaluates. */
export const DASHBOARD_WINDOW = "300s";
const COLUMNS = 48;
const TILE_WIDTH = 16;
const TILE_HEIGHT = 16;
const HEADER_HEIGHT = 4;

/**
 * The instance count's alignment (the chart and utilizationAlerts.ts): instance_count is a gauge split by `state`
 * (active, idle), so an instance that turns idle inside a longer period is the maximum of both series, and a sum of
 * per-series maxima counts it twice. Summed per minute (the metric is sampled once a minute), it is the instances then.
 */
const INSTANCE_ALIGNMENT = "60s";

/** The instance count's aggregation (the chart and utilizationAlerts.ts): each series' maximum a minute, summed. */
export const INSTANCE_AGGREGATION: Aggregation = { alignmentPeriod: INSTANCE_ALIGNMENT, perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM" };

/**
 * The instances that serve, summed over revisions: the scaling limit is near when they near `maxInstances`. Idle ones
 * are left out: a revision no longer in the traffic split keeps its idle instances for a while (and the service-level
 * maximum counts only revisions in the split), so after each deploy dev's line of 1.8 would be passed by two idle
 * instances of two revisions.
 */
export function activeInstancesFilter(serviceName: string): string {
    return `${revisionFilter(serviceName, "run.googleapis.com/container/instance_count")} AND metric.labels.state = "active"`;
}

/** The service's revisions' container CPU or memory utilization (the charts and utilizationAlerts.ts). */
export function utilizationFilter(serviceName: string, resource: "cpu" | "memory"): string {
    return revisionFilter(serviceName, `run.googleapis.com/container/${resource}/utilizations`);
}

/** Per second, summed across the service's revisions and instances. */
export function summedRate(alignmentPeriod: string): Aggregation {
    return { alignmentPeriod, perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" };
}

/**
 * A percentile of a distribution metric across all the service's revisions and instances, the distributions merged
 * first (ALIGN_DELTA, then REDUCE_PERCENTILE_n): a percentile per series and then their maximum would fire on one slow
 * request in a thin series. The release's rollback reads the same (release/metrics/cloudMonitoring.ts).
 */
export function mergedPercentile(alignmentPeriod: string, percentile: 95 | 99): Aggregation {
    return { alignmentPeriod, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: `REDUCE_PERCENTILE_${percentile}` };
}

/** The alert policies' filter of the service's revisions' metric. */
export function revisionFilter(serviceName: string, metricType: string): string {
    return `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${serviceName}" AND metric.type = "${metricType}"`;
}

/**
 * The stack's figures: requests per second, the 5xx share, p95 latency (over all requests, as the alert and the
 * release judge it), CPU and memory use, instances. Lines are labelled "alarm:" (the alerts) and "target:" (the
 * go-live checklist).
 */
export function serviceDashboardJson(inputs: ServiceDashboardInputs): MonitoringDashboard {
    const requests = revisionFilter(inputs.serviceName, "run.googleapis.com/request_count");
    const rate = summedRate(DASHBOARD_WINDOW);
    const p95 = mergedPercentile(DASHBOARD_WINDOW, 95);
    const utilization = (resource: "cpu" | "memory") => utilizationFilter(inputs.serviceName, resource);
    const use = inputs.utilizationPercent / 100;
    // The release's rollback and the resource-use alerts read utilization at the 99th percentile across instances
    // (release/metrics/cloudMonitoring.ts utilizationRequest, utilizationAlerts.ts): the line drawn is the same figure.
    const p99 = mergedPercentile(DASHBOARD_WINDOW, 99);
    const charts: XyChartWidget[] = [
        chart("requests per second", "requests/s", [{ timeSeriesQuery: { timeSeriesFilter: { filter: requests, aggregation: rate } }, ...line("requests/s") }], [
            threshold(`target: > ${CHECKLIST_TARGETS.requestsPerSecond} req/s`, CHECKLIST_TARGETS.requestsPerSecond),
        ]),
        chart(
            "5xx share of requests",
            "share (0.05 = 5 %)",
            // The 5xx alert's own ratio: numerator and denominator filters and aggregations as monitoring.ts has them.
            [{ timeSeriesQuery: { timeSeriesFilterRatio: { numerator: { filter: `${requests} AND metric.labels.response_code_class = "5xx"`, aggregation: rate }, denominator: { filter: requests, aggregation: rate } } }, ...line("5xx share") }],
            [threshold(`alarm: > ${inputs.errorRatePercent} %`, inputs.errorRatePercent / 100), threshold(`target: < ${CHECKLIST_TARGETS.errorRatePercent} %`, CHECKLIST_TARGETS.errorRatePercent / 100)],
        ),
        chart("p95 request latency (ms)", "ms", [{ timeSeriesQuery: { timeSeriesFilter: { filter: revisionFilter(inputs.serviceName, "run.googleapis.com/request_latencies"), aggregation: p95 } }, ...line("p95") }], [
            threshold(`alarm: > ${inputs.p95LatencyMs} ms`, inputs.p95LatencyMs),
            threshold(`target: < ${CHECKLIST_TARGETS.p95LatencyMs} ms`, CHECKLIST_TARGETS.p95LatencyMs),
        ]),
        chart("container CPU utilization (p99)", "share of the CPU limit", [{ timeSeriesQuery: { timeSeriesFilter: { filter: utilization("cpu"), aggregation: p99 } }, ...line("CPU p99") }], [
            threshold(`alarm: > ${inputs.utilizationPercent} %`, use),
        ]),
        chart("container memory utilization (p99)", "share of the memory limit", [{ timeSeriesQuery: { timeSeriesFilter: { filter: utilization("memory"), aggregation: p99 } }, ...line("memory p99") }], [
            threshold(`alarm: > ${inputs.utilizationPercent} %`, use),
        ]),
        chart(
            "instances",
            "instances",
            [
                {
                    timeSeriesQuery: {
                        timeSeriesFilter: {
                            filter: activeInstancesFilter(inputs.serviceName),
                            aggregation: INSTANCE_AGGREGATION,
                        },
                    },
                    ...line("active instances"),
                },
            ],
            [threshold(`alarm: > ${inputs.utilizationPercent} % of ${inputs.maxInstances} max instances`, Math.round(inputs.maxInstances * use * 100) / 100)],
        ),
    ];
    const header: Tile = {
        width: COLUMNS,
        height: HEADER_HEIGHT,
        widget: {
            title: "How to read this dashboard",
            text: {
                content:
                    `Lines labelled "alarm": the alert policies (gcp.alerts.errorRatePercent ${inputs.errorRatePercent} %, gcp.alerts.p95LatencyMs ${inputs.p95LatencyMs} ms, ${inputs.utilizationPercent} % of a limit), which are also the release's gates, but for instances. ` +
                    `"target": the go-live checklist's targets. Every point is a ${DASHBOARD_WINDOW} window (instances: a ${INSTANCE_ALIGNMENT} one), as the alerts evaluate it.`,
                format: "MARKDOWN",
            },
        },
    };
    const perRow = COLUMNS / TILE_WIDTH;
    const tiles = charts.map((widget, i) => position({ xPos: (i % perRow) * TILE_WIDTH, yPos: HEADER_HEIGHT + Math.floor(i / perRow) * TILE_HEIGHT, width: TILE_WIDTH, height: TILE_HEIGHT, widget }));
    return { displayName: inputs.displayName, mosaicLayout: { columns: COLUMNS, tiles: [header, ...tiles] } };
}

function chart(title: string, yLabel: string, dataSets: DataSet[], thresholds: Threshold[]): XyChartWidget {
    return { title, xyChart: { dataSets, ...(thresholds.length ? { thresholds } : {}), yAxis: { label: yLabel, scale: "LINEAR" } } };
}

function line(legend: string): Pick<DataSet, "plotType" | "targetAxis" | "legendTemplate"> {
    return { plotType: "LINE", targetAxis: "Y1", legendTemplate: legend };
}

/**
 * A line across a chart. The API's proto3 answer leaves out a zero value (an alarm at 0 %: page on any 5xx), and the
 * provider's diff ignores only what the program leaves out (terraform-provider-google monitoringDashboardDiffSuppress):
 * sent, it would show as a change on every preview.
 */
const threshold = (label: string, value: number): Threshold => ({ label, ...(value ? { value } : {}), targetAxis: "Y1" });

/** The API leaves out a zero position; so does this, or every preview would show a diff. */
function position(tile: Tile): Tile {
    const { xPos, yPos, ...rest } = tile;
    return { ...(xPos ? { xPos } : {}), ...(yPos ? { yPos } : {}), ...rest };
}

/** The console's address of a dashboard: the last part of its name, `projects/<number>/dashboards/<id>`. */
export function monitoringDashboardUrl(dashboardId: string, project: string): string {
    return `https://console.cloud.google.com/monitoring/dashboards/builder/${dashboardId.split("/").pop()}?project=${project}`;
}
