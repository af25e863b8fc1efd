import { Settings } from "../settings";
import { MemoryStore } from "./memoryStore";
import { ObjectStore } from "./objectStore";

export { ObjectStore, StoredObject } from "./objectStore";
export { MemoryStore };

/** The store for the configured backend. Cloud SDKs load only when their backend is used (cold start). */
export function createStore(settings: Pick<Settings, "STORAGE_BACKEND" | "BUCKET_NAME" | "OBJECT_PREFIX">): ObjectStore {
    switch (settings.STORAGE_BACKEND) {
        case "memory":
            return new MemoryStore();
        case "s3": {
            const { S3Store } = require("./s3Store") as typeof import("./s3Store");
            return new S3Store(settings.BUCKET_NAME!, settings.OBJECT_PREFIX);
        }
        case "gcs": {
            const { GcsStore } = require("./gcsStore") as typeof import("./gcsStore");
            return new GcsStore(settings.BUCKET_NAME!, settings.OBJECT_PREFIX);
        }
    }
}
