import { WORKER_ERRORS } from "./workerErrorNames";

// `name` is set explicitly: the bundle is minified, so the class names themselves do not survive.

/** Permanent: retrying cannot help (see WORKER_ERRORS). */
export class KeyRejected extends Error {
    constructor(message: string) {
        super(message);
        this.name = WORKER_ERRORS.keyRejected;
    }
}

/** Permanent: the store refused the request (a real AccessDenied); retrying cannot help. */
export class StorageRefused extends Error {
    constructor(what: string, cause: unknown) {
        super(`storage refused ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        this.name = WORKER_ERRORS.storageRefused;
    }
}

/** Transient: the store failed; the state machine retries. */
export class StorageUnavailable extends Error {
    constructor(what: string, cause: unknown) {
        super(`storage unavailable while ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        this.name = WORKER_ERRORS.storageUnavailable;
    }
}
