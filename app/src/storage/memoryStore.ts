import { KEY_LIMIT_BYTES } from "../objectNames";
import { ObjectStore, StoredObject, inKeyOrder } from "./objectStore";
import { ReadAdmission, ReadRefused } from "../readAdmission";

/** What S3 answers a write of a key over 1,024 bytes (S3 API reference, "Error responses": KeyTooLongError, 400). */
function refuseLongKey(key: string): void {
    if (Buffer.byteLength(key) <= KEY_LIMIT_BYTES) return;
    throw Object.assign(new Error("Your key is too long"), { name: "KeyTooLongError", $metadata: { httpStatusCode: 400 } });
}

/** For local runs and tests: a Map, with the same semantics as the cloud stores. */
export class MemoryStore implements ObjectStore {
    readonly backend = "memory" as const;
    private readonly objects = new Map<string, StoredObject>();

    async putIfAbsent(key: string, body: Uint8Array, contentType: string): Promise<boolean> {
        refuseLongKey(key);
        if (this.objects.has(key)) return false;
        this.objects.set(key, { body: Uint8Array.from(body), contentType });
        return true;
    }
    async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
        refuseLongKey(key);
        this.objects.set(key, { body: Uint8Array.from(body), contentType });
    }
    async get(key: string, _signal?: AbortSignal, admit?: ReadAdmission): Promise<StoredObject | undefined> {
        const object = this.objects.get(key);
        if (object && admit && !admit(object.body.byteLength)) throw new ReadRefused(key, object.body.byteLength);
        return object;
    }
    async contentTypeOf(key: string): Promise<string | undefined> {
        return this.objects.get(key)?.contentType;
    }
    async exists(key: string): Promise<boolean> {
        return this.objects.has(key);
    }
    async list(prefix: string, limit: number): Promise<string[]> {
        return inKeyOrder([...this.objects.keys()].filter((k) => k.startsWith(prefix))).slice(0, limit);
    }
    async ping(): Promise<void> {}
}
