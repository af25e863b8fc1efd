import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { READY_CACHE_MS } from "../src/app";
import { bootstrap } from "../src/bootstrap";
import { cachedReadiness } from "../src/readiness";
import { MemoryStore } from "../src/storage";

// /ready's cache (src/readiness.ts): one storage probe at a time, its answer kept for a while, by the monotonic clock.

describe("/ready's probe, kept for a while", () => {
    it("probes on the first call, once for calls that arrive together, and not again within the time it is kept", async () => {
        let probes = 0;
        const ready = cachedReadiness(async () => (probes++, true), 60_000);
        assert.deepEqual(await Promise.all([ready(), ready(), ready()]), [true, true, true]);
        assert.equal(await ready(), true);
        assert.equal(probes, 1);
    });

    it("a wall-clock step back does not keep a stale answer: the next call after the time kept probes again", async () => {
        // An NTP correction moves Date.now, not performance.now. Before: an answer stamped by the wall clock was kept
        // until the clock caught up again, an hour here, and /ready said 200 for a bucket gone meanwhile.
        let healthy = true;
        let probes = 0;
        const ready = cachedReadiness(async () => (probes++, healthy), 20);
        assert.equal(await ready(), true);
        const wallClock = Date.now;
        Date.now = () => wallClock() - 3_600_000;
        try {
            healthy = false;
            await sleep(50);
            assert.equal(await ready(), false, "probed again");
        } finally {
            Date.now = wallClock;
        }
        assert.equal(probes, 2);
    });
});

describe("the app's /ready (src/app.ts, READY_CACHE_MS)", () => {
    it("answers probes that come one after another within READY_CACHE_MS from one storage call", async () => {
        // Cloud Run's readiness probe and uptime checks hit every instance on their own schedule: an instance makes at
        // most one storage call per READY_CACHE_MS however often it is probed (src/readiness.ts).
        let pings = 0;
        class CountedStore extends MemoryStore {
            override async ping(): Promise<void> {
                pings++;
            }
        }
        // The monotonic clock the cache reads (src/keptFor.ts) held still, so the check does not depend on this machine's
        // speed, and at a whole number: from the real clock's reading, start + READY_CACHE_MS - start came out below
        // READY_CACHE_MS for about 1 reading in 100 of a process's first 200 s (floating point; 32617.519785359273 is
        // one), and the probe was not made again.
        const monotonic = performance.now;
        const start = 1_000_000;
        let now = start;
        performance.now = () => now;
        try {
            const app = bootstrap("server", { LOG_LEVEL: "error" }, new CountedStore()).app;
            for (let i = 0; i < 5; i++) {
                assert.equal((await app.request("/ready")).status, 200);
                now += Math.floor((READY_CACHE_MS - 1) / 5);
            }
            assert.equal(pings, 1);
            now = start + READY_CACHE_MS;
            assert.equal((await app.request("/ready")).status, 200);
            assert.equal(pings, 2, "probed again once READY_CACHE_MS had passed");
        } finally {
            performance.now = monotonic;
        }
    });
});
