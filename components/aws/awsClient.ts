import { CALL_ATTEMPT } from "../httpAttempt";

/** Runs `use` with a client made for it, then destroys the client: its open sockets would keep the process alive. */
export async function withClient<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
    try {
        return await use(client);
    } finally {
        client.destroy();
    }
}

/**
 * An AWS SDK client's options that bound each attempt by `timeoutMs` (CALL_ATTEMPT's unless given: ../httpAttempt.ts):
 * to connect, to get the answer's headers (requestTimeout, which the handler clears once they arrive) and between two
 * reads of its body (socketTimeout), as the service's own clients do (app/src/awsClientConfig.ts). The SDK's retries
 * stay as they are.
 */
export function boundedAttempt(timeoutMs = CALL_ATTEMPT.timeoutMs) {
    return { requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, socketTimeout: timeoutMs, throwOnRequestTimeout: true } };
}

/**
 * Whether an AWS SDK call's error is the service's answer, which the SDK's error carries the HTTP status of
 * ($metadata.httpStatusCode), and not a failure to get one: a connection refused or an attempt past its bound has
 * $metadata with the attempts alone (@aws-sdk 3.1164, tried against a closed port and a silent server: ECONNREFUSED,
 * TimeoutError).
 */
export function isAwsAnswer(err: unknown): boolean {
    return typeof (err as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode === "number";
}
