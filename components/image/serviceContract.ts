import * as pulumi from "@pulumi/pulumi";

/** The service settings every deployment of the image receives as environment variables. */
export interface ServiceSettingsArgs {
    cacheMaxEntries: number;
    cacheTtlSeconds: number;
    batchSize: number;
    retentionDays: number;
    adminFeatures: boolean;
    debug: boolean;
    logLevel: "debug" | "info" | "warn" | "error";
}

/** Where the service keeps its objects on one cloud. */
export interface ServiceStorage {
    backend: "s3" | "gcs";
    bucketName: pulumi.Input<string>;
    objectPrefix: string;
}

/** The environment variables the reference service reads (app/README.md), from the stack's settings. */
export function serviceEnvironment(service: ServiceSettingsArgs, storage: ServiceStorage): Record<string, pulumi.Input<string>> {
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
export function workerEnvironment(service: Pick<ServiceSettingsArgs, "debug" | "logLevel">, storage: ServiceStorage): Record<string, pulumi.Input<string>> {
    return {
        STORAGE_BACKEND: storage.backend,
        BUCKET_NAME: storage.bucketName,
        OBJECT_PREFIX: storage.objectPrefix,
        DEBUG: String(service.debug),
        LOG_LEVEL: service.logLevel,
    };
}
