import { dependencyCall } from "../dependencyCall";
import { ObjectStore, StoredObject } from "./objectStore";
import { ReadAdmission, ReadRefused } from "../readAdmission";
import { StorageError } from "./storageError";

/**
 * Every call to the bucket goes through here: it ends by the request's deadline (`signal`), and whatever it
 * fails with becomes a StorageError (transient or not), so no route answers with an SDK's message or waits on
 * a call the SDK has not given up yet (GCS cannot be cancelled; a stalled S3 call waits out a backoff first).
 */
export class GuardedStore implements ObjectStore {
    constructor(private readonly inner: ObjectStore) {}

    get backend() {
        return this.inner.backend;
    }

    private call<T>(what: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
        return dependencyCall(StorageError, what, signal, work);
    }

    putIfAbsent(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<boolean> {
        return this.call(`writing ${key}`, signal, () => this.inner.putIfAbsent(key, body, contentType, signal));
    }
    put(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void> {
        return this.call(`writing ${key}`, signal, () => this.inner.put(key, body, contentType, signal));
    }
    /** A read its caller refused to admit is the caller's answer, not a storage failure: it passes through as it is. */
    async get(key: string, signal?: AbortSignal, admit?: ReadAdmission): Promise<StoredObject | undefined> {
        try {
            return await this.call(`reading ${key}`, signal, () => this.inner.get(key, signal, admit));
        } catch (err) {
            throw err instanceof StorageError && err.cause instanceof ReadRefused ? err.cause : err;
        }
    }
    contentTypeOf(key: string, signal?: AbortSignal): Promise<string | undefined> {
        return this.call(`checking ${key}`, signal, () => this.inner.contentTypeOf(key, signal));
    }
    exists(key: string, signal?: AbortSignal): Promise<boolean> {
        return this.call(`checking ${key}`, signal, () => this.inner.exists(key, signal));
    }
    list(prefix: string, limit: number, signal?: AbortSignal): Promise<string[]> {
        return this.call(`listing ${prefix}`, signal, () => this.inner.list(prefix, limit, signal));
    }
    ping(signal?: AbortSignal): Promise<void> {
        return this.call("probing the bucket", signal, () => this.inner.ping(signal));
    }
}
