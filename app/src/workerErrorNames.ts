/**
 * The names of the errors the pipeline worker throws. Lambda reports `error.name` as the errorType, and the
 * state machine matches these strings in its Retry/Catch `ErrorEquals`, so the infrastructure imports them.
 */
export const WORKER_ERRORS = {
    /** Permanent: an invalid key name, a key outside the input prefix, no such object. Never retried. */
    keyRejected: "KeyRejected",
    /** Transient: a storage/SDK error a retry may get past (a timeout, a 5xx, throttling). Retried by the state machine. */
    storageUnavailable: "StorageUnavailable",
    /** Permanent: the store refused (a 4xx such as a real AccessDenied), which no retry gets past. Never retried. */
    storageRefused: "StorageRefused",
} as const;
