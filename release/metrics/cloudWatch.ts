/**
 * The Lambda half of the metrics: GetMetricData for the new version's own Invocations, Errors (Sum) and Duration
 * p95, and DescribeAlarms for the API alarms. Invocations through the `live` alias carry the dimensions
 * FunctionName, Resource = <function>:live and ExecutedVersion = the version that ran, so weighted routing's
 * two versions are told apart. Failed requests are Lambda's Errors plus the 5xx answers the API returned, which
 * Lambda counts as successful invocations: the service's own ServerErrors metric, under the same dimensions.
 */
import type {
    DescribeAlarmsCommandInput,
    DescribeAlarmsCommandOutput,
    Dimension,
    GetMetricDataCommandInput,
    GetMetricDataCommandOutput,
    MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { SERVER_ERROR_METRIC } from "../../components/aws/serverErrorMetric";
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { windowPeriodSeconds } from "./metricSource";

/** The alias the Function URL serves (components/aws/args.ts ALIAS_NAME). */
export const LIVE_ALIAS = "live";

const QUERY_IDS = { invocations: "invocations", errors: "errors", serverErrors: "serverErrors", p95: "p95", concurrency: "concurrency" } as const;

export function versionDimensions(functionName: string, version: string): Dimension[] {
    return [
        { Name: "FunctionName", Value: functionName },
        { Name: "Resource", Value: `${functionName}:${LIVE_ALIAS}` },
        { Name: "ExecutedVersion", Value: version },
    ];
}

/**
 * `reservedConcurrency` (when the function has one above 0) adds the function's ConcurrentExecutions, Maximum, with
 * the FunctionName dimension alone: "Concurrency settings apply to the function as a whole, including all published
 * versions" (PutFunctionConcurrency), so all of them count; Lambda emits ConcurrentExecutions "for all functions,
 * versions, and aliases", to be viewed "using MAX" (Lambda developer guide, "Monitoring concurrency").
 */
export function lambdaMetricDataRequest(target: DeployedTarget, window: BakeWindow, reservedConcurrency?: number): GetMetricDataCommandInput {
    const Period = windowPeriodSeconds(window);
    const Dimensions = versionDimensions(target.service, target.version);
    const query = (Id: string, MetricName: string, Stat: string, Namespace = "AWS/Lambda"): MetricDataQuery => ({
        Id,
        MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period, Stat },
        ReturnData: true,
    });
    return {
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: "TimestampDescending",
        MetricDataQueries: [
            query(QUERY_IDS.invocations, "Invocations", "Sum"),
            query(QUERY_IDS.errors, "Errors", "Sum"),
            query(QUERY_IDS.serverErrors, SERVER_ERROR_METRIC.name, "Sum", SERVER_ERROR_METRIC.namespace),
            query(QUERY_IDS.p95, "Duration", "p95"),
            ...(reservedConcurrency
                ? [
                      {
                          Id: QUERY_IDS.concurrency,
                          MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "ConcurrentExecutions", Dimensions: [{ Name: "FunctionName", Value: target.service }] }, Period, Stat: "Maximum" },
                          ReturnData: true,
                      },
                  ]
                : []),
        ],
    };
}

/** Sums over the window's data points; the p95 of the worst period (a window split across two periods counts its worse half). */
export function sampleFromMetricData(pages: readonly Pick<GetMetricDataCommandOutput, "MetricDataResults">[], reservedConcurrency?: number): Omit<Sample, "firingAlarms"> {
    const values = (id: string) => pages.flatMap((page) => page.MetricDataResults ?? []).filter((r) => r.Id === id).flatMap((r) => r.Values ?? []);
    const sum = (id: string) => values(id).reduce((total, v) => total + v, 0);
    const p95 = values(QUERY_IDS.p95);
    const concurrency = values(QUERY_IDS.concurrency);
    const utilization =
        reservedConcurrency && concurrency.length
            ? [{ metric: `AWS/Lambda ConcurrentExecutions (Maximum) of the reserved ${reservedConcurrency}`, percent: (100 * Math.max(...concurrency)) / reservedConcurrency }]
            : undefined;
    return { requests: sum(QUERY_IDS.invocations), errors: sum(QUERY_IDS.errors) + sum(QUERY_IDS.serverErrors), p95Ms: p95.length ? Math.max(...p95) : undefined, ...(utilization ? { utilization } : {}) };
}

export function alarmStateRequest(alarmNames: readonly string[]): DescribeAlarmsCommandInput {
    return { AlarmNames: [...alarmNames], AlarmTypes: ["MetricAlarm"] };
}

export function firingAlarms(output: Pick<DescribeAlarmsCommandOutput, "MetricAlarms">): string[] {
    return (output.MetricAlarms ?? []).filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName ?? "(unnamed alarm)");
}
