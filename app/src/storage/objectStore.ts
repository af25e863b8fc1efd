/** What the service needs of a bucket; one implementation per cloud, plus one in memory. */
export interface StoredObject {
    body: Uint8Array;
    contentType: string;
}

export interface ObjectStore {
    readonly backend: "memory" | "s3" | "gcs";
    /** Writes unless the key exists; true when written. Atomic on every backend (no lost uploads on a race). */
    putIfAbsent(key: string, body: Uint8Array, contentType: string): Promise<boolean>;
    /** Writes, replacing whatever is there (results, which are idempotent). */
    put(key: string, body: Uint8Array, contentType: string): Promise<void>;
    get(key: string): Promise<StoredObject | undefined>;
    exists(key: string): Promise<boolean>;
    /** Keys under a prefix, sorted, at most `limit`. */
    list(prefix: string, limit: number): Promise<string[]>;
    /** Throws when the bucket cannot be reached; asks only what the runtime roles allow (a listing under the prefix). */
    ping(): Promise<void>;
}
