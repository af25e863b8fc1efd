/**
 * How many billed monitoring units the program creates for a stack's settings. These follow the components and
 * are checked against the offline plan's resources for every stack file (tests/review/cost.spec.ts), so a new
 * alarm that is not counted here fails a spec.
 */
import { StackSettings } from "../../config";

/** The Lambda functions the pipeline creates (components/aws/lambdaEcrPipeline.ts): the API and the worker. */
export const LAMBDA_FUNCTIONS = 2;

/**
 * CloudWatch bills an alarm per metric it reads (metric-math alarms per metric in the math). components/aws/alarms.ts:
 * per function an error-rate alarm (Errors and Invocations, and for the API its own ServerErrors: 3 and 2), a p95
 * duration alarm (the API's on Duration and Invocations, its request floor: 2; the worker's 1) and a throttles alarm (1); the API's health alarm and its watchdog (1 each, on healthCheck.ts's state
 * machine), the checks Scheduler could not start (3: its schedule group's TargetErrorCount, TargetErrorThrottledCount
 * and InvocationDroppedCount) and, where aws.reservedConcurrency is set, its concurrency alarm (1); one failed-executions alarm for the
 * state machine. (ServerErrors, a custom metric, is billed only for the hours a 5xx was answered: none in the traffic
 * assumption.)
 */
export function cloudWatchAlarmMetrics(settings: Pick<StackSettings, "aws">): number {
    const errorRateMetrics = 3 + 2;
    const p95Metrics = 2 + 1;
    const concurrency = settings.aws.reservedConcurrency ? 1 : 0;
    const health = 1 + 1 + 3;
    return errorRateMetrics + p95Metrics + LAMBDA_FUNCTIONS * 1 + health + concurrency + 1;
}

/**
 * Cloud Monitoring bills alerting per condition. components/gcp/monitoring.ts: a 5xx-ratio and a p95-latency policy
 * of two conditions each (the rate or percentile, and the request floor), three resource-use policies (utilizationAlerts.ts: CPU, memory, instances) of one each, and
 * an uptime-check policy (one condition) while ingress is "all" (cloudRunGcsService.ts).
 */
export function alertPolicyConditions(settings: Pick<StackSettings, "gcp">): number {
    return 2 * 2 + 3 + (settings.gcp.ingress === "all" ? 1 : 0);
}

/**
 * State transitions of one pipeline execution with n keys (components/aws/stateMachineDefinition.ts): the worker's
 * wake-up, the Map, one Task per key, the Succeed state.
 */
export function stateTransitionsPerRun(keys: number): number {
    return 1 + 1 + keys + 1;
}

/** Worker invocations of one run with n keys: one per key, and the wake-up call before them (answered in a millisecond or so, its compute left out). */
export function workerInvocationsPerRun(keys: number): number {
    return keys + 1;
}
