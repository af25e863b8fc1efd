import { LRUCache } from "lru-cache";
import { ObjectStore } from "./storage";

/**
 * Existence checks through an LRU cache with a TTL, so collision handling and bulk checks do not ask the
 * bucket again for names it has just answered. Bulk checks go to the bucket in batches.
 */
export class ExistenceCache {
    private readonly cache: LRUCache<string, boolean>;
    hits = 0;
    misses = 0;

    constructor(
        private readonly store: ObjectStore,
        options: { maxEntries: number; ttlSeconds: number; batchSize: number },
    ) {
        this.cache = new LRUCache({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
        this.batchSize = options.batchSize;
    }
    private readonly batchSize: number;

    async exists(key: string, signal?: AbortSignal): Promise<boolean> {
        const cached = this.cache.get(key);
        if (cached !== undefined) {
            this.hits++;
            return cached;
        }
        this.misses++;
        const found = await this.store.exists(key, signal);
        this.cache.set(key, found);
        return found;
    }

    remember(key: string, exists: boolean): void {
        this.cache.set(key, exists);
    }

    /** Checks many keys, `batchSize` at a time against the bucket; answers in the order asked. */
    async existsMany(keys: string[], signal?: AbortSignal): Promise<boolean[]> {
        const results: boolean[] = [];
        for (let i = 0; i < keys.length; i += this.batchSize) {
            results.push(...(await Promise.all(keys.slice(i, i + this.batchSize).map((k) => this.exists(k, signal)))));
        }
        return results;
    }

    stats() {
        return { entries: this.cache.size, maxEntries: this.cache.max, ttlSeconds: this.cache.ttl / 1000, batchSize: this.batchSize, hits: this.hits, misses: this.misses };
    }

    clear(): number {
        const cleared = this.cache.size;
        this.cache.clear();
        return cleared;
    }
}
