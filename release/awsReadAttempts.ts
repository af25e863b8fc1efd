/**
 * How long one attempt of the release's AWS reads (CloudWatch's metrics and alarms, SNS's subscriptions) may take, and
 * how many attempts: without a request timeout the SDK's HTTP handler waits on an unanswered call for ever
 * (@smithy/node-http-handler's default requestTimeout is 0, and without throwOnRequestTimeout it only logs), and the
 * release would wait as long.
 */
export const AWS_READ_ATTEMPTS = { timeoutMs: 15_000, maxAttempts: 2 };

/** An AWS SDK client's options that bound each attempt so; `attemptTimeoutMs`: instead of AWS_READ_ATTEMPTS' (a test's). */
export function boundedAttempts(attemptTimeoutMs = AWS_READ_ATTEMPTS.timeoutMs) {
    return {
        maxAttempts: AWS_READ_ATTEMPTS.maxAttempts,
        requestHandler: { connectionTimeout: attemptTimeoutMs, requestTimeout: attemptTimeoutMs, throwOnRequestTimeout: true },
    };
}

/** What an AWS SDK call that failed answered, for the release's messages: the error's name and message. */
export function awsAnswer(err: unknown): string {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
