import { StorageTimeouts } from "./storage/storageTimeouts";

/**
 * Deadlines and retries from the AWS SDK itself, for every AWS client of the service (S3, Step Functions): each
 * attempt has `attemptTimeoutMs` to connect, to get its answer's headers (`throwOnRequestTimeout`: without it
 * the SDK only logs a warning) and between two reads or writes on the socket; the standard retry strategy
 * (exponential backoff with jitter, and a retry quota that stops retrying when most calls fail) makes at most
 * `maxAttempts` attempts.
 */
export function awsClientConfig(t: StorageTimeouts) {
    return {
        maxAttempts: t.maxAttempts,
        retryMode: "standard",
        requestHandler: { connectionTimeout: t.attemptTimeoutMs, requestTimeout: t.attemptTimeoutMs, socketTimeout: t.attemptTimeoutMs, throwOnRequestTimeout: true },
    };
}
