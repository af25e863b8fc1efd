import { keptApart } from "../names";
import { CHECKLIST_TARGETS, LINE_COLOURS } from "../dashboardTargets";
import { HEALTH_CHECK } from "./healthCheckCadence";
import { ALIAS_NAME } from "./args";
import { SERVER_ERROR_METRIC, errorRateExpression } from "./serverErrorMetric";

/*
 * A CloudWatch dashboard body, as the Dashboard Body Structure documents it
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html): a grid 24
 * units wide; metric widgets list `[namespace, metricName, dimensionName, dimensionValue, ..., {rendering}]` arrays
 * or `[{expression, id, label}]` metric math, and draw `annotations.horizontal` lines.
 */

export interface HorizontalAnnotation {
    label: string;
    value: number;
    color: string;
    fill?: "above" | "below";
}
export type MetricRow = (string | Record<string, unknown>)[];
export interface MetricWidget {
    type: "metric";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: {
        title: string;
        region: string;
        view: "timeSeries";
        stacked: false;
        period: number;
        metrics: MetricRow[];
        annotations?: { horizontal: HorizontalAnnotation[] };
        yAxis: { left: { min: 0; label: string; showUnits: false } };
    };
}
export interface TextWidget {
    type: "text";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { markdown: string };
}
export interface DashboardBody {
    /**
     * "inherit": each graph keeps its period whatever time range is shown. Without it the console's default, "auto",
     * re-periods every graph to the range (CloudWatch "Dashboard body structure", periodOverride), and a p95 line
     * would no longer be the 5-minute p95 its alarm line is drawn against.
     */
    periodOverride: "inherit";
    widgets: (MetricWidget | TextWidget)[];
}

export interface PipelineDashboardInputs {
    region: string;
    /** The functions as the alarms watch them: `label` names the row; `http` marks the one callers reach. */
    functions: { label: string; functionName: string; http: boolean; reservedConcurrency?: number }[];
    stateMachineArn: string;
    /** The API's health check's state machine (healthCheck.ts): its checks, one a minute. */
    healthCheckArn: string;
    /** The alarms' thresholds (aws.alarms.*): the same numbers the alarms and the release's gates use. */
    errorRatePercent: number;
    p95DurationMs: number;
    /** The concurrency alarm's share of a reservation, in percent (release.maxUtilizationPercent in a stack). */
    utilizationPercent: number;
}

/** The alarms' period: a point on the dashboard is what an alarm evaluates. */
export const DASHBOARD_PERIOD_SECONDS = 300;
const WIDTH = 6;
const HEIGHT = 6;

/**
 * The stack's figures: per function (as the alarms see it: the `live` alias) requests per second, error rate, p95
 * duration and concurrency; then the pipeline's executions. Red lines are the alarms (a reserved concurrency's too),
 * green the go-live checklist's targets.
 */
export function pipelineDashboardBody(inputs: PipelineDashboardInputs): DashboardBody {
    const widgets: DashboardBody["widgets"] = [
        {
            type: "text",
            x: 0,
            y: 0,
            width: 24,
            height: 2,
            properties: {
                markdown:
                    `Red lines: the alarms (aws.alarms.errorRatePercent ${inputs.errorRatePercent} %, aws.alarms.p95DurationMs ${inputs.p95DurationMs} ms), ` +
                    `which are also the release's gates, and ${inputs.utilizationPercent} % of a reserved concurrency. Green: the go-live checklist's targets. ` +
                    `Every point is a ${DASHBOARD_PERIOD_SECONDS / 60}-minute period (the /health checks: ${HEALTH_CHECK.everySeconds / 60} minute), as the alarms evaluate it.`,
            },
        },
    ];
    let y = 2;
    for (const fn of inputs.functions) {
        const dims = ["FunctionName", fn.functionName, "Resource", `${fn.functionName}:${ALIAS_NAME}`];
        const row = [requestRate(fn.label, dims, fn.http), errorRate(fn.label, dims, inputs.errorRatePercent, fn.http), p95Duration(fn.label, dims, inputs.p95DurationMs, fn.http), concurrency(fn, inputs.utilizationPercent)];
        row.forEach((properties, i) => widgets.push(metricWidget(i * WIDTH, y, { ...properties, region: inputs.region })));
        y += HEIGHT;
    }
    widgets.push(
        metricWidget(0, y, {
            region: inputs.region,
            title: "pipeline: executions",
            label: "Executions",
            metrics: (["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed"] as const).map((name) => ["AWS/States", name, "StateMachineArn", inputs.stateMachineArn, { stat: "Sum", label: name }]),
            // The alarm fires on any failed execution in a period (Sum > 0): one is enough.
            lines: [{ label: "alarm: any failed execution", value: 1, color: LINE_COLOURS.alarm }],
            width: 12,
        }),
        metricWidget(12, y, { ...healthChecks(inputs.healthCheckArn), region: inputs.region, width: 12 }),
    );
    return { periodOverride: "inherit", widgets };
}

type WidgetSpec = { title: string; label: string; metrics: MetricRow[]; lines: HorizontalAnnotation[]; region?: string; width?: number; periodSeconds?: number };

/** The API's /health checks a minute at a time, as their alarm counts them (alarms.ts healthAlarm): a failed one in each of 3 minutes pages. */
function healthChecks(healthCheckArn: string): WidgetSpec {
    return {
        title: "api: /health checks (one a minute)",
        label: "checks",
        metrics: (
            [
                ["ExecutionsStarted", "checks run"],
                ["ExecutionsFailed", "failed checks"],
            ] as const
        ).map(([metric, label]) => ["AWS/States", metric, "StateMachineArn", healthCheckArn, { stat: "Sum", label }]),
        lines: [{ label: `alarm: a failed check in each of ${HEALTH_CHECK.failedInARow} minutes in a row`, value: 1, color: LINE_COLOURS.alarm }],
        periodSeconds: HEALTH_CHECK.everySeconds,
    };
}

function requestRate(label: string, dims: string[], http: boolean): WidgetSpec {
    return {
        title: `${label}: ${http ? "requests" : "invocations"} per second`,
        label: "per second",
        metrics: [
            ["AWS/Lambda", "Invocations", ...dims, { id: "invocations", stat: "Sum", visible: false }],
            [{ id: "perSecond", expression: "invocations / PERIOD(invocations)", label: `${label} ${http ? "requests" : "invocations"}/s` }],
        ],
        lines: http ? [{ label: `target: > ${CHECKLIST_TARGETS.requestsPerSecond} req/s`, value: CHECKLIST_TARGETS.requestsPerSecond, color: LINE_COLOURS.target }] : [],
    };
}

function errorRate(label: string, dims: string[], alarmPercent: number, http: boolean): WidgetSpec {
    return {
        title: `${label}: error rate (%)`,
        label: "%",
        metrics: [
            ["AWS/Lambda", "Errors", ...dims, { id: "errors", stat: "Sum", visible: false }],
            ["AWS/Lambda", "Invocations", ...dims, { id: "invocations", stat: "Sum", visible: false }],
            ...(http ? [[SERVER_ERROR_METRIC.namespace, SERVER_ERROR_METRIC.name, ...dims, { id: "serverErrors", stat: "Sum", visible: false }] as MetricRow] : []),
            // The alarm's own expression (alarms.ts), so the line and the alarm judge the same number.
            [{ id: "errorRate", expression: errorRateExpression(http), label: "Error rate (%)" }],
        ],
        lines: [
            { label: `alarm: > ${alarmPercent} %`, value: alarmPercent, color: LINE_COLOURS.alarm, fill: "above" },
            { label: `target: < ${CHECKLIST_TARGETS.errorRatePercent} %`, value: CHECKLIST_TARGETS.errorRatePercent, color: LINE_COLOURS.target },
        ],
    };
}

function p95Duration(label: string, dims: string[], alarmMs: number, http: boolean): WidgetSpec {
    return {
        title: `${label}: p95 duration (ms)`,
        label: "ms",
        metrics: [["AWS/Lambda", "Duration", ...dims, { stat: "p95", label: "p95" }]],
        lines: [
            { label: `alarm: > ${alarmMs} ms`, value: alarmMs, color: LINE_COLOURS.alarm, fill: "above" },
            ...(http ? [{ label: `target: < ${CHECKLIST_TARGETS.p95LatencyMs} ms`, value: CHECKLIST_TARGETS.p95LatencyMs, color: LINE_COLOURS.target }] : []),
        ],
    };
}

function concurrency(fn: PipelineDashboardInputs["functions"][number], utilizationPercent: number): WidgetSpec {
    const reserved = fn.reservedConcurrency;
    return {
        title: `${fn.label}: concurrency and throttles`,
        label: "count",
        // Reserved concurrency belongs to the function, not the alias: its executions are counted by FunctionName.
        metrics: [
            ["AWS/Lambda", "ConcurrentExecutions", "FunctionName", fn.functionName, { stat: "Maximum", label: "concurrent executions (max)" }],
            ["AWS/Lambda", "Throttles", "FunctionName", fn.functionName, "Resource", `${fn.functionName}:${ALIAS_NAME}`, { stat: "Sum", label: "throttles (alarm: > 0)" }],
        ],
        lines:
            reserved === undefined || reserved === 0
                ? []
                : [
                      {
                          // The alarm's threshold (alarms.ts concurrencyAlarm); executions are whole, so its floor draws the same line.
                          label: `alarm: > ${utilizationPercent} % of ${reserved} reserved`,
                          value: Math.floor((reserved * utilizationPercent) / 100),
                          color: LINE_COLOURS.alarm,
                          fill: "above",
                      },
                  ],
    };
}

function metricWidget(x: number, y: number, spec: WidgetSpec): MetricWidget {
    return {
        type: "metric",
        x,
        y,
        width: spec.width ?? WIDTH,
        height: HEIGHT,
        properties: {
            title: spec.title,
            region: spec.region!,
            view: "timeSeries",
            stacked: false,
            period: spec.periodSeconds ?? DASHBOARD_PERIOD_SECONDS,
            metrics: spec.metrics,
            ...(spec.lines.length ? { annotations: { horizontal: spec.lines } } : {}),
            yAxis: { left: { min: 0, label: spec.label, showUnits: false } },
        },
    };
}

/** The console's address of a dashboard (CloudWatch's own "share" link form). */
export function cloudWatchDashboardUrl(region: string, dashboardName: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${encodeURIComponent(dashboardName)}`;
}

/**
 * CloudWatch dashboard names: up to 255 of A-Z, a-z, 0-9, "-" and "_" (PutDashboard's DashboardName), kept apart
 * from another stack's when that changed it (`prod.eu` and `prod-eu`): PutDashboard creates and overwrites alike, so a
 * shared name would be taken over by the second stack without an error, and deleted by either's destroy.
 */
export function cloudWatchDashboardName(project: string, environment: string): string {
    const name = `${project}-${environment}`;
    return keptApart(name.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 248), name);
}
