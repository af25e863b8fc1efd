/** Runs `use` with a client made for it, then destroys the client: its open sockets would keep the process alive. */
export async function withClient<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
    try {
        return await use(client);
    } finally {
        client.destroy();
    }
}

/**
 * How long one attempt of the program's own AWS reads (ECR, Lambda, KMS: the checks a preview makes before anything is
 * registered) may take. Without it a call nobody answers holds the preview: the SDK's HTTP handler has no request
 * timeout unless given one (@smithy/node-http-handler: DEFAULT_REQUEST_TIMEOUT = 0), only the clients' default socket
 * inactivity timeout of 300 s (@aws-sdk/client-ecr runtimeConfig: getDefaultSocketTimeout(requestHandler, 300_000)),
 * and its standard retry mode retries a TimeoutError: up to 3 attempts of 5 minutes each. The release's reads are
 * bounded alike (release/awsReadAttempts.ts). A test may shorten it.
 */
export const AWS_CALL_ATTEMPT = { timeoutMs: 15_000 };

/** An AWS SDK client's options that bound each attempt by `timeoutMs` (AWS_CALL_ATTEMPT's unless given); the SDK's retries stay as they are. */
export function boundedAttempt(timeoutMs = AWS_CALL_ATTEMPT.timeoutMs) {
    return { requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true } };
}
