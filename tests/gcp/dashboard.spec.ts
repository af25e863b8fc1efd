import * as assert from "assert";
import { valueOf } from "../../scripts/offline/mockCloud";
import { FAKE_PROJECT_NUMBER } from "../../scripts/offline/fakeIds";
import { CHECKLIST_TARGETS } from "../../components/dashboardTargets";
import { DataSet, FilterQuery, MonitoringDashboard, XyChartWidget } from "../../components/gcp/dashboardJson";
import { dashboardType, proto3JsonProblems, thresholdRuleProblems } from "./dashboardSchema";
import { deployService } from "./fixtures";
import { UTILIZATION_METRICS, utilizationRequest } from "../../release/metrics/cloudMonitoring";

/*
 * Cloud Run's metrics as Google documents them (cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-run): kind and
 * value type decide which aligners apply (cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#Aligner:
 * ALIGN_RATE for DELTA/CUMULATIVE numbers, ALIGN_PERCENTILE_* for distributions, ALIGN_MAX for numeric gauges).
 */
const RUN_METRICS: Record<string, { kind: "DELTA" | "GAUGE"; valueType: "INT64" | "DISTRIBUTION"; labels: string[] }> = {
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
};

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
                assert.strictEqual(lines("requests per second").target, CHECKLIST_TARGETS.requestsPerSecond);
                assert.strictEqual(lines("5xx share of requests").target, CHECKLIST_TARGETS.errorRatePercent / 100);
                assert.strictEqual(lines("p95 request latency (ms)").target, CHECKLIST_TARGETS.p95LatencyMs);
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
