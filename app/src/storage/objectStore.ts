import { ReadAdmission } from "../readAdmission";

/**
 * What the service needs of a bucket; one implementation per cloud, plus one in memory. `signal` is the
 * request's storage deadline: an adapter whose SDK can cancel passes it on (S3); the store guard
 * (guardedStore.ts) answers at the deadline in any case.
 */
export interface StoredObject {
    body: Uint8Array;
    contentType: string;
}

export interface ObjectStore {
    readonly backend: "memory" | "s3" | "gcs";
    /** Writes unless the key exists; true when written. Atomic on every backend (no lost uploads on a race). */
    putIfAbsent(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<boolean>;
    /** Writes, replacing whatever is there (results, which are idempotent). */
    put(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void>;
    /** `admit` is asked before the object's bytes are held; when it refuses, the read throws ReadRefused. */
    get(key: string, signal?: AbortSignal, admit?: ReadAdmission): Promise<StoredObject | undefined>;
    /** The object's content type from its metadata, without its bytes; undefined when there is no such object. */
    contentTypeOf(key: string, signal?: AbortSignal): Promise<string | undefined>;
    exists(key: string, signal?: AbortSignal): Promise<boolean>;
    /** Keys under a prefix, the first `limit` in the order inKeyOrder gives. */
    list(prefix: string, limit: number, signal?: AbortSignal): Promise<string[]>;
    /** Throws when the bucket cannot be reached; asks only what the runtime roles allow (a listing under the prefix). */
    ping(signal?: AbortSignal): Promise<void>;
}

/**
 * The object metadata key a conditional write's own id is written under: a retry that finds the key taken tells its
 * own first attempt (stored, its answer lost) from another upload's write.
 */
export const UPLOAD_ID_KEY = "upload-id";

/**
 * `keys` in the order S3 and GCS list them: by their UTF-8 bytes ("List results are always returned in UTF-8 binary order",
 * S3 User Guide, "Listing object keys"). A JavaScript sort compares UTF-16 units, which differs for a character from
 * U+E000 to U+FFFF against one above U+FFFF (`ｚ` before `😀` in UTF-8, after it in UTF-16).
 * Each key is encoded once, not twice per comparison (a listing sorts up to 1,000 keys).
 */
export function inKeyOrder(keys: string[]): string[] {
    return keys
        .map((key) => [Buffer.from(key), key] as const)
        .sort(([a], [b]) => Buffer.compare(a, b))
        .map(([, key]) => key);
}
