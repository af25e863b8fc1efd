import * as pulumi from "@pulumi/pulumi";

/** The log levels the reference service knows. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** The service settings every deployment of the image receives as environment variables. */
export interface ServiceSettings {
    /** Entries the service's existence cache (LRU with TTL) holds at most (CACHE_MAX_ENTRIES). */
    cacheMaxEntries: number;
    /** Seconds a cache entry lives (CACHE_TTL_SECONDS). */
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
    };
}

/** What the pipeline worker reads: where the objects are, and how to log. No cache, admin or HTTP settings. */
export function workerEnvironment(service: Pick<ServiceSettings, "debug" | "logLevel">, storage: ServiceStorage): Record<string, pulumi.Input<string>> {
    return {
        STORAGE_BACKEND: storage.backend,
        BUCKET_NAME: storage.bucketName,
        OBJECT_PREFIX: storage.objectPrefix,
        DEBUG: String(service.debug),
        LOG_LEVEL: service.logLevel,
    };
}
