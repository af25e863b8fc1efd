import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { valueOf } from "../../scripts/offline/mockCloud";
import { FAKE_PROJECT_NUMBER } from "../../scripts/offline/fakeIds";
import { DataSet, FilterQuery, MonitoringDashboard, XyChartWidget } from "../../components/gcp/dashboardJson";
import { dashboardType, proto3JsonProblems, thresholdRuleProblems } from "./dashboardSchema";
import { deployService } from "./fixtures";
import { UTILIZATION_METRICS, utilizationRequest } from "../../release/metrics/cloudMonitoring";

/*
 * Cloud Run's metrics as Google documents them (cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-run): kind and
 * value type decide which aligners apply (cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#Aligner:
 * ALIGN_RATE for DELTA/CUMULATIVE numbers, ALIGN_PERCENTILE_* for distributions, ALIGN_MAX for numeric gauges).
 */
const RUN_METRICS: Record<string, { kind: "DELTA" | "GAUGE"; valueType: "INT64" | "DISTRIBUTION" | "BOOL"; labels: string[] }> = {
    "run.googleapis.com/request_count": { kind: "DELTA", valueType: "INT64", labels: ["response_code", "response_code_class", "route"] },
    "run.googleapis.com/request_latencies": { kind: "DELTA", valueType: "DISTRIBUTION", labels: ["response_code", "response_code_class", "route"] },
    "run.googleapis.com/container/cpu/utilizations": { kind: "DELTA", valueType: "DISTRIBUTION", labels: [] },
    "run.googleapis.com/container/memory/utilizations": { kind: "DELTA", valueType: "DISTRIBUTION", labels: [] },
    "run.googleapis.com/container/instance_count": { kind: "GAUGE", valueType: "INT64", labels: ["state"] },
};
const ALIGNERS: Record<string, RegExp> = {
    "DELTA/INT64": /^ALIGN_(RATE|DELTA|SUM)$/,
    "DELTA/DISTRIBUTION": /^ALIGN_(PERCENTILE_(99|95|50|05)|DELTA)$/,
    "GAUGE/INT64": /^ALIGN_(MAX|MIN|MEAN|SUM|NEXT_OLDER)$/,
    // googleapis/googleapis google/monitoring/v3/common.proto, Aligner: ALIGN_NEXT_OLDER "is valid for GAUGE metrics";
    // ALIGN_COUNT_TRUE, ALIGN_COUNT_FALSE, ALIGN_FRACTION_TRUE "for GAUGE metrics with Boolean values".
    "GAUGE/BOOL": /^ALIGN_(NEXT_OLDER|COUNT|COUNT_TRUE|COUNT_FALSE|FRACTION_TRUE)$/,
};

/*
 * The uptime check's metric, for the uptime alert, written against the checked resource, here uptime_url
 * (UptimeCheckConfig.monitoredResource, monitoring.ts). Google's metric list was not readable here: GAUGE and BOOL as
 * alert policies in public code read it with the Boolean-only aligners and reducers (ALIGN_FRACTION_TRUE,
 * REDUCE_COUNT_FALSE) and filter it on metric.labels.check_id; only that label is listed, so a filter on any other fails.
 */
const UPTIME_METRICS: typeof RUN_METRICS = {
    "monitoring.googleapis.com/uptime_check/check_passed": { kind: "GAUGE", valueType: "BOOL", labels: ["check_id"] },
};
/** The metrics an alert policy may read, and the resource type each is written against. */
const ALERT_METRICS = { ...RUN_METRICS, ...UPTIME_METRICS };
const RESOURCE_OF: Record<string, string> = {
    ...Object.fromEntries(Object.keys(RUN_METRICS).map((m) => [m, "cloud_run_revision"])),
    ...Object.fromEntries(Object.keys(UPTIME_METRICS).map((m) => [m, "uptime_url"])),
};

/**
 * The value type an aligner leaves (common.proto, Aligner): ALIGN_RATE, ALIGN_MEAN, ALIGN_STDDEV and the percentiles
 * give DOUBLE; the counts INT64; ALIGN_DELTA, ALIGN_NEXT_OLDER, ALIGN_MIN/MAX/SUM "the same as the value_type of the input".
 */
function alignedValueType(aligner: string, input: string): string {
    if (/^ALIGN_(RATE|MEAN|STDDEV|FRACTION_TRUE|PERCENT_CHANGE|PERCENTILE_\d+)$/.test(aligner)) return "DOUBLE";
    if (/^ALIGN_COUNT(_TRUE|_FALSE)?$/.test(aligner)) return "INT64";
    return input;
}
/**
 * The value types each reducer takes (common.proto, Reducer): REDUCE_MIN/MAX "with numeric values"; REDUCE_MEAN, SUM,
 * STDDEV and the percentiles numeric or distribution; REDUCE_COUNT_TRUE/COUNT_FALSE/FRACTION_TRUE "of Boolean value_type".
 */
const REDUCER_TAKES: Record<string, RegExp> = {
    REDUCE_MIN: /^(INT64|DOUBLE)$/,
    REDUCE_MAX: /^(INT64|DOUBLE)$/,
    REDUCE_MEAN: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_SUM: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_STDDEV: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_PERCENTILE_99: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_PERCENTILE_95: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_PERCENTILE_50: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_PERCENTILE_05: /^(INT64|DOUBLE|DISTRIBUTION)$/,
    REDUCE_COUNT: /^(INT64|DOUBLE|DISTRIBUTION|BOOL|STRING)$/,
    REDUCE_COUNT_TRUE: /^BOOL$/,
    REDUCE_COUNT_FALSE: /^BOOL$/,
    REDUCE_FRACTION_TRUE: /^BOOL$/,
};
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1] ?? NaN);

async function dashboardOf(stack: "dev" | "prod", overrides = {}) {
    const deployed = await deployService(stack, overrides);
    const resource = deployed.cloud.one("gcp:monitoring/dashboard:Dashboard");
    const json = JSON.parse(resource.inputs.dashboardJson) as MonitoringDashboard;
    const charts = json.mosaicLayout.tiles.map((t) => t.widget).filter((w): w is XyChartWidget => "xyChart" in w);
    const chart = (title: string) => {
        const found = charts.find((c) => c.title === title);
        assert.ok(found, `a chart titled "${title}" (have: ${charts.map((c) => c.title).join(", ")})`);
        return found.xyChart;
    };
    const lines = (title: string) => Object.fromEntries((chart(title).thresholds ?? []).map((t) => [t.label.split(":")[0], t.value]));
    const queries = (dataSet: DataSet): FilterQuery[] =>
        "timeSeriesFilter" in dataSet.timeSeriesQuery ? [dataSet.timeSeriesQuery.timeSeriesFilter] : [dataSet.timeSeriesQuery.timeSeriesFilterRatio.numerator, dataSet.timeSeriesQuery.timeSeriesFilterRatio.denominator];
    return { ...deployed, resource, json, charts, chart, lines, queries };
}

describe("the Cloud Monitoring dashboard (CloudRunGcsService, under mocks)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            it("one dashboard per stack in the stack's project; its console URL (builder/<id of projects/<number>/dashboards/<id>>) an output of the component", async () => {
                const { resource, component } = await dashboardOf(stack);
                assert.strictEqual(resource.inputs.project, `multicloud-service-${stack}`);
                assert.match(resource.id!, new RegExp(`^projects/${FAKE_PROJECT_NUMBER}/dashboards/[0-9a-f-]+$`));
                assert.strictEqual(await valueOf(component.dashboardUrl), `https://console.cloud.google.com/monitoring/dashboards/builder/${resource.id!.split("/").pop()}?project=multicloud-service-${stack}`);
            });

            it("is a Dashboard of the Monitoring API v1 as Google's dashboard.proto defines it, and comes back as sent (nothing the API's proto3 answer leaves out): no diff after the first up", async () => {
                const { json } = await dashboardOf(stack);
                assert.deepStrictEqual(proto3JsonProblems(dashboardType(), json), []);
                assert.deepStrictEqual(thresholdRuleProblems(json), []);
                // The API would answer this tile without xPos/yPos: sent that way, or the provider would diff on every preview.
                assert.ok(!json.mosaicLayout.tiles.some((t) => "xPos" in t && !t.xPos), "a tile at x 0 leaves xPos out");
            });

            it("every tile fits the 48-column mosaic without overlapping, and every chart plots a documented Cloud Run metric with an aligner its kind allows", async () => {
                const { json, charts, queries } = await dashboardOf(stack);
                assert.strictEqual(json.mosaicLayout.columns, 48);
                const cells = new Set<string>();
                for (const t of json.mosaicLayout.tiles) {
                    const x = t.xPos ?? 0;
                    const y = t.yPos ?? 0;
                    assert.ok(x + t.width <= 48, `${t.widget.title}: x ${x} + width ${t.width}`);
                    for (let i = x; i < x + t.width; i++) for (let j = y; j < y + t.height; j++) {
                        assert.ok(!cells.has(`${i},${j}`), `${t.widget.title} overlaps another tile at ${i},${j}`);
                        cells.add(`${i},${j}`);
                    }
                }
                let checked = 0;
                for (const c of charts) {
                    for (const q of c.xyChart.dataSets.flatMap(queries)) {
                        const metricType = /metric\.type = "([^"]+)"/.exec(q.filter)![1];
                        const metric = RUN_METRICS[metricType];
                        assert.ok(metric, `${c.title}: ${metricType} is not a documented Cloud Run metric`);
                        assert.match(q.filter, /resource\.type = "cloud_run_revision" AND resource\.labels\.service_name = "[^"]+"/);
                        for (const label of q.filter.match(/metric\.labels\.([a-z_]+)/g) ?? []) assert.ok(metric.labels.includes(label.split(".").pop()!), `${c.title}: ${label}`);
                        assert.match(q.aggregation.perSeriesAligner, ALIGNERS[`${metric.kind}/${metric.valueType}`], `${c.title}: ${metricType}`);
                        checked++;
                    }
                }
                assert.strictEqual(checked, 7);
            });

            it("every alert policy's condition reads a documented metric by its own resource type and labels, with an aligner and a reducer its kind and value type allow, periods Monitoring takes", async () => {
                const { cloud } = await dashboardOf(stack);
                const uptimeCheckId = cloud.one("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").outputs.uptimeCheckId;
                let checked = 0;
                for (const policy of cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy")) {
                    for (const { conditionThreshold: c } of policy.inputs.conditions) {
                        const where = `${policy.name}: ${c.filter}`;
                        const pairs: [string, any[]][] = [[c.filter, c.aggregations], ...(c.denominatorFilter ? [[c.denominatorFilter, c.denominatorAggregations] as [string, any[]]] : [])];
                        for (const [filter, aggregations] of pairs) {
                            const metricType = /metric\.type = "([^"]+)"/.exec(filter)?.[1];
                            // alert.proto MetricThreshold.filter: "The filter must specify the metric type and the resource type."
                            const metric = ALERT_METRICS[metricType ?? ""];
                            assert.ok(metric, `${where}: ${metricType} is not a documented metric`);
                            assert.strictEqual(/resource\.type = "([^"]+)"/.exec(filter)?.[1], RESOURCE_OF[metricType!], where);
                            for (const label of filter.match(/metric\.labels?\.([a-z_]+)/g) ?? []) assert.ok(metric.labels.includes(label.split(".").pop()!), `${where}: ${label}`);
                            assert.strictEqual(aggregations.length, 1, where);
                            const [a] = aggregations;
                            assert.match(a.perSeriesAligner, ALIGNERS[`${metric.kind}/${metric.valueType}`], `${where}: aligner`);
                            const aligned = alignedValueType(a.perSeriesAligner, metric.valueType);
                            assert.match(aligned, REDUCER_TAKES[a.crossSeriesReducer] ?? /^$/, `${where}: ${a.crossSeriesReducer} of ${a.perSeriesAligner}'s ${aligned}`);
                            // common.proto Aggregation.alignment_period: "at least 60 seconds", at most "90,000 seconds (25 hours) for alerting policies".
                            assert.ok(seconds(a.alignmentPeriod) >= 60 && seconds(a.alignmentPeriod) <= 90_000, `${where}: ${a.alignmentPeriod}`);
                            for (const field of a.groupByFields ?? []) assert.match(field, /^(resource\.labels?\.(host|project_id|service_name|revision_name|location|configuration_name)|metric\.labels?\.[a-z_]+)$/, where);
                            checked++;
                        }
                        // alert.proto: duration "a multiple of a minute"; evaluation_missing_data needs a duration of 60 s or more;
                        // a ratio's aggregations "must use the same alignment period".
                        assert.strictEqual(seconds(c.duration) % 60, 0, `${where}: duration ${c.duration}`);
                        if (c.evaluationMissingData) assert.ok(seconds(c.duration) >= 60, where);
                        if (c.denominatorFilter) assert.strictEqual(c.aggregations[0].alignmentPeriod, c.denominatorAggregations[0].alignmentPeriod, where);
                        if (/uptime_check/.test(c.filter)) assert.match(c.filter, new RegExp(`metric\\.labels\\.check_id = "${uptimeCheckId}"`), "the uptime alert reads its own check");
                    }
                }
                assert.strictEqual(checked, 9, "5xx ratio (numerator, denominator) and its request floor, p95 latency and its request floor, CPU, memory, instances, uptime");
            });

            it("the alerts' thresholds are drawn from the same settings, on the alert policies' own filters and aggregations", async () => {
                const { cloud, chart, lines } = await dashboardOf(stack);
                const condition = (name: string) => cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", name).inputs.conditions[0].conditionThreshold;
                const errors = condition("service-5xx-ratio");
                assert.strictEqual(lines("5xx share of requests").alarm, errors.thresholdValue);
                const ratio = (chart("5xx share of requests").dataSets[0].timeSeriesQuery as any).timeSeriesFilterRatio;
                assert.deepStrictEqual([ratio.numerator.filter, ratio.denominator.filter], [errors.filter, errors.denominatorFilter]);
                assert.deepStrictEqual([ratio.numerator.aggregation, ratio.denominator.aggregation], [errors.aggregations[0], errors.denominatorAggregations[0]]);
                const latency = condition("service-p95-latency");
                assert.strictEqual(lines("p95 request latency (ms)").alarm, latency.thresholdValue);
                const p95 = (chart("p95 request latency (ms)").dataSets[0].timeSeriesQuery as any).timeSeriesFilter;
                assert.deepStrictEqual([p95.filter, p95.aggregation], [latency.filter, latency.aggregations[0]]);
            });

            it("the go-live checklist's targets, and the resource-use alerts: 90 % of the CPU, the memory and the stack's max instances", async () => {
                const { cloud, lines, chart } = await dashboardOf(stack);
                // The checklist's own figures, written out: over 50 req/s, errors under 1 %, p95 under 500 ms.
                assert.strictEqual(lines("requests per second").target, 50);
                assert.strictEqual(lines("5xx share of requests").target, 0.01);
                assert.strictEqual(lines("p95 request latency (ms)").target, 500);
                assert.strictEqual(lines("container CPU utilization (p99)").alarm, 0.9);
                assert.strictEqual(lines("container memory utilization (p99)").alarm, 0.9);
                // The line under that limit is the figure the release's rollback compares with it (before: p95 here, p99 there).
                const target = { cloud: "gcp", version: "service-00001-abc", location: "asia-northeast1" } as unknown as Parameters<typeof utilizationRequest>[1];
                for (const [title, metric] of [["container CPU utilization (p99)", UTILIZATION_METRICS[0]], ["container memory utilization (p99)", UTILIZATION_METRICS[1]]] as const) {
                    const drawn = (chart(title).dataSets[0].timeSeriesQuery as { timeSeriesFilter: FilterQuery }).timeSeriesFilter.aggregation;
                    const gated = utilizationRequest("p", target, { startSeconds: 0, endSeconds: 300, periodSeconds: 300 }, metric).aggregation!;
                    assert.deepStrictEqual([drawn.perSeriesAligner, drawn.crossSeriesReducer], [gated.perSeriesAligner, gated.crossSeriesReducer], title);
                }
                assert.strictEqual(lines("instances").alarm, stack === "prod" ? 9 : 1.8);
                // Each line is its alert's threshold, over the same figure.
                const alert = (name: string) => cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", name).inputs.conditions[0].conditionThreshold;
                for (const [title, name] of [["container CPU utilization (p99)", "service-cpu-utilization"], ["container memory utilization (p99)", "service-memory-utilization"], ["instances", "service-instances"]]) {
                    const drawn = (chart(title).dataSets[0].timeSeriesQuery as { timeSeriesFilter: FilterQuery }).timeSeriesFilter;
                    assert.deepStrictEqual([alert(name).filter, alert(name).aggregations[0]], [drawn.filter, drawn.aggregation], title);
                    assert.strictEqual(alert(name).thresholdValue, lines(title).alarm, title);
                }
            });
        });
    }

    it("other thresholds in the settings move the lines with the alerts", async () => {
        const { cloud, lines } = await dashboardOf("dev", { alerts: { errorRatePercent: 2.5, p95LatencyMs: 750 } });
        assert.strictEqual(lines("5xx share of requests").alarm, 0.025);
        assert.strictEqual(lines("p95 request latency (ms)").alarm, 750);
        assert.strictEqual(cloud.one("gcp:monitoring/alertPolicy:AlertPolicy", "service-5xx-ratio").inputs.conditions[0].conditionThreshold.thresholdValue, 0.025);
    });

    it("an alarm at 0 % (page on any 5xx, which the settings allow) comes back as sent: its line leaves the zero value out, as the API's proto3 answer does", async () => {
        const { json, chart } = await dashboardOf("dev", { alerts: { errorRatePercent: 0, p95LatencyMs: 2000 } });
        assert.deepStrictEqual(proto3JsonProblems(dashboardType(), json), []);
        const alarm = (chart("5xx share of requests").thresholds ?? []).find((t) => t.label === "alarm: > 0 %");
        assert.deepStrictEqual(alarm, { label: "alarm: > 0 %", targetAxis: "Y1" });
    });
});

// The README quotes Google's dashboard protos for what the API refuses: each quote must be in the file it names, so a
// reader who opens that file finds it.
describe("the README's quotes of Google's dashboard protos", () => {
    it("are in the proto file each names (google-proto-files, google/monitoring/dashboard/v1)", () => {
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").replace(/\s+/g, " ");
        const quotes = [...readme.matchAll(/its (\w+\.proto): "([^"]+)"/g)].map((m) => ({ file: m[1], quote: m[2] }));
        assert.ok(quotes.length > 0, "the README quotes a dashboard proto");
        const protos = path.join(path.dirname(require.resolve("google-proto-files/package.json")), "google/monitoring/dashboard/v1");
        const textOf = (file: string) => (fs.existsSync(path.join(protos, file)) ? fs.readFileSync(path.join(protos, file), "utf8").replace(/\/\/|\s+/g, " ").replace(/\s+/g, " ") : "");
        const wrong = quotes.filter(({ file, quote }) => !textOf(file).includes(quote));
        const holders = (quote: string) => fs.readdirSync(protos).filter((f) => textOf(f).includes(quote));
        assert.deepStrictEqual(wrong.map(({ file, quote }) => `${file} does not say "${quote}" (${holders(quote).join(", ") || "no file"} does)`), []);
    });
});
