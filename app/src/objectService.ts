import { ExistenceCache } from "./existenceCache";
import { candidateNames } from "./objectNames";
import { ReadAdmission } from "./readAdmission";
import { ObjectStore } from "./storage";

/** Numbered names, then random ones: running out means the store keeps refusing writes. */
const MAX_ATTEMPTS = 100;

/** Uploads, lists and reads objects under the configured prefix, resolving name collisions. */
export class ObjectService {
    constructor(
        readonly store: ObjectStore,
        readonly cache: ExistenceCache,
        readonly prefix: string,
    ) {}

    key(name: string): string {
        return `${this.prefix}${name}`;
    }

    /** Stores under `name`, or the first free candidate when it is taken (see candidateNames); returns the name used. */
    async upload(name: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<string> {
        let attempts = 0;
        for (const candidate of candidateNames(name)) {
            if (++attempts > MAX_ATTEMPTS) break;
            const key = this.key(candidate);
            if (await this.cache.exists(key, signal)) continue;
            const written = await this.store.putIfAbsent(key, body, contentType, signal);
            this.cache.remember(key, true);
            if (written) return candidate;
        }
        throw new Error(`no free name for ${name} after ${MAX_ATTEMPTS} attempts`);
    }

    async list(limit: number, signal?: AbortSignal): Promise<string[]> {
        return (await this.store.list(this.prefix, limit, signal)).map((k) => k.slice(this.prefix.length));
    }

    /** `admit`: see ReadAdmission. */
    get(name: string, signal?: AbortSignal, admit?: ReadAdmission) {
        return this.store.get(this.key(name), signal, admit);
    }

    contentTypeOf(name: string, signal?: AbortSignal) {
        return this.store.contentTypeOf(this.key(name), signal);
    }

    /** Each distinct name is checked once, however often it is asked. */
    async existsMany(names: string[], signal?: AbortSignal): Promise<Record<string, boolean>> {
        const distinct = [...new Set(names)];
        const found = await this.cache.existsMany(distinct.map((n) => this.key(n)), signal);
        return Object.fromEntries(distinct.map((n, i) => [n, found[i]]));
    }
}
