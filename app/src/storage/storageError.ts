import { isRetryableByTrait, isThrottlingError, isTransientError } from "@smithy/core/retry";
import { DependencyFailure } from "../dependencyFailure";

/** What a storage call failed with, as the routes need to know it (see DependencyFailure). */
export class StorageError extends DependencyFailure {
    readonly answers = { logged: "storage call failed", unavailable: "storage unavailable, retry later", refused: "storage refused the request" };
    constructor(message: string, transient: boolean, options?: { cause?: unknown }) {
        super(message, transient, options);
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
 * Transient when the AWS SDK's own classification says a retry may succeed (throttling such as 503 SlowDown,
 * a 4xx it retries such as 400 RequestTimeout, resets, timeouts, 5xx), or when there was no answer at all,
 * a 5xx, a 408 or a 429 (GCS). Permanent only for another 4xx: then retrying cannot help.
 */
export function isTransient(err: unknown): boolean {
    if (typeof err === "object" && err !== null) {
        const e = err as Parameters<typeof isTransientError>[0];
        if (isRetryableByTrait(e) || isThrottlingError(e) || isTransientError(e)) return true;
    }
    const status = storageStatus(err);
    if (status === undefined || status < 400 || status >= 500) return true;
    return status === 408 || status === 429;
}
