import { LRUCache } from "lru-cache";
import { ObjectStore } from "./storage";

/**
 * How long a "not there" is kept, at most. Every instance (each Lambda execution environment, each Cloud Run
 * instance) has its own cache over one bucket, and an object another instance stores is news to it: a stored object
 * stays (the API deletes nothing), so "there" is kept for the cache's TTL, but "not there" only long enough for one
 * burst of collision handling and bulk checks.
 */
export const MISSING_TTL_SECONDS = 5;

/**
 * Existence checks through an LRU cache with a TTL, so collision handling and bulk checks do not ask the
 * bucket again for names it has just answered. Bulk checks go to the bucket in batches.
 */
export class ExistenceCache {
    private readonly cache: LRUCache<string, boolean>;
    private readonly missingTtlMs: number;
    hits = 0;
    misses = 0;

    /** `clock`: the cache's time (a test's), instead of performance.now(). */
    constructor(
        private readonly store: ObjectStore,
        options: { maxEntries: number; ttlSeconds: number; batchSize: number; clock?: { now(): number } },
    ) {
        this.cache = new LRUCache({ max: options.maxEntries, ttl: options.ttlSeconds * 1000, ...(options.clock ? { perf: options.clock, ttlResolution: 0 } : {}) });
        this.missingTtlMs = Math.min(options.ttlSeconds, MISSING_TTL_SECONDS) * 1000;
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
        this.remember(key, found);
        return found;
    }

    remember(key: string, exists: boolean): void {
        this.cache.set(key, exists, exists ? {} : { ttl: this.missingTtlMs });
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
