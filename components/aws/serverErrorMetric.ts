/**
 * The API's count of the 5xx answers it returns, which Lambda's `Errors` leaves out (an answer the function returns is
 * a successful invocation): the service writes it as CloudWatch embedded-metric lines (app/src/serverErrorMetric.ts,
 * the same names; a test compares them) under Lambda's dimensions of an alias invocation, FunctionName and Resource,
 * and with ExecutedVersion too.
 */
export const SERVER_ERROR_METRIC = { namespace: "multicloud-service", name: "ServerErrors" } as const;

/**
 * A function's error rate in percent from the metric ids `errors` and `invocations`, and for the API `serverErrors`
 * (absent in a period without a 5xx, hence FILL): the alarm's and the dashboard's one expression (the release adds
 * the same sums itself, release/metrics/cloudWatch.ts).
 */
export function errorRateExpression(countsServerErrors: boolean): string {
    return countsServerErrors ? "IF(invocations > 0, 100 * (errors + FILL(serverErrors, 0)) / invocations, 0)" : "IF(invocations > 0, 100 * errors / invocations, 0)";
}
