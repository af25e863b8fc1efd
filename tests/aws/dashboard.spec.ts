import * as assert from "assert";
import { valueOf } from "../../scripts/offline/mockCloud";
import { DashboardBody, MetricRow, MetricWidget } from "../../components/aws/dashboardBody";
import { deployPipeline } from "./fixtures";

/*
 * What CloudWatch documents, to check every widget against:
 * - Lambda's metrics, their dimensions and the statistic that means something for each ("Use the Sum statistic",
 *   "Maximum"): docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html and
 *   .../monitoring-metrics-types.html#concurrency-metrics.
 * - Step Functions' execution metrics (dimension StateMachineArn, Sum): docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html.
 * - The dashboard body: a grid 24 wide, `x` 0-23, `width` 1-24, `height` 1-1000; metric arrays of
 *   [namespace, metricName, dimension name/value pairs..., {rendering}]; math `{expression, id, label}`; ids start
 *   with a lowercase letter; `annotations.horizontal[].value` required:
 *   docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html.
 */
const DOCUMENTED: Record<string, Record<string, { dimensions: string[][]; stats: RegExp }>> = {
    "AWS/Lambda": {
        Invocations: { dimensions: [["FunctionName"], ["FunctionName", "Resource"]], stats: /^Sum$/ },
        Errors: { dimensions: [["FunctionName"], ["FunctionName", "Resource"]], stats: /^Sum$/ },
        Throttles: { dimensions: [["FunctionName"], ["FunctionName", "Resource"]], stats: /^Sum$/ },
        Duration: { dimensions: [["FunctionName"], ["FunctionName", "Resource"]], stats: /^(Average|Minimum|Maximum|p\d{1,2}(\.\d+)?)$/ },
        ConcurrentExecutions: { dimensions: [["FunctionName"], ["FunctionName", "Resource"]], stats: /^Maximum$/ },
    },
    // The service's own count of the 5xx it answers: its embedded-metric lines name these dimension sets
    // (app/src/serverErrorMetric.ts).
    "multicloud-service": {
        ServerErrors: { dimensions: [["FunctionName", "Resource"], ["FunctionName", "Resource", "ExecutedVersion"]], stats: /^Sum$/ },
    },
    "AWS/States": {
        ExecutionsStarted: { dimensions: [["StateMachineArn"]], stats: /^Sum$/ },
        ExecutionsSucceeded: { dimensions: [["StateMachineArn"]], stats: /^Sum$/ },
        ExecutionsFailed: { dimensions: [["StateMachineArn"]], stats: /^Sum$/ },
    },
    // The health check's unstarted-check alarm (alarms.ts): EventBridge Scheduler User Guide, "Monitoring Amazon
    // EventBridge Scheduler with Amazon CloudWatch": namespace AWS/Scheduler, dimension ScheduleGroup, unit Count
    // ("Metrics for all schedules").
    "AWS/Scheduler": {
        TargetErrorCount: { dimensions: [["ScheduleGroup"]], stats: /^Sum$/ },
        TargetErrorThrottledCount: { dimensions: [["ScheduleGroup"]], stats: /^Sum$/ },
        InvocationDroppedCount: { dimensions: [["ScheduleGroup"]], stats: /^Sum$/ },
    },
};

/** The properties the Dashboard Body Structure documents, per widget type and for a metric's rendering, a math expression and a line. */
const DOCUMENTED_PROPERTIES = {
    widget: ["type", "x", "y", "width", "height", "properties"],
    metric: ["accountId", "annotations", "liveData", "legend", "metrics", "period", "region", "stacked", "sparkline", "stat", "table", "timezone", "title", "view", "yAxis"],
    text: ["markdown", "background"],
    rendering: ["accountId", "color", "label", "id", "period", "region", "stat", "visible", "yAxis"],
    math: ["expression", "label", "id", "period", "region", "visible", "color", "yAxis"],
    horizontalAnnotation: ["value", "label", "color", "fill", "visible", "yAxis"],
    yAxis: ["min", "max", "label", "showUnits"],
};
const only = (what: string, value: object, allowed: string[]) => {
    const extra = Object.keys(value).filter((k) => !allowed.includes(k));
    assert.deepStrictEqual(extra, [], `${what}: ${extra.join(", ")} not documented`);
};

async function dashboardOf(stack: "dev" | "prod", overrides = {}) {
    const deployed = await deployPipeline(stack, overrides);
    const resource = deployed.cloud.one("aws:cloudwatch/dashboard:Dashboard");
    const body = JSON.parse(resource.inputs.dashboardBody) as DashboardBody;
    const metricWidgets = body.widgets.filter((w): w is MetricWidget => w.type === "metric");
    const widget = (title: string) => {
        const found = metricWidgets.find((w) => w.properties.title === title);
        assert.ok(found, `a widget titled "${title}" (have: ${metricWidgets.map((w) => w.properties.title).join(", ")})`);
        return found;
    };
    const lines = (title: string) => Object.fromEntries((widget(title).properties.annotations?.horizontal ?? []).map((a) => [a.label.split(":")[0], a.value]));
    return { ...deployed, resource, body, metricWidgets, widget, lines };
}

/** A metric row's parts: namespace, name, dimensions as a record, and its rendering properties. */
function parseRow(row: MetricRow) {
    const rendering = (typeof row[row.length - 1] === "object" ? row[row.length - 1] : {}) as Record<string, any>;
    const plain = row.filter((p): p is string => typeof p === "string");
    const [namespace, metricName, ...pairs] = plain;
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
    return { namespace, metricName, dimensions, rendering };
}

/** A metric (a widget's row or an alarm's) is a documented one, by one of its documented dimension sets, with a statistic that means something for it. */
function assertDocumented(where: string, m: { namespace: string; metricName: string; dimensions: Record<string, string> }, stat: string) {
    const documented = DOCUMENTED[m.namespace]?.[m.metricName];
    assert.ok(documented, `${where}: ${m.namespace} ${m.metricName} is not a documented metric`);
    assert.ok(documented.dimensions.some((d) => JSON.stringify(d) === JSON.stringify(Object.keys(m.dimensions))), `${where}: ${m.metricName} by ${Object.keys(m.dimensions).join(",")}`);
    assert.match(stat, documented.stats, `${where}: ${m.metricName} ${stat}`);
}

describe("the CloudWatch dashboard (LambdaEcrPipeline, under mocks)", () => {
    // PutDashboard creates and overwrites alike (terraform-provider-aws cloudwatch/dashboard.go: create is the put), so
    // two stacks given one name would share a dashboard without an error, and either's destroy would delete it.
    it("stacks whose names CloudWatch's characters make alike (prod.eu, prod-eu) get dashboards of their own, each a name PutDashboard takes", async () => {
        const { cloudWatchDashboardName } = await import("../../components/aws/dashboardBody");
        const names = ["prod.eu", "prod-eu", "prod_eu", "dev", "x".repeat(300)].map((stack) => cloudWatchDashboardName("multicloud-service", stack));
        assert.strictEqual(new Set(names.slice(0, 3)).size, 3, names.join(", "));
        for (const name of names) assert.match(name, /^[A-Za-z0-9_-]{1,255}$/);
        assert.deepStrictEqual(names.slice(1, 4), ["multicloud-service-prod-eu", "multicloud-service-prod_eu", "multicloud-service-dev"]);
    });

    it("a replacement (aws:region changed) deletes the old dashboard before putting the new one, which would otherwise be deleted with it", async () => {
        // Dashboards are the account's, not a region's (their ARNs carry no region), and create is PutDashboard, which
        // overwrites: created first, the new one would be the old one, and the replacement's delete would remove it.
        // The name is set, not auto-named, so the bridge does not delete first by itself (pulumi-terraform-bridge
        // schema.go nameRequiresDeleteBeforeReplace).
        const { resource } = await dashboardOf("dev");
        assert.strictEqual(resource.deleteBeforeReplace, true);
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            it("one dashboard per stack, named after project and stack, its console URL an output of the component", async () => {
                const { resource, component } = await dashboardOf(stack);
                assert.strictEqual(resource.inputs.dashboardName, `multicloud-service-${stack}`);
                assert.strictEqual(
                    await valueOf(component.dashboardUrl),
                    `https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#dashboards/dashboard/multicloud-service-${stack}`,
                );
            });

            it("every widget fits the documented grid, and every metric is a documented one, with its dimensions and a statistic that means something for it", async () => {
                const { body, metricWidgets } = await dashboardOf(stack);
                // Before: unset, so the console's "auto" re-periodded every graph to the time range shown, and the
                // points stopped being the 5-minute periods the alarms evaluate (Dashboard body structure, periodOverride).
                assert.strictEqual(body.periodOverride, "inherit");
                for (const w of body.widgets) {
                    only("widget", w, DOCUMENTED_PROPERTIES.widget);
                    only(`${w.type} widget`, w.properties, DOCUMENTED_PROPERTIES[w.type]);
                    if (w.type === "metric") {
                        only("yAxis.left", w.properties.yAxis.left, DOCUMENTED_PROPERTIES.yAxis);
                        for (const a of w.properties.annotations?.horizontal ?? []) {
                            only("annotation", a, DOCUMENTED_PROPERTIES.horizontalAnnotation);
                            assert.ok(typeof a.value === "number" && /^#[0-9a-f]{6}$/.test(a.color) && (a.fill === undefined || ["above", "below"].includes(a.fill)), JSON.stringify(a));
                        }
                    }
                    assert.ok(w.x >= 0 && w.x <= 23 && w.width >= 1 && w.x + w.width <= 24 && w.height >= 1 && w.height <= 1000 && w.y >= 0, `grid: ${JSON.stringify(w)}`);
                }
                let checked = 0;
                for (const w of metricWidgets) {
                    assert.strictEqual(w.properties.region, "ap-northeast-1");
                    const ids = new Set<string>();
                    for (const row of w.properties.metrics) {
                        const math = row.length === 1 && typeof row[0] === "object" ? (row[0] as { id: string; expression: string }) : undefined;
                        if (math) {
                            only("metric math", math, DOCUMENTED_PROPERTIES.math);
                            assert.match(math.id, /^[a-z][A-Za-z0-9_]*$/);
                            for (const ref of math.expression.match(/\b[a-z][A-Za-z0-9_]*\b/g)!.filter((t) => !["if"].includes(t))) {
                                assert.ok(ids.has(ref), `${w.properties.title}: the expression uses "${ref}", which no metric above defines`);
                            }
                            continue;
                        }
                        const metric = parseRow(row);
                        const { rendering } = metric;
                        only("rendering", rendering, DOCUMENTED_PROPERTIES.rendering);
                        assertDocumented(w.properties.title, metric, rendering.stat);
                        if (rendering.id) {
                            assert.match(rendering.id, /^[a-z][A-Za-z0-9_]*$/);
                            ids.add(rendering.id);
                        }
                        checked++;
                    }
                }
                assert.ok(checked >= 10, `${checked} metrics checked`);
            });

            it("every alarm, and every metric of an alarm's math, is a documented metric with its dimensions and a statistic that means something for it; its math valid as PutMetricAlarm takes it", async () => {
                const { cloud } = await dashboardOf(stack);
                const check = (where: string, m: { namespace: string; metricName: string; dimensions: Record<string, string> }, stat: string, period: number) => {
                    assertDocumented(where, m, stat);
                    // botocore cloudwatch service-2.json, PutMetricAlarmInput Period: "Valid values are 10, 20, 30, and any multiple
                    // of 60", the first three "only for metrics that are stored by a PutMetricData call with a StorageResolution of 1":
                    // none of these is.
                    assert.ok(period >= 60 && period % 60 === 0, `${where}: period ${period}`);
                    // Lambda's Resource of an alias invocation is "<function>:<alias>".
                    if ("Resource" in m.dimensions) assert.strictEqual(m.dimensions.Resource, `${m.dimensions.FunctionName}:live`, where);
                };
                let checked = 0;
                for (const a of cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
                    const alarm = a.inputs;
                    if (!alarm.metricQueries) {
                        check(a.name, alarm as any, alarm.statistic ?? alarm.extendedStatistic, alarm.period);
                        checked++;
                        continue;
                    }
                    // botocore cloudwatch service-2.json: PutMetricAlarmInput Metrics, "One item in the Metrics array is the
                    // expression that the alarm watches. You designate this expression by setting ReturnData to true";
                    // MetricDataQuery Id, "The first character must be a lowercase letter"; an expression reads the ids beside it.
                    assert.strictEqual(alarm.metricQueries.filter((q: any) => q.returnData).length, 1, a.name);
                    const ids = new Set<string>(alarm.metricQueries.map((q: any) => q.id));
                    for (const q of alarm.metricQueries) {
                        assert.match(q.id, /^[a-z][A-Za-z0-9_]*$/, a.name);
                        if (q.expression) {
                            for (const ref of q.expression.match(/\b[a-z][A-Za-z0-9_]*\b/g) ?? []) assert.ok(ids.has(ref), `${a.name}: "${ref}" in ${q.expression}`);
                            continue;
                        }
                        check(`${a.name} ${q.id}`, q.metric, q.metric.stat, q.metric.period);
                        checked++;
                    }
                }
                // api: errors, invocations, serverErrors, p95, throttles, health, health-stopped, 3 unstarted, concurrency (prod);
                // worker: errors, invocations, p95, throttles; the pipeline's failed executions.
                assert.ok(checked >= 15, `${checked} alarm metrics checked`);
            });

            it("the alarms' thresholds are drawn from the same settings and on the same metric, statistic and dimensions as the alarms", async () => {
                const { cloud, widget, lines } = await dashboardOf(stack);
                for (const label of ["api", "worker"]) {
                    const errorAlarm = cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", `pipeline-${label}-error-rate`).inputs;
                    const p95Alarm = cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", `pipeline-${label}-p95-duration`).inputs;
                    assert.strictEqual(lines(`${label}: error rate (%)`).alarm, errorAlarm.threshold);
                    assert.strictEqual(lines(`${label}: p95 duration (ms)`).alarm, p95Alarm.threshold);
                    const errorMath = widget(`${label}: error rate (%)`).properties.metrics.find((r) => typeof r[0] === "object") as [{ expression: string }];
                    assert.strictEqual(errorMath[0].expression, errorAlarm.metricQueries.find((q: any) => q.expression).expression);
                    const duration = parseRow(widget(`${label}: p95 duration (ms)`).properties.metrics[0]);
                    // The API's alarm reads its p95 in metric math, beside the invocations that let it judge one.
                    const p95Query = p95Alarm.metricQueries?.find((q: any) => q.id === "p95")?.metric;
                    const watched = p95Query ? [p95Query.metricName, p95Query.stat, p95Query.dimensions, p95Query.period] : [p95Alarm.metricName, p95Alarm.extendedStatistic, p95Alarm.dimensions, p95Alarm.period];
                    assert.deepStrictEqual([duration.metricName, duration.rendering.stat, duration.dimensions, widget(`${label}: p95 duration (ms)`).properties.period], watched);
                }
                const failed = cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-failed-executions").inputs;
                const executions = widget("pipeline: executions").properties.metrics.map(parseRow).find((m) => m.metricName === failed.metricName)!;
                assert.deepStrictEqual(executions.dimensions, failed.dimensions);
                assert.ok(lines("pipeline: executions").alarm > failed.threshold, "one failed execution crosses the alarm's line");
                // The API's /health checks as their alarm counts them: the same state machine, a minute at a time.
                const health = cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-api-health").inputs;
                const checks = widget("api: /health checks (one a minute)");
                const failedChecks = checks.properties.metrics.map(parseRow).find((m) => m.metricName === health.metricName)!;
                assert.deepStrictEqual([failedChecks.dimensions, failedChecks.rendering.stat, checks.properties.period], [health.dimensions, health.statistic, health.period]);
                assert.ok(lines("api: /health checks (one a minute)").alarm > health.threshold, "one failed check in a minute crosses the alarm's line");
            });

            it("the go-live checklist's targets on the API's widgets (not the worker's: callers never reach it)", async () => {
                const { lines } = await dashboardOf(stack);
                // The checklist's own figures, written out: over 50 req/s, p95 under 500 ms, errors under 1 %.
                assert.strictEqual(lines("api: requests per second").target, 50);
                assert.strictEqual(lines("api: p95 duration (ms)").target, 500);
                assert.strictEqual(lines("api: error rate (%)").target, 1);
                assert.strictEqual(lines("worker: p95 duration (ms)").target, undefined);
                assert.strictEqual(lines("worker: invocations per second").target, undefined);
            });
        });
    }

    it("other thresholds in the settings move the lines with the alarms", async () => {
        const { cloud, lines } = await dashboardOf("dev", { alarms: { errorRatePercent: 2.5, p95DurationMs: 750 } });
        assert.strictEqual(lines("api: error rate (%)").alarm, 2.5);
        assert.strictEqual(lines("worker: p95 duration (ms)").alarm, 750);
        assert.strictEqual(cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-worker-p95-duration").inputs.threshold, 750);
    });

    it("prod's reserved concurrency: its alarm's line at 90 % of it (resource use > 90 %); dev reserves none and draws none", async () => {
        assert.strictEqual((await dashboardOf("prod")).lines("api: concurrency and throttles").alarm, 90);
        assert.deepStrictEqual((await dashboardOf("dev")).lines("api: concurrency and throttles"), {});
    });

    // ConcurrentExecutions is a whole count, so the alarm's "> 22.5" (90 % of 25) fires at 23, as "> 22" would: the line
    // drawn at 22 shows where it fires; one at 23 would show a count of 23 as below the alarm that it raises.
    it("a reservation whose share is not whole: the line at the largest count the concurrency alarm leaves alone", async () => {
        const { cloud, lines } = await dashboardOf("prod", { reservedConcurrency: 25 });
        const threshold = cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-api-concurrency").inputs.threshold;
        assert.strictEqual(threshold, 22.5);
        const line = lines("api: concurrency and throttles").alarm;
        assert.ok(line <= threshold && line + 1 > threshold, `line ${line}: the alarm fires above ${threshold}`);
    });

    it("a reservation of 0 (the function runs nothing) has no concurrency alarm, and the dashboard draws no line for one", async () => {
        const { cloud, lines } = await dashboardOf("prod", { reservedConcurrency: 0 });
        assert.deepStrictEqual(cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.endsWith("-concurrency")), []);
        assert.deepStrictEqual(lines("api: concurrency and throttles"), {});
    });
});
