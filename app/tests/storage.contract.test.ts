import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ExistenceCache, MISSING_TTL_SECONDS } from "../src/existenceCache";
import { ObjectService } from "../src/objectService";
import { ReadRefused } from "../src/readAdmission";
import { MemoryStore, ObjectStore } from "../src/storage";
import { GcsStore, gcsOptions } from "../src/storage/gcsStore";
import { S3Store } from "../src/storage/s3Store";
import { FakeGcs, startFakeGcs } from "./gcs/fakeGcs";
import { LocalS3, s3rverClientConfig, startS3rver } from "./s3rver";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** One contract, every adapter: what the service relies on from a bucket. */
function contract(name: string, makeStore: () => ObjectStore, options: { skip?: string; noConditionalWrites?: string } = {}) {
    describe(`storage contract: ${name}`, { skip: options.skip }, () => {
        let store: ObjectStore;
        before(() => {
            store = makeStore();
        });
        /** Runs `step` with the bucket's exists check failing the test: what `step` answers must come from a cache. */
        const withoutAskingTheBucket = async (message: string, step: () => Promise<void>) => {
            const exists = store.exists;
            store.exists = async () => assert.fail(message);
            try {
                await step();
            } finally {
                store.exists = exists;
            }
        };

        it("put, get, exists", async () => {
            await store.put("input/one.txt", bytes("one"), "text/plain");
            const got = await store.get("input/one.txt");
            assert.equal(text(got!.body), "one");
            assert.equal(got!.contentType, "text/plain");
            assert.equal(await store.exists("input/one.txt"), true);
            assert.equal(await store.exists("input/none.txt"), false);
            assert.equal(await store.get("input/none.txt"), undefined);
        });

        it("contentTypeOf answers from the object's metadata, without its bytes; undefined for a missing object", async () => {
            await store.put("input/typed.csv", bytes("a;b"), "text/csv; charset=utf-8");
            assert.equal(await store.contentTypeOf("input/typed.csv"), "text/csv; charset=utf-8");
            assert.equal(await store.contentTypeOf("input/none.csv"), undefined);
        });

        it("get asks its admission for the object's size before holding it; refused, it throws ReadRefused and holds nothing", async () => {
            await store.put("input/admitted.bin", bytes("twelve bytes"), "application/octet-stream");
            const asked: number[] = [];
            const got = await store.get("input/admitted.bin", undefined, (n) => (asked.push(n), true));
            assert.equal(text(got!.body), "twelve bytes");
            assert.deepEqual(asked, [12], "asked once, for the whole object");
            await assert.rejects(store.get("input/admitted.bin", undefined, () => false), (err) => err instanceof ReadRefused && err.bytes === 12);
            assert.equal(text((await store.get("input/admitted.bin"))!.body), "twelve bytes", "the next read is served");
            const askedForNone: number[] = [];
            assert.equal(await store.get("input/none.bin", undefined, (n) => (askedForNone.push(n), true)), undefined);
            assert.deepEqual(askedForNone, [], "nothing to hold for a missing object");
        });

        it("putIfAbsent writes once and refuses to overwrite", { skip: options.noConditionalWrites }, async () => {
            assert.equal(await store.putIfAbsent("input/once.txt", bytes("first"), "text/plain"), true);
            assert.equal(await store.putIfAbsent("input/once.txt", bytes("second"), "text/plain"), false);
            assert.equal(text((await store.get("input/once.txt"))!.body), "first");
        });

        it("list returns the keys under a prefix, sorted", async () => {
            await store.put("input/b.txt", bytes("b"), "text/plain");
            await store.put("input/a.txt", bytes("a"), "text/plain");
            await store.put("results/a.txt.json", bytes("{}"), "application/json");
            const keys = await store.list("input/", 1000);
            assert.ok(keys.includes("input/a.txt") && keys.includes("input/b.txt"));
            assert.ok(!keys.includes("results/a.txt.json"));
            assert.deepEqual(keys, [...keys].sort());
        });

        it("list stops at the limit: the first keys in order, also when they come in more than one page", async () => {
            for (const k of ["c", "a", "d", "b", "e"]) await store.put(`limit/${k}.txt`, bytes(k), "text/plain");
            assert.deepEqual(await store.list("limit/", 3), ["limit/a.txt", "limit/b.txt", "limit/c.txt"]);
            assert.deepEqual(await store.list("limit/", 1000), ["a", "b", "c", "d", "e"].map((k) => `limit/${k}.txt`));
        });

        // Before: sorted as JavaScript strings (UTF-16 units), so a limit cut another set than S3's and GCS's own order.
        it("list orders by UTF-8 bytes, as S3 and GCS list: the limit cuts where they do", async () => {
            const [fullwidth, emoji] = ["order/\uFF5A.txt", "order/\u{1F600}.txt"];
            for (const k of [emoji, fullwidth]) await store.put(k, bytes("x"), "text/plain");
            assert.deepEqual(await store.list("order/", 1), [fullwidth]);
            assert.deepEqual(await store.list("order/", 1000), [fullwidth, emoji]);
        });

        it("ping succeeds, also with more than one key under the prefix (a truncated one-key listing)", async () => {
            await store.put("input/ping-1.txt", bytes("1"), "text/plain");
            await store.put("input/ping-2.txt", bytes("2"), "text/plain");
            await store.ping();
        });

        it("uploads through the service resolve collisions and bulk checks run in batches", async () => {
            const cache = new ExistenceCache(store, { maxEntries: 100, ttlSeconds: 60, batchSize: 2 });
            const service = new ObjectService(store, cache, "input/");
            assert.equal(await service.upload("dup.txt", bytes("1"), "text/plain"), "dup.txt");
            assert.equal(await service.upload("dup.txt", bytes("2"), "text/plain"), "dup-1.txt");
            await store.put("input/direct.txt", bytes("written around the cache"), "text/plain");
            assert.deepEqual(await service.existsMany(["dup.txt", "dup-1.txt", "dup-2.txt", "direct.txt", "zzz"]), {
                "dup.txt": true,
                "dup-1.txt": true,
                "dup-2.txt": false,
                "direct.txt": true,
                zzz: false,
            });
            const before = cache.stats();
            await service.existsMany(["dup.txt", "dup-1.txt"]);
            assert.equal(cache.stats().hits, before.hits + 2, "repeat checks come from the cache");
            // Before, nothing looked at how many checks went out at once: all five at a time passed as well.
            const exists = store.exists;
            let inFlight = 0;
            const most = { inFlight: 0, calls: 0 };
            store.exists = async (...args) => {
                most.calls++;
                most.inFlight = Math.max(most.inFlight, ++inFlight);
                try {
                    return await exists.apply(store, args);
                } finally {
                    inFlight--;
                }
            };
            try {
                await service.existsMany(["b1.txt", "b2.txt", "b3.txt", "b4.txt", "b5.txt"]);
            } finally {
                store.exists = exists;
            }
            assert.deepEqual(most, { inFlight: 2, calls: 5 }, "five names not yet cached: checked two at a time");
        });

        it("two instances over one bucket: a name one found missing is found once the other stores it, after MISSING_TTL_SECONDS, not the cache's TTL", async () => {
            // Two Lambda execution environments, or two Cloud Run instances: a cache each, one bucket.
            // lru-cache takes an entry stored at time 0 for one without a start (never stale): a clock that starts later.
            let now = 1_000_000;
            const clock = { now: () => now };
            const a = new ObjectService(store, new ExistenceCache(store, { maxEntries: 100, ttlSeconds: 3600, batchSize: 2, clock }), "input/");
            const b = new ObjectService(store, new ExistenceCache(store, { maxEntries: 100, ttlSeconds: 3600, batchSize: 2, clock }), "input/");
            assert.deepEqual(await a.existsMany(["later.txt"]), { "later.txt": false });
            assert.equal(await b.upload("later.txt", bytes("from b"), "text/plain"), "later.txt");
            now += MISSING_TTL_SECONDS * 1000 + 1;
            assert.deepEqual(await a.existsMany(["later.txt"]), { "later.txt": true }, "instance a asked the bucket again");
            now += 3000 * 1000;
            await withoutAskingTheBucket("a name found there is kept for the cache's TTL", async () => {
                assert.deepEqual(await a.existsMany(["later.txt"]), { "later.txt": true });
            });
        });

        it("a name found missing is kept as missing for a burst: a second check within MISSING_TTL_SECONDS does not ask the bucket", async () => {
            // existenceCache.ts: "not there" is kept for one burst of collision handling and bulk checks.
            let now = 1_000_000;
            const clock = { now: () => now };
            const cache = new ExistenceCache(store, { maxEntries: 100, ttlSeconds: 3600, batchSize: 2, clock });
            const service = new ObjectService(store, cache, "input/");
            assert.deepEqual(await service.existsMany(["burst-missing.txt"]), { "burst-missing.txt": false });
            now += MISSING_TTL_SECONDS * 1000 - 1;
            await withoutAskingTheBucket("the missing answer was asked of the bucket again within MISSING_TTL_SECONDS", async () => {
                assert.deepEqual(await service.existsMany(["burst-missing.txt"]), { "burst-missing.txt": false });
            });
            assert.equal(cache.stats().hits, 1);
        });

        it("with a cache TTL shorter than MISSING_TTL_SECONDS, a missing name is kept no longer than the cache's TTL", async () => {
            // MISSING_TTL_SECONDS is how long a "not there" is kept at most: CACHE_TTL_SECONDS (whole(1, 86_400)) can be less.
            let now = 1_000_000;
            const clock = { now: () => now };
            const ttlSeconds = 1;
            assert.ok(ttlSeconds < MISSING_TTL_SECONDS);
            const a = new ObjectService(store, new ExistenceCache(store, { maxEntries: 100, ttlSeconds, batchSize: 2, clock }), "input/");
            const b = new ObjectService(store, new ExistenceCache(store, { maxEntries: 100, ttlSeconds, batchSize: 2, clock }), "input/");
            assert.deepEqual(await a.existsMany(["short-ttl.txt"]), { "short-ttl.txt": false });
            assert.equal(await b.upload("short-ttl.txt", bytes("from b"), "text/plain"), "short-ttl.txt");
            now += ttlSeconds * 1000 + 1;
            assert.deepEqual(await a.existsMany(["short-ttl.txt"]), { "short-ttl.txt": true }, "instance a asked the bucket again after the cache's TTL");
        });
    });
}

contract("in memory", () => new MemoryStore());

// A real S3-protocol server on loopback (s3rver), driven through the official AWS SDK.
let s3: LocalS3 | undefined;
before(async () => {
    s3 = await startS3rver(["contract-bucket"]);
});
after(async () => s3?.close());

contract(
    "S3 (s3rver on loopback)",
    () => new S3Store("contract-bucket", "input/", s3rverClientConfig(s3!.endpoint)),
    { noConditionalWrites: "s3rver predates S3 conditional writes (If-None-Match: *) and overwrites; real S3 refuses with 412" },
);

// The GCS stand-in on loopback (tests/gcs/fakeGcs.ts), driven through @google-cloud/storage; pages of two
// items, so listings and the one-key probe cross page boundaries as they may on GCS.
let gcs: FakeGcs | undefined;
before(async () => {
    gcs = await startFakeGcs(["contract-bucket"], { pageSize: 2 });
});
after(async () => gcs?.close());

/** The service's defaults (STORAGE_ATTEMPT_TIMEOUT_MS, STORAGE_MAX_ATTEMPTS, STORAGE_DEADLINE_MS), as createStore passes them. */
const gcsTimeouts = { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 };
contract("GCS (stand-in on loopback)", () => new GcsStore("contract-bucket", "input/", { ...gcsOptions(gcsTimeouts), apiEndpoint: gcs!.url, projectId: "test" }, gcsTimeouts));
