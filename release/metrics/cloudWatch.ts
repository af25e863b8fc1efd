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
import { describeValue } from "../../config/errors";
import { largest } from "../extremes";
import { BakeWindow, DeployedTarget, Sample } from "../types";
import { alarmAnswerProblem } from "./alarmAnswerShape";
import { metricDataProblem, namelessResult } from "./metricDataShape";
import { MetricsUnreadable } from "./metricSource";

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
/**
 * The window's whole minutes, or undefined before it holds one. GetMetricData rounds a StartTime down to the minute and
 * takes EndTime as exclusive (API reference, GetMetricData), and its periods count from the rounded start: a window
 * that is not whole minutes ends in a period of its own, a part-minute whose p95 comes from a handful of invocations
 * and would be judged as the worst. Whole minutes make the window exactly one period. The first is the one after the
 * step began: the minute it began in also holds the previous step's traffic and, in ConcurrentExecutions (the
 * function's, every version counted), the new version's verification load, which runs just before the step.
 */
function wholeMinutes(window: BakeWindow): { start: Date; end: Date; periodSeconds: number } | undefined {
    const minute = 60_000;
    const start = Math.ceil(window.start.getTime() / minute) * minute;
    const end = Math.floor(window.end.getTime() / minute) * minute;
    return end > start ? { start: new Date(start), end: new Date(end), periodSeconds: (end - start) / 1000 } : undefined;
}

export function lambdaMetricDataRequest(target: DeployedTarget, window: BakeWindow, reservedConcurrency?: number): GetMetricDataCommandInput | undefined {
    const minutes = wholeMinutes(window);
    if (!minutes) return undefined;
    const Period = minutes.periodSeconds;
    const Dimensions = versionDimensions(target.service, target.version);
    const query = (Id: string, MetricName: string, Stat: string, Namespace = "AWS/Lambda"): MetricDataQuery => ({
        Id,
        MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period, Stat },
        ReturnData: true,
    });
    return {
        StartTime: minutes.start,
        EndTime: minutes.end,
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

/**
 * Sums over the window's data points; the p95 of the worst period. A query CloudWatch could not answer whole
 * (MetricDataResult.StatusCode InternalError or Forbidden, or PartialData once every page is read) stops the read:
 * its missing values would count as no errors. So does an answer not as CloudWatch sends it (metricDataShape.ts).
 */
export function sampleFromMetricData(pages: readonly Pick<GetMetricDataCommandOutput, "MetricDataResults" | "Messages">[], reservedConcurrency?: number): Omit<Sample, "firingAlarms"> {
    const shape = (problem: string) => new MetricsUnreadable(`CloudWatch answered GetMetricData for the new version in a shape it does not send (${problem}): nothing is judged on it`);
    const nameless = namelessResult(pages);
    if (nameless) throw shape(nameless);
    const last = new Map(pages.flatMap((page) => page.MetricDataResults ?? []).map((r) => [r.Id, r]));
    const unanswered = [...last.values()].filter((r) => r.StatusCode !== undefined && r.StatusCode !== "Complete");
    if (unanswered.length) {
        const messages = [...unanswered.flatMap((r) => r.Messages ?? []), ...pages.flatMap((page) => page.Messages ?? [])].map(messageText);
        const which = unanswered.map((r) => `${r.Id} ${r.StatusCode}`).join(", ");
        throw new MetricsUnreadable(`CloudWatch did not answer every metric of the new version (${which}${messages.length ? `; ${messages.join("; ")}` : ""}): nothing is judged on missing data`);
    }
    const asked = [QUERY_IDS.invocations, QUERY_IDS.errors, QUERY_IDS.serverErrors, QUERY_IDS.p95, ...(reservedConcurrency ? [QUERY_IDS.concurrency] : [])];
    const problem = metricDataProblem(pages, asked);
    if (problem) throw shape(problem);
    const values = (id: string) => pages.flatMap((page) => page.MetricDataResults ?? []).filter((r) => r.Id === id).flatMap((r) => r.Values ?? []);
    const sum = (id: string) => values(id).reduce((total, v) => total + v, 0);
    const p95 = values(QUERY_IDS.p95);
    const concurrency = values(QUERY_IDS.concurrency);
    const utilization =
        reservedConcurrency && concurrency.length
            ? [{ metric: `AWS/Lambda ConcurrentExecutions (Maximum) of the reserved ${reservedConcurrency}`, percent: (100 * largest(concurrency)) / reservedConcurrency }]
            : undefined;
    return { requests: sum(QUERY_IDS.invocations), errors: sum(QUERY_IDS.errors) + sum(QUERY_IDS.serverErrors), p95Ms: p95.length ? largest(p95) : undefined, ...(utilization ? { utilization } : {}) };
}

/**
 * A MessageData as the release's messages show it: "Code: Value", or whichever of the two it has. Both are optional
 * (CloudWatch API reference, MessageData: Code and Value, "Required: No"; its example, Code Forbidden with the value
 * "Authentication too complex to retrieve cross region data"); anything else is shown as it came.
 */
function messageText(message: unknown): string {
    const { Code, Value } = (typeof message === "object" && message !== null ? message : {}) as Record<string, unknown>;
    const parts = [Code, Value].filter((part): part is string => typeof part === "string" && part !== "");
    return parts.length ? parts.join(": ") : describeValue(message, 200);
}

/**
 * DescribeAlarms takes at most 100 AlarmNames and answers at most MaxRecords (1-100) alarms a page, with a NextToken
 * while there are more (CloudWatch API reference, DescribeAlarms; botocore's cloudwatch service-2.json: AlarmNames max
 * 100, MaxRecords min 1 max 100).
 */
export const DESCRIBE_ALARMS_LIMIT = 100;

/** One request per 100 names, each asking for the largest page. */
export function alarmStateRequests(alarmNames: readonly string[]): DescribeAlarmsCommandInput[] {
    const requests: DescribeAlarmsCommandInput[] = [];
    for (let i = 0; i < alarmNames.length; i += DESCRIBE_ALARMS_LIMIT) {
        requests.push({ AlarmNames: alarmNames.slice(i, i + DESCRIBE_ALARMS_LIMIT), AlarmTypes: ["MetricAlarm"], MaxRecords: DESCRIBE_ALARMS_LIMIT });
    }
    return requests;
}

/**
 * The target's alarms in ALARM, from every DescribeAlarms page. An answer not as CloudWatch sends it stops the read
 * (alarmAnswerShape.ts). DescribeAlarms with AlarmNames answers the alarms of those names that exist and leaves the
 * others out, without an error: the SDK's AlarmExists waiter (@aws-sdk/client-cloudwatch waitForAlarmExists;
 * `aws cloudwatch wait alarm-exists`) polls the same call until `length(MetricAlarms[]) > 0`. So an alarm deleted or
 * renamed by hand would be a gate that can never fire, and read as healthy: the read stops instead, naming it, the
 * stack output that names it, and how to create it again; the alarms it holds that are in ALARM still go with it
 * (readSoFar), so one of them fires the gate in that same poll.
 */
export function firingAlarms(target: Pick<DeployedTarget, "alarms" | "alarmOutputs">, pages: readonly Pick<DescribeAlarmsCommandOutput, "MetricAlarms">[]): string[] {
    const problem = alarmAnswerProblem(pages, target.alarms);
    if (problem) throw new MetricsUnreadable(`CloudWatch answered DescribeAlarms in a shape it does not send (${problem}): no alarm is judged on it`);
    const alarms = pages.flatMap((page) => page.MetricAlarms ?? []);
    const answered = new Set(alarms.map((a) => a.AlarmName));
    const missing = target.alarms.filter((name) => !answered.has(name));
    const firing = alarms.filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName as string);
    if (missing.length) {
        const named = missing.map((name) => `${name} (stack output ${target.alarmOutputs?.[name] ?? "aws.apiAlarmNames or aws.pipelineAlarmNames"})`).join(", ");
        // The command is in the message, which every stop prints (both clouds' stop prints no remedy), and only there.
        throw new MetricsUnreadable(
            `CloudWatch holds no metric alarm named ${named}: DescribeAlarms leaves out a name that names no alarm, so that gate could never fire. ` +
                `An alarm deleted or renamed by hand is created again by \`pulumi up --refresh\` on the stack (the program declares it)`,
            { readSoFar: { requests: 0, errors: 0, firingAlarms: firing }, remedy: `create the missing alarm${missing.length === 1 ? "" : "s"} again with that up` },
        );
    }
    return firing;
}
