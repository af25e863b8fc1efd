import * as iam from "@pulumi/aws/iam";
import * as scheduler from "@pulumi/aws/scheduler";
import * as sfn from "@pulumi/aws/sfn";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "./args";
import { HEALTH_CHECK } from "./healthCheckCadence";
import { functionUrlEventBase } from "./functionUrlEventBase";
import { healthCheckPolicy, healthSchedulePolicy } from "./iamPolicies";
import { serviceLogGroup } from "./logGroup";
import { createServiceRole } from "./serviceRole";

/** The caller the API sees: no IAM caller, so the per-client limit would key on this address, but /health is not limited. */
const HEALTH_CHECK_CALLER = { domainPrefix: "health-check", userAgent: "multicloud-health-check", sourceIp: "127.0.0.1" };

/**
 * An Express state machine (a check is one short Lambda call: Express is billed per request and duration, not per
 * transition) that invokes the alias with the Function URL event of `GET /health` and fails unless the answer is 200.
 * A function error, a throttle (Lambda.TooManyRequestsException) or no answer within 10 s (States.Timeout) fails the
 * task, and with it the execution: each is a failed check. The alias, not the URL: the URL takes only SigV4-signed
 * requests in prod (AWS_IAM), which no scheduler or Route 53 health check sends; what the URL adds in front of the
 * alias is AWS's. The request has no id or time of its own (the state machine has no clock to write Lambda's
 * format with); the service reads neither.
 */
function healthCheckDefinition(apiAliasArn: string, region: string) {
    return {
        Comment: "GET /health of the API's live alias, as its Function URL would send it; fails unless the answer is 200",
        // The execution's own bound, past the task's: the task's timeout is what fails a slow check.
        TimeoutSeconds: 3 * HEALTH_CHECK.answerWithinSeconds,
        StartAt: "GetHealth",
        States: {
            GetHealth: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: apiAliasArn, Payload: functionUrlEventBase("GET", "/health", region, HEALTH_CHECK_CALLER) },
                TimeoutSeconds: HEALTH_CHECK.answerWithinSeconds,
                ResultSelector: { "statusCode.$": "$.Payload.statusCode" },
                Next: "AnsweredOk",
            },
            AnsweredOk: { Type: "Choice", Choices: [{ Variable: "$.statusCode", NumericEquals: 200, Next: "Healthy" }], Default: "Unhealthy" },
            Healthy: { Type: "Succeed" },
            Unhealthy: { Type: "Fail", Error: "HealthCheckFailed", Cause: "GET /health did not answer 200" },
        },
    };
}

export interface HealthCheckArgs {
    apiAliasArn: pulumi.Output<string>;
    region: string;
    accountId: pulumi.Output<string>;
    retentionDays: number;
    /** CloudWatch Logs' deletion protection on the state machine's log group (logGroup.ts). */
    logDeletionProtection: boolean;
    permissionsBoundary?: string;
    tags: Tags;
}

/**
 * The state machine, the schedule that starts it every minute and the schedule's own group; the alarms on its failed
 * executions and on the starts Scheduler could not make are alarms.ts's.
 */
export function createHealthCheck(name: string, args: HealthCheckArgs, parent: pulumi.Resource) {
    const opts = { parent };
    const role = (suffix: string, service: "states.amazonaws.com" | "scheduler.amazonaws.com") => createServiceRole(`${name}-${suffix}`, service, args, opts);
    const logGroup = serviceLogGroup(`${name}-health`, `/aws/vendedlogs/states/${name}-health-`, { retentionDays: args.retentionDays, deletionProtection: args.logDeletionProtection, tags: args.tags }, opts);
    const machineRole = role("health", "states.amazonaws.com");
    const machinePolicy = new iam.RolePolicy(`${name}-health`, { role: machineRole.id, policy: args.apiAliasArn.apply((arn) => JSON.stringify(healthCheckPolicy({ apiAliasArn: arn }))) }, opts);
    const stateMachine = new sfn.StateMachine(
        `${name}-health`,
        {
            type: "EXPRESS",
            roleArn: machineRole.arn,
            definition: args.apiAliasArn.apply((arn) => JSON.stringify(healthCheckDefinition(arn, args.region))),
            // Failed checks only: a log line a minute of passing ones would be most of the group.
            loggingConfiguration: { logDestination: pulumi.interpolate`${logGroup.arn}:*`, includeExecutionData: true, level: "ERROR" },
            tracingConfiguration: { enabled: true },
            tags: args.tags,
        },
        { parent, dependsOn: [machinePolicy] },
    );
    // Named no longer than the pipeline's role (`<name>-pipeline`), so the component name keeps its bound (componentNames.ts).
    const scheduleRole = role("schedule", "scheduler.amazonaws.com");
    const schedulePolicy = new iam.RolePolicy(
        `${name}-schedule`,
        { role: scheduleRole.id, policy: stateMachine.arn.apply((arn) => JSON.stringify(healthSchedulePolicy({ stateMachineArn: arn }))) },
        opts,
    );
    // Its own group: Scheduler's metrics are per group (AWS/Scheduler, dimension ScheduleGroup), and in the account's
    // `default` group this stack's failed starts would mix with every other stack's (dev, review stacks, prod). The
    // group is taggable, its schedules are not. Autonamed `<name>-health-<7>`, within Scheduler's 64. A stack whose
    // schedule was in `default` replaces it (terraform-provider-aws scheduler/schedule.go: group_name ForceNew), the new
    // one first (autonamed, so the names do not meet): at most a minute's check is started twice or not at all.
    const group = new scheduler.ScheduleGroup(`${name}-health`, { tags: args.tags }, opts);
    new scheduler.Schedule(
        `${name}-health`,
        {
            description: "Starts the API's /health check every minute",
            groupName: group.name,
            scheduleExpression: `rate(${HEALTH_CHECK.everySeconds / 60} minute)`,
            flexibleTimeWindow: { mode: "OFF" },
            // A start Scheduler could not make is not made later: the next minute's check is the next sample.
            target: { arn: stateMachine.arn, roleArn: scheduleRole.arn, retryPolicy: { maximumRetryAttempts: 0 } },
        },
        { parent, dependsOn: [schedulePolicy] },
    );
    return { stateMachine, logGroup, group };
}
