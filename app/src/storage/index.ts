import { Settings } from "../settings";
import { MemoryStore } from "./memoryStore";
import { ObjectStore } from "./objectStore";
import { storageTimeouts } from "./storageTimeouts";

export { GuardedStore } from "./guardedStore";
export { ObjectStore, StoredObject } from "./objectStore";
export { StorageError } from "./storageError";
export { MemoryStore };

/** The store for the configured backend. Cloud SDKs load only when their backend is used (cold start). */
export function createStore(
    settings: Pick<Settings, "STORAGE_BACKEND" | "BUCKET_NAME" | "OBJECT_PREFIX" | "STORAGE_ATTEMPT_TIMEOUT_MS" | "STORAGE_MAX_ATTEMPTS" | "STORAGE_DEADLINE_MS" | "BATCH_SIZE">,
): ObjectStore {
    switch (settings.STORAGE_BACKEND) {
        case "memory":
            return new MemoryStore();
        case "s3": {
            const { S3Store, s3ClientConfig } = require("./s3Store") as typeof import("./s3Store");
            const t = storageTimeouts(settings);
            return new S3Store(settings.BUCKET_NAME!, settings.OBJECT_PREFIX, s3ClientConfig(t, settings.BATCH_SIZE), t);
        }
        case "gcs": {
            const { GcsStore, gcsOptions } = require("./gcsStore") as typeof import("./gcsStore");
            const t = storageTimeouts(settings);
            return new GcsStore(settings.BUCKET_NAME!, settings.OBJECT_PREFIX, gcsOptions(t), t);
        }
    }
}
