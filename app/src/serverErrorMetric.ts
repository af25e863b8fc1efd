/**
 * Lambda counts in `Errors` only invocations that failed (a thrown error, a timeout); an answer of 500 or 503 that the
 * service returns is a successful invocation there (Lambda developer guide, "Types of metrics for Lambda
 * functions"). So the API writes one CloudWatch embedded-metric-format line for each 5xx it answers, a count under
 * the dimensions Lambda gives its own metrics, and the alarms and the release add it to `Errors`.
 */

/** Shared with the alarms, the dashboard and the release (components/aws/serverErrorMetric.ts; a test compares them). */
export const SERVER_ERROR_METRIC = { namespace: "multicloud-service", name: "ServerErrors" } as const;

/** Lambda's own dimension sets of an alias invocation: the alias, and the alias with the version that ran. */
const DIMENSION_SETS = [
    ["FunctionName", "Resource"],
    ["FunctionName", "Resource", "ExecutedVersion"],
];

/**
 * The members a log line needs to count one 5xx answer, or undefined outside Lambda. CloudWatch Logs extracts the
 * metric from a line whose `_aws` names it (CloudWatch "Embedded metric format specification": Timestamp in epoch
 * milliseconds, each dimension and metric a member of the same object); written with `log.error`, whose `level` and
 * `timestamp` keep Lambda's log-level filtering from dropping the line.
 */
export function serverErrorMetric(statusCode: number, invokedFunctionArn: string | undefined, env: NodeJS.ProcessEnv, now = Date.now()): Record<string, unknown> | undefined {
    if (statusCode < 500) return undefined;
    const functionName = env.AWS_LAMBDA_FUNCTION_NAME;
    const version = env.AWS_LAMBDA_FUNCTION_VERSION;
    if (!functionName || !version || !invokedFunctionArn) return undefined;
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]; unqualified is $LATEST.
    const qualifier = invokedFunctionArn.split(":")[7] ?? "$LATEST";
    return {
        _aws: {
            Timestamp: now,
            CloudWatchMetrics: [{ Namespace: SERVER_ERROR_METRIC.namespace, Dimensions: DIMENSION_SETS, Metrics: [{ Name: SERVER_ERROR_METRIC.name, Unit: "Count" }] }],
        },
        FunctionName: functionName,
        Resource: `${functionName}:${qualifier}`,
        ExecutedVersion: version,
        [SERVER_ERROR_METRIC.name]: 1,
        statusCode,
    };
}
