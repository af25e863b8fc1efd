import * as pulumi from "@pulumi/pulumi";

/** The log levels the reference service knows. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** The service settings every deployment of the image receives as environment variables. */
export interface ServiceSettings {
    /** Entries the service's existence cache (LRU with TTL) holds at most (CACHE_MAX_ENTRIES). */
    cacheMaxEntries: number;
    /** Seconds a name found stored stays in the cache (CACHE_TTL_SECONDS); one found missing stays 5 s at most. */
    cacheTtlSeconds: number;
    /** Names per batch in bulk existence checks (BATCH_SIZE). */
    batchSize: number;
    /** Days objects, results and logs are kept: the buckets' lifecycle rules and the log groups' retention (RETENTION_DAYS). */
    retentionDays: number;
    /** Turns on the admin endpoints and creates their bearer token (the component's secret `adminToken` output) (ADMIN_FEATURES_ENABLED). */
    adminFeatures: boolean;
    /** The service's debug mode (DEBUG). */
    debug: boolean;
    /** One of `debug`, `info`, `warn`, `error` (LOG_LEVEL). */
    logLevel: string;
    /** Deadlines and retries of the service's object-store calls; unset: the service's defaults (2 s, 3 attempts, 6 s). */
    storage?: StorageDeadlines;
}

/** How long the service gives its object store before it answers 503 with Retry-After. */
export interface StorageDeadlines {
    /** Milliseconds one storage request may take (STORAGE_ATTEMPT_TIMEOUT_MS). */
    attemptTimeoutMs?: number;
    /** Attempts per storage call, the first included, with the SDK's standard retry strategy (STORAGE_MAX_ATTEMPTS). */
    maxAttempts?: number;
    /** Milliseconds all the storage calls of one request may take together (STORAGE_DEADLINE_MS). */
    deadlineMs?: number;
}

/** Where the service keeps its objects on one cloud. */
export interface ServiceStorage {
    backend: "s3" | "gcs";
    bucketName: pulumi.Input<string>;
    objectPrefix: string;
}

/** The environment variables the reference service reads (app/README.md), from the stack's settings. */
export function serviceEnvironment(service: ServiceSettings, storage: ServiceStorage): Record<string, pulumi.Input<string>> {
    return {
        STORAGE_BACKEND: storage.backend,
        BUCKET_NAME: storage.bucketName,
        OBJECT_PREFIX: storage.objectPrefix,
        CACHE_MAX_ENTRIES: String(service.cacheMaxEntries),
        CACHE_TTL_SECONDS: String(service.cacheTtlSeconds),
        BATCH_SIZE: String(service.batchSize),
        RETENTION_DAYS: String(service.retentionDays),
        ADMIN_FEATURES_ENABLED: String(service.adminFeatures),
        DEBUG: String(service.debug),
        LOG_LEVEL: service.logLevel,
        ...storageEnvironment(service.storage),
    };
}

function storageEnvironment(storage: StorageDeadlines = {}): Record<string, string> {
    const env: Record<string, string> = {};
    if (storage.attemptTimeoutMs !== undefined) env.STORAGE_ATTEMPT_TIMEOUT_MS = String(storage.attemptTimeoutMs);
    if (storage.maxAttempts !== undefined) env.STORAGE_MAX_ATTEMPTS = String(storage.maxAttempts);
    if (storage.deadlineMs !== undefined) env.STORAGE_DEADLINE_MS = String(storage.deadlineMs);
    return env;
}

/** What the pipeline worker reads: where the objects are, how long to give them, and how to log. No cache, admin or HTTP settings. */
export function workerEnvironment(service: Pick<ServiceSettings, "debug" | "logLevel" | "storage">, storage: ServiceStorage): Record<string, pulumi.Input<string>> {
    return {
        STORAGE_BACKEND: storage.backend,
        BUCKET_NAME: storage.bucketName,
        OBJECT_PREFIX: storage.objectPrefix,
        DEBUG: String(service.debug),
        LOG_LEVEL: service.logLevel,
        ...storageEnvironment(service.storage),
    };
}
