import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { warnWhenNoOneReads } from "../alertAddress";
import { stackTitle } from "../stackTitle";
import { ALIAS_NAME, Tags } from "./args";
import { alarmTopicKeyPolicy } from "./iamPolicies";
import { confirmWithCredentials } from "./snsConfirmation";
import { SERVER_ERROR_METRIC, errorRateExpression } from "./serverErrorMetric";
import { HEALTH_CHECK } from "./healthCheckCadence";
import { withRequestFloor } from "../requestFloor";

export interface PipelineAlarmsArgs {
    /**
     * `http`: it answers HTTP, and counts the 5xx it returns (SERVER_ERROR_METRIC) besides Lambda's Errors.
     * `reservedConcurrency`: its reservation, which its concurrency is judged against; unset: it shares the account's pool.
     * `healthCheck`: the state machine that checks its /health every minute, the log group of its failed checks and the
     * schedule group of the schedule that starts it (healthCheck.ts). `logGroup`: the function's own.
     */
    functions: {
        label: string;
        functionName: pulumi.Input<string>;
        logGroup: pulumi.Input<string>;
        http: boolean;
        reservedConcurrency?: pulumi.Input<number>;
        healthCheck?: { stateMachineArn: pulumi.Input<string>; logGroup: pulumi.Input<string>; scheduleGroup: pulumi.Input<string> };
    }[];
    stateMachineArn: pulumi.Input<string>;
    stateMachineLogGroup: pulumi.Input<string>;
    /** The stack, named in every alarm's description (stackTitle): it is in the e-mail an alarm sends. */
    environment: string;
    /** The stack's CloudWatch dashboard (dashboard.ts), which every alarm's description points to. */
    dashboardUrl: pulumi.Input<string>;
    errorRatePercent: number;
    p95DurationMs: number;
    /** Invocations of an HTTP function in a period below which its error rate and p95 are not judged (requestFloor.ts). */
    minRequests: number;
    /** Resource use that pages: concurrent executions above this share of a function's reservation, in percent. */
    utilizationPercent: number;
    email?: string;
    /** What to do, last in the description of each alarm but the health check's watchdogs (which say their own). */
    runbook?: string;
    accountId: pulumi.Input<string>;
    tags: Tags;
    isProduction: boolean;
}

const PERIOD_SECONDS = 300;

/** Where every alarm here reports, and how it reads a period without data. */
type AlarmNotify = Pick<cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "treatMissingData" | "tags">;

/**
 * An alarm's description, which its e-mail carries (an SNS message of a CloudWatch alarm: AlarmName, AlarmDescription,
 * NewStateReason, Region, ...) while its name is Pulumi's autoname: what broke in which stack, then where to look
 * (the dashboard, the log groups) and what to do. At most 1024 characters (PutMetricAlarm's AlarmDescription).
 */
type Describe = (what: pulumi.Input<string>, logGroups: pulumi.Input<string>[], todo?: string) => pulumi.Output<string>;

/** The health check's watchdogs page about the checks, not the version: a rollback would not start them again. */
const HEALTH_CHECK_RUNBOOK =
    "A rollback does not start the checks again: look at the /health check's schedule in EventBridge Scheduler and its state machine; `pulumi up --refresh` puts back one disabled, deleted or changed outside Pulumi.";

/**
 * Days a destroyed stack's topic key waits in PendingDeletion: KMS's shortest outside production, where each closed
 * pull request's review stack leaves one, and its default (30, which the provider asks for when none is set:
 * terraform-provider-aws kms/key.go passes PendingWindowInDays only when deletion_window_in_days is set) in production.
 */
export const KEY_DELETION_DAYS = { production: 30, other: 7 };

/**
 * Says so while the e-mail's subscription is pending as Pulumi last read it (when it was created, or at the last
 * refresh: an `up` does not read an unchanged resource again): SNS delivers nothing to it until it is confirmed from
 * AWS's confirmation e-mail, and it deletes one left unconfirmed for 48 hours (AWS What's New, 2023-05-10), which only
 * a refresh notices. It says how to confirm it so that only AWS credentials remove it (snsConfirmation.ts). Unknown
 * in the preview of a new subscription, so said by its `up`.
 */
function warnWhilePending(subscription: sns.TopicSubscription, email: string): void {
    pulumi.all([subscription.pendingConfirmation, subscription.topic]).apply(([pending, topicArn]) => {
        if (!pending) return;
        void pulumi.log.warn(
            `${email} had not confirmed its subscription to the alarm topic when Pulumi last read it, and alarms reach nobody until it does: within 48 hours, from the e-mail "AWS Notification - Subscription Confirmation", ${confirmWithCredentials(topicArn)}; then \`pulumi refresh\` ends this warning. SNS deletes a subscription left unconfirmed longer: then \`pulumi up --refresh\` subscribes the address again and sends a new e-mail (npm run release checks SNS itself and refuses to move traffic until one is confirmed)`,
            subscription,
        );
    });
}

/**
 * The go-live runbook's alarms: per function, error rate (errors / invocations) above the threshold, p95
 * duration above the threshold (the API's both only on a period of at least `minRequests` invocations), any throttle, where it has one a /health check failed 3 minutes in a row and, where
 * concurrency is reserved, concurrent executions above `utilizationPercent` of the reservation; for the pipeline, any
 * failed execution; and the health check's watchdog and its unstarted-check alarm, left out of `alarms` (no release
 * gates). All notify one SNS topic, with an optional e-mail subscription.
 */
export function createPipelineAlarms(name: string, args: PipelineAlarmsArgs, parent: pulumi.Resource) {
    const opts = { parent };
    const title = stackTitle(args.environment);
    const key = new kms.Key(
        `${name}-alarms`,
        {
            description: "Encrypts the alarm topic; lets CloudWatch publish to it",
            enableKeyRotation: true,
            deletionWindowInDays: args.isProduction ? KEY_DELETION_DAYS.production : KEY_DELETION_DAYS.other,
            policy: pulumi.output(args.accountId).apply((id) => JSON.stringify(alarmTopicKeyPolicy(id))),
            tags: args.tags,
        },
        opts,
    );
    const topic = new sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.arn, tags: args.tags }, opts);
    if (args.email) {
        const subscription = new sns.TopicSubscription(`${name}-alarms-email`, { topic: topic.arn, protocol: "email", endpoint: args.email }, opts);
        warnWhilePending(subscription, args.email);
        warnWhenNoOneReads(args.email, "aws.alarms.email", subscription);
    }
    const notify: AlarmNotify = { alarmActions: [topic.arn], okActions: [topic.arn], treatMissingData: "notBreaching", tags: args.tags };
    const describe: Describe = (what, logGroups, todo = args.runbook) =>
        pulumi.all(logGroups).apply((groups) => pulumi.interpolate`${what}. Dashboard: ${args.dashboardUrl}${groups.length ? ` Logs: CloudWatch log group ${groups.join(", ")}.` : ""}${todo ? ` ${todo}` : ""}`);
    const alarms: cloudwatch.MetricAlarm[] = [];
    const byFunction: Record<string, cloudwatch.MetricAlarm[]> = {};

    for (const { label, functionName, logGroup, http, reservedConcurrency, healthCheck } of args.functions) {
        const first = alarms.length;
        const dimensions = { FunctionName: functionName, Resource: pulumi.interpolate`${functionName}:${ALIAS_NAME}` };
        const sumOf = (id: string, metricName: string, namespace = "AWS/Lambda") => sumQuery(id, namespace, metricName, dimensions);
        const errorRate = { id: "errorRate", expression: errorRateExpression(http), label: "Error rate (%)" };
        alarms.push(
            new cloudwatch.MetricAlarm(
                `${name}-${label}-error-rate`,
                {
                    alarmDescription: describe(`${title} ${label}: more than ${args.errorRatePercent}% of invocations failed`, [logGroup]),
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: args.errorRatePercent,
                    evaluationPeriods: 1,
                    metricQueries: [
                        sumOf("errors", "Errors"),
                        sumOf("invocations", "Invocations"),
                        ...(http ? [sumOf("serverErrors", SERVER_ERROR_METRIC.name, SERVER_ERROR_METRIC.namespace)] : []),
                        { ...errorRate, returnData: !http },
                        ...(http ? [judgedOnEnoughRequests(errorRate.id, errorRate.label, args.minRequests)] : []),
                    ],
                    ...notify,
                },
                opts,
            ),
            new cloudwatch.MetricAlarm(
                `${name}-${label}-p95-duration`,
                {
                    alarmDescription: describe(`${title} ${label}: p95 duration above ${args.p95DurationMs} ms`, [logGroup]),
                    ...(http
                        ? {
                              metricQueries: [
                                  sumOf("invocations", "Invocations"),
                                  { id: "p95", returnData: false, metric: { namespace: "AWS/Lambda", metricName: "Duration", dimensions, period: PERIOD_SECONDS, stat: "p95" } },
                                  judgedOnEnoughRequests("p95", "p95 duration (ms)", args.minRequests),
                              ],
                          }
                        : { namespace: "AWS/Lambda", metricName: "Duration", dimensions, extendedStatistic: "p95", period: PERIOD_SECONDS }),
                    evaluationPeriods: 1,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: args.p95DurationMs,
                    ...notify,
                },
                opts,
            ),
            new cloudwatch.MetricAlarm(
                `${name}-${label}-throttles`,
                {
                    alarmDescription: describe(`${title} ${label}: invocations are being throttled`, [logGroup]),
                    namespace: "AWS/Lambda",
                    metricName: "Throttles",
                    dimensions,
                    statistic: "Sum",
                    period: PERIOD_SECONDS,
                    evaluationPeriods: 1,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: 0,
                    ...notify,
                },
                opts,
            ),
        );
        if (healthCheck !== undefined) {
            const health = { title, label, healthCheckArn: healthCheck.stateMachineArn };
            alarms.push(healthAlarm(`${name}-${label}-health`, health, notify, describe, [healthCheck.logGroup, logGroup], opts));
            // Not gates of the release: a check that stopped running, or that Scheduler could not start, says nothing
            // of the version being released (the release does not touch the schedule, its role or the state machine),
            // and a rollback would not start it again.
            healthCheckStoppedAlarm(`${name}-${label}-health-stopped`, health, notify, describe, opts);
            healthCheckUnstartedAlarm(`${name}-${label}-health-unstarted`, { title, label, scheduleGroup: healthCheck.scheduleGroup }, notify, describe, opts);
        }
        // A reservation of 0 runs nothing (every request is throttled, which the throttles alarm says): no share of it.
        if (reservedConcurrency !== undefined && reservedConcurrency !== 0) alarms.push(concurrencyAlarm(`${name}-${label}-concurrency`, { title, label, functionName, logGroup, reservedConcurrency, utilizationPercent: args.utilizationPercent }, notify, describe, opts));
        byFunction[label] = alarms.slice(first);
    }
    alarms.push(
        new cloudwatch.MetricAlarm(
            `${name}-failed-executions`,
            {
                alarmDescription: describe(`${title} pipeline: an execution failed`, [args.stateMachineLogGroup]),
                namespace: "AWS/States",
                metricName: "ExecutionsFailed",
                dimensions: { StateMachineArn: args.stateMachineArn },
                statistic: "Sum",
                period: PERIOD_SECONDS,
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                ...notify,
            },
            opts,
        ),
    );
    return { key, topic, alarms, byFunction };
}

interface ConcurrencyAlarmArgs {
    title: string;
    label: string;
    functionName: pulumi.Input<string>;
    logGroup: pulumi.Input<string>;
    reservedConcurrency: pulumi.Input<number>;
    utilizationPercent: number;
}

/**
 * The checklist's "resource use passes 90 %" for a Lambda function: its concurrent executions (Maximum, as Lambda's
 * monitoring docs say to view them) against its reservation, which is where it throttles. The figure and the metric are
 * the release's rollback gate's (release/metrics/cloudWatch.ts), so this alarm and that gate agree. A reservation
 * belongs to the function, not an alias: its executions are counted by FunctionName alone.
 */
function concurrencyAlarm(resourceName: string, args: ConcurrencyAlarmArgs, notify: AlarmNotify, describe: Describe, opts: pulumi.CustomResourceOptions) {
    const reserved = pulumi.output(args.reservedConcurrency);
    return new cloudwatch.MetricAlarm(
        resourceName,
        {
            alarmDescription: describe(pulumi.interpolate`${args.title} ${args.label}: concurrent executions above ${args.utilizationPercent}% of the ${reserved} reserved`, [args.logGroup]),
            namespace: "AWS/Lambda",
            metricName: "ConcurrentExecutions",
            dimensions: { FunctionName: args.functionName },
            statistic: "Maximum",
            period: PERIOD_SECONDS,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: reserved.apply((count) => (count * args.utilizationPercent) / 100),
            ...notify,
        },
        opts,
    );
}

/** The health check's alarms: the stack's title, the function's label, its check's state machine. */
type HealthAlarmArgs = { title: string; label: string; healthCheckArn: pulumi.Input<string> };

/**
 * The runbook's "health fails 3 times": a failed execution of the health check (healthCheck.ts) in each of 3 minutes
 * in a row, one check a minute. A minute with no execution at all (Scheduler did not start one) is no failure, as for
 * every alarm here but the watchdog (notBreaching): an absence would page on metrics that arrive late. healthCheckStoppedAlarm says
 * when the checks stop.
 */
function healthAlarm(resourceName: string, args: HealthAlarmArgs, notify: AlarmNotify, describe: Describe, logGroups: pulumi.Input<string>[], opts: pulumi.CustomResourceOptions) {
    return new cloudwatch.MetricAlarm(
        resourceName,
        {
            alarmDescription: describe(`${args.title} ${args.label}: GET /health failed ${HEALTH_CHECK.failedInARow} minutes in a row`, logGroups),
            namespace: "AWS/States",
            metricName: "ExecutionsFailed",
            dimensions: { StateMachineArn: args.healthCheckArn },
            statistic: "Sum",
            period: HEALTH_CHECK.everySeconds,
            evaluationPeriods: HEALTH_CHECK.failedInARow,
            datapointsToAlarm: HEALTH_CHECK.failedInARow,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            ...notify,
        },
        opts,
    );
}

/** Minutes without a started check before the watchdog says the checks stopped: late metrics are minutes late, not 10. */
const HEALTH_CHECK_STOPPED_MINUTES = 10;

/**
 * The health alarm's watchdog. Scheduler drops a start it cannot make (no retries, no dead-letter queue: a StartExecution
 * refused, throttled, or a schedule disabled or deleted), and then the health alarm, seeing no failed check, stays OK.
 * `ExecutionsStarted` has no data point in a minute without a start, so this alarm treats missing data as missing:
 * 10 minutes or more without one (CloudWatch may look further back when data is missing) take it to INSUFFICIENT_DATA,
 * which notifies the topic. It is created in INSUFFICIENT_DATA and goes OK with the first checks, so a new stack is not
 * paged for its first minutes, and a schedule that never started a check since its `up` is not noticed by it:
 * healthCheckUnstartedAlarm says when Scheduler tries to start one and fails, from the first minute.
 */
function healthCheckStoppedAlarm(resourceName: string, args: HealthAlarmArgs, notify: AlarmNotify, describe: Describe, opts: pulumi.CustomResourceOptions) {
    return new cloudwatch.MetricAlarm(
        resourceName,
        {
            alarmDescription: describe(`${args.title} ${args.label}: the /health check has not run for ${HEALTH_CHECK_STOPPED_MINUTES} minutes (its schedule is disabled, deleted or refused), so its health alarm cannot fire`, [], HEALTH_CHECK_RUNBOOK),
            namespace: "AWS/States",
            metricName: "ExecutionsStarted",
            dimensions: { StateMachineArn: args.healthCheckArn },
            statistic: "Sum",
            period: HEALTH_CHECK.everySeconds,
            evaluationPeriods: HEALTH_CHECK_STOPPED_MINUTES,
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            ...notify,
            treatMissingData: "missing",
            insufficientDataActions: notify.alarmActions,
        },
        opts,
    );
}

/**
 * The query an HTTP function's error-rate and p95 alarms return: the query `valueId`, judged only on a period with at
 * least `minRequests` invocations (requestFloor.ts; the health check's 5 in 5 minutes are among them). The worker's
 * alarms return their value as it is: its invocations are the pipeline's own batches, and each of its errors is a batch
 * that failed, whatever the count.
 */
function judgedOnEnoughRequests(valueId: string, label: string, minRequests: number) {
    return { id: "judged", expression: withRequestFloor(valueId, "invocations", minRequests), label: `${label} on at least ${minRequests} invocations`, returnData: true };
}

/** A metric query, not returned, for a metric alarm's expression: the metric's sum over PERIOD_SECONDS. */
function sumQuery(id: string, namespace: string, metricName: string, dimensions: Record<string, pulumi.Input<string>>) {
    return { id, returnData: false, metric: { namespace, metricName, dimensions, period: PERIOD_SECONDS, stat: "Sum" } };
}

/** The unstarted-check alarm: the stack's title, the function's label, the health check's schedule group. */
type HealthUnstartedAlarmArgs = { title: string; label: string; scheduleGroup: pulumi.Input<string> };

/**
 * Scheduler's own metrics (namespace AWS/Scheduler, dimension ScheduleGroup: the health check's schedule has a group
 * of its own, healthCheck.ts) for the starts it tried and could not make (EventBridge Scheduler User Guide,
 * "Monitoring Amazon EventBridge Scheduler with Amazon CloudWatch"): TargetErrorCount, the target API (StartExecution)
 * answered an exception (refused, the state machine missing); TargetErrorThrottledCount, it throttled the call;
 * InvocationDroppedCount, Scheduler gave the start up once its retry policy was exhausted, which with no retries is
 * every failed start (a role it could not assume too: the guide does not say which metric that is, and this one counts
 * any start given up). Their sum in 5 minutes above 0 pages, from the first minute after `up`, where the watchdog
 * (healthCheckStoppedAlarm) waits for a first check that never comes. Each is emitted when its event happens, so a
 * period without data is no failure (notBreaching); FILL makes a period with one of them a sum of all three.
 */
function healthCheckUnstartedAlarm(resourceName: string, args: HealthUnstartedAlarmArgs, notify: AlarmNotify, describe: Describe, opts: pulumi.CustomResourceOptions) {
    const sumOf = (id: string, metricName: string) => sumQuery(id, "AWS/Scheduler", metricName, { ScheduleGroup: args.scheduleGroup });
    return new cloudwatch.MetricAlarm(
        resourceName,
        {
            alarmDescription: describe(`${args.title} ${args.label}: Scheduler could not start the /health check (StartExecution refused or throttled, its role or state machine missing), so its health alarm cannot fire`, [], HEALTH_CHECK_RUNBOOK),
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: 1,
            metricQueries: [
                sumOf("targetErrors", "TargetErrorCount"),
                sumOf("targetThrottled", "TargetErrorThrottledCount"),
                sumOf("dropped", "InvocationDroppedCount"),
                { id: "unstarted", expression: "FILL(targetErrors, 0) + FILL(targetThrottled, 0) + FILL(dropped, 0)", label: "Checks Scheduler could not start", returnData: true },
            ],
            ...notify,
        },
        opts,
    );
}
