/**
 * What a storage call failed with, as the routes need to know it: `transient` failures (no answer, a timeout,
 * a 5xx, throttling, the request's deadline) are a 503 with Retry-After; the others (a 4xx such as a real
 * AccessDenied) are a bug or a misconfiguration. The SDK's own message stays in the logs, never in a response.
 */
export class StorageError extends Error {
    constructor(
        message: string,
        readonly transient: boolean,
        options?: { cause?: unknown },
    ) {
        super(message, options);
        this.name = "StorageError";
    }
}

/** The HTTP status a storage SDK error carries: AWS SDK v3 `$metadata`, GCS `ApiError.code`, gaxios `status`. */
export function storageStatus(err: unknown): number | undefined {
    const e = err as { $metadata?: { httpStatusCode?: number }; code?: unknown; status?: unknown; response?: { status?: unknown } };
    const candidates = [e?.$metadata?.httpStatusCode, e?.code, e?.status, e?.response?.status];
    return candidates.find((c): c is number => typeof c === "number");
}

/**
 * Permanent only when storage answered with a 4xx other than 408 and 429: then retrying cannot help. Anything
 * else (no answer at all, a reset, a timeout, a 5xx, a body that broke off) may succeed a moment later.
 */
export function isTransient(err: unknown): boolean {
    const status = storageStatus(err);
    if (status === undefined || status < 400 || status >= 500) return true;
    return status === 408 || status === 429;
}

export function toStorageError(what: string, err: unknown): StorageError {
    if (err instanceof StorageError) return err;
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return new StorageError(`${what}: ${reason}`, isTransient(err), { cause: err });
}
