/**
 * What the per-client rate limiter costs (issue 21): GET /objects/:name (a limited route; the in-memory store)
 * at 10 connections, against the built server with its limiter (app/dist/server.js, with a limit so high it never
 * trips, so every request is still keyed and counted) and against the same bundle with the limiter replaced by a
 * pass-through (app/bench/serverWithoutRateLimit.ts), alternating over rounds in the same run. Once with many
 * client keys (distinct X-Forwarded-For values, TRUSTED_PROXY_HOPS=1 as on Cloud Run) and once with one key.
 * Each round starts both servers fresh and warms them up, then loads them in turn, a second at a time.
 */
import autocannon = require("autocannon");
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { Figure, progress } from "./figure";
import { ROOT, SERVICE_NODE, freePort, startService, stop } from "./processes";
import { median, round } from "./stats";

const APP = path.join(ROOT, "app");
const CONNECTIONS = 10;
/** Each round gives each side SLICES stretches of SLICE_SECONDS: 5 s of load a side, as the other load rows. */
const SLICES = 5;
const SLICE_SECONDS = 1;
const WARM_UP_SECONDS = 1;
/** Many more clients than connections; autocannon builds every request of the list per connection up front, so not 10,000. */
const MANY_KEYS = 1000;
/** The limiter's target: it may cost at most 10 % of the throughput of the service without it. */
const MIN_RATIO = 0.9;
/** The settings' ceiling: one key at full speed stays under it for a whole measurement, so nothing is refused. */
const NEVER_TRIPS = { RATE_LIMIT_REQUESTS: "1000000", TRUSTED_PROXY_HOPS: "1" };

export type Variant = "with" | "without";
/** One round's figures for one side. */
interface Run {
    requestsPerSecond: number;
    p99: number;
    /** The server's CPU time (user + system) per answered request. */
    cpuMicrosPerRequest: number;
}

/** A client address per key, as Cloud Run's front end appends it (the element TRUSTED_PROXY_HOPS=1 picks). */
const addresses = (count: number) => Array.from({ length: count }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

/** Runs one of app/bench's scripts on the app's Node (the image's) and returns the JSON line it prints last. */
function appScript<T>(script: string, args: string[]): T {
    const result = spawnSync(SERVICE_NODE, ["--import", "tsx", script, ...args], { cwd: APP, encoding: "utf8", env: { ...process.env, TSX_DISABLE_CACHE: "1" } });
    if (result.status !== 0) throw new Error(`app/${script} exited ${result.status}: ${result.stderr}`.slice(0, 4000));
    return JSON.parse(result.stdout.trim().split("\n").pop()!) as T;
}

/**
 * The server bundle with its limiter and the same bundle with the limiter replaced by a pass-through, built into
 * `outdir` by app/bench/serverWithoutRateLimit.ts; with `shipped`, the first must be app/dist/server.js byte for byte.
 */
export function buildBundles(outdir: string, shipped: boolean): Record<Variant, string> {
    const out = appScript<{ withLimiter: string; withoutLimiter: string; sameAsShipped: boolean }>("bench/serverWithoutRateLimit.ts", ["--outdir", outdir]);
    if (shipped && !out.sameAsShipped) {
        throw new Error("app/bench/serverWithoutRateLimit.ts no longer reproduces app/dist/server.js (app/build.mjs's options changed, or app/dist is stale: npm --prefix app run build): its baseline would differ in more than the limiter");
    }
    return { with: out.withLimiter, without: out.withoutLimiter };
}

/** The limiter's own work per request, timed in process (app/bench/limiterParts.ts): what the end-to-end rows are made of. */
function parts(): Figure {
    progress("rate limiter cost: its parts, timed in process (app/bench/limiterParts.ts)");
    const p = appScript<{ consumeOneKeyMicros: number; consumeManyKeysMicros: number; forwardedForHeaderMicros: number; keys: number; node: string }>("bench/limiterParts.ts", []);
    const us = (n: number) => `${round(n, 2)} us`;
    return {
        name: `rate limiter cost, its parts in process (${p.node}): consume, one key / ${p.keys.toLocaleString("en-US")} keys; a request's Headers built from its raw pairs (what @hono/node-server 1.x did to read X-Forwarded-For; the service reads Node's parsed header)`,
        value: round(p.consumeManyKeysMicros, 2),
        unit: "us",
        shown: `${us(p.consumeOneKeyMicros)} / ${us(p.consumeManyKeysMicros)}; ${us(p.forwardedForHeaderMicros)}`,
        target: "reported",
        pass: undefined,
    };
}

/** The statuses of `count` requests to a limited route from one client (one X-Forwarded-For address), at RATE_LIMIT_REQUESTS=1. */
export async function answersToOneClient(entry: string, count: number): Promise<number[]> {
    const port = await freePort();
    const { child } = await startService(entry, port, { RATE_LIMIT_REQUESTS: "1", TRUSTED_PROXY_HOPS: "1" });
    try {
        const statuses: number[] = [];
        for (let i = 0; i < count; i++) {
            const res = await fetch(`http://127.0.0.1:${port}/objects`, { headers: { "x-forwarded-for": "203.0.113.1" } });
            await res.arrayBuffer();
            statuses.push(res.status);
        }
        return statuses;
    } finally {
        await stop(child);
    }
}

/** Each bundle is what it claims: at a limit of 1, one client's second request is 429 with the limiter only. */
async function confirmVariants(bundles: Record<Variant, string>): Promise<void> {
    for (const [variant, expected] of [["with", "200,429"], ["without", "200,200"]] as const) {
        const statuses = (await answersToOneClient(bundles[variant], 2)).join();
        if (statuses !== expected) throw new Error(`the server ${variant} the limiter (${bundles[variant]}) answered ${statuses} to one client's two requests at a limit of 1; expected ${expected}`);
    }
}

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** What one stretch of load, or several added up, measured on one server. */
interface Tally {
    requests: number;
    seconds: number;
    latencies: number[];
    /** The server's CPU time (user + system) meanwhile. */
    cpuMicros: number;
}
const emptyTally = (): Tally => ({ requests: 0, seconds: 0, latencies: [], cpuMicros: 0 });

interface Running {
    base: string;
    objectPath: string;
    pid: number;
    stop: () => Promise<void>;
}

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** A process's user + system CPU time so far, in microseconds (/proc/<pid>/stat fields 14 and 15, Linux). */
function cpuMicros(pid: number): number {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/** Drives GET /objects/:name from `keys` client addresses in turn; every answer must be a 200 (a 429 would void the comparison). */
async function drive(server: Running, keys: string[], seconds: number): Promise<Tally> {
    const latencies: number[] = [];
    const requests = keys.map((address) => ({ method: "GET" as const, path: server.objectPath, headers: { "x-forwarded-for": address } }));
    const cpuBefore = cpuMicros(server.pid);
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon({ url: server.base, connections: CONNECTIONS, duration: seconds, requests }, (err, res) => (err ? reject(err) : resolve(res)));
        instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
    const cpu = cpuMicros(server.pid) - cpuBefore;
    if (result.errors + result.timeouts > 0 || result.non2xx > 0) {
        throw new Error(`${server.base}${server.objectPath} from ${keys.length} client(s): ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`);
    }
    return { requests: result.requests.total, seconds: result.duration, latencies, cpuMicros: cpu };
}

/** A fresh server with one object stored, warmed up on the route it will be measured on. */
async function serve(entry: string, keys: string[]): Promise<Running> {
    const port = await freePort();
    const { child } = await startService(entry, port, NEVER_TRIPS);
    const base = `http://127.0.0.1:${port}`;
    try {
        const put = await fetch(`${base}/objects/limiter-bench.txt`, { method: "PUT", body: "hello, limiter", headers: { "x-forwarded-for": keys[0] } });
        if (put.status !== 201) throw new Error(`seeding the object failed: ${put.status} ${await put.text()}`);
        const objectPath = `/objects/${encodeURIComponent(((await put.json()) as { name: string }).name)}`;
        const server = { base, objectPath, pid: child.pid!, stop: () => stop(child) };
        await drive(server, keys, WARM_UP_SECONDS);
        return server;
    } catch (err) {
        await stop(child);
        throw err;
    }
}

/**
 * One round: both servers fresh and warm, then SLICES one-second stretches of load on each, in turn (A B B A ...),
 * so the two sides see the same moments of whatever else the machine is running.
 */
async function measureRound(bundles: Record<Variant, string>, keys: string[], first: Variant): Promise<Record<Variant, Run>> {
    const second: Variant = first === "with" ? "without" : "with";
    const servers: Partial<Record<Variant, Running>> = {};
    try {
        for (const variant of [first, second]) servers[variant] = await serve(bundles[variant], keys);
        const tallies: Record<Variant, Tally> = { with: emptyTally(), without: emptyTally() };
        for (let slice = 0; slice < SLICES; slice++) {
            for (const variant of slice % 2 === 0 ? [first, second] : [second, first]) {
                const t = await drive(servers[variant]!, keys, SLICE_SECONDS);
                const sum = tallies[variant];
                sum.requests += t.requests;
                sum.seconds += t.seconds;
                sum.cpuMicros += t.cpuMicros;
                sum.latencies.push(...t.latencies);
            }
        }
        const run = (t: Tally): Run => ({
            requestsPerSecond: t.requests / t.seconds,
            p99: percentile(t.latencies.sort((a, b) => a - b), 99),
            cpuMicrosPerRequest: t.cpuMicros / t.requests,
        });
        return { with: run(tallies.with), without: run(tallies.without) };
    } finally {
        await Promise.all(Object.values(servers).map((s) => s.stop()));
    }
}

const rps = (n: number) => `${Math.round(n).toLocaleString("en-US")} req/s`;

export async function limiterCost(rounds = 5): Promise<Figure[]> {
    progress("rate limiter cost: building the server without its limiter (app/bench/serverWithoutRateLimit.ts)");
    const bundles = buildBundles(path.join(ROOT, ".bench", "limiter"), true);
    await confirmVariants(bundles);
    const cases = [
        { label: `${MANY_KEYS.toLocaleString("en-US")} client keys`, keys: addresses(MANY_KEYS) },
        { label: "one client key", keys: addresses(1) },
    ];
    const figures: Figure[] = [];
    for (const { label, keys } of cases) {
        const runs: Record<Variant, Run[]> = { with: [], without: [] };
        for (let r = 0; r < rounds; r++) {
            // Alternate which side opens the round's A B B A sequence.
            const first: Variant = r % 2 === 0 ? "with" : "without";
            progress(`rate limiter cost, ${label}, round ${r + 1} of ${rounds}: GET /objects/:name at ${CONNECTIONS} connections, ${SLICES} x ${SLICE_SECONDS} s on each server in turn`);
            const measured = await measureRound(bundles, keys, first);
            runs.with.push(measured.with);
            runs.without.push(measured.without);
        }
        const summary = (v: Variant) => ({ rps: median(runs[v].map((x) => x.requestsPerSecond)), p99: median(runs[v].map((x) => x.p99)) });
        const withLimiter = summary("with");
        const without = summary("without");
        // Each round's two runs share the machine's load of the moment: the median of their ratios, not the ratio of medians.
        const ratios = runs.with.map((w, i) => w.requestsPerSecond / runs.without[i].requestsPerSecond);
        const ratio = median(ratios);
        figures.push({
            name: `rate limiter cost, GET /objects/:name at ${CONNECTIONS} connections, ${label}: with / without the limiter (median req/s and p99 of ${rounds} rounds of ${SLICES} x ${SLICE_SECONDS} s a side, taken in turn; ratio: the rounds' median)`,
            value: round(ratio, 2),
            unit: "x",
            shown: `${rps(withLimiter.rps)}, p99 ${round(withLimiter.p99, 2)} ms / ${rps(without.rps)}, p99 ${round(without.p99, 2)} ms: ${round(ratio, 2)}x`,
            target: `>= ${MIN_RATIO}x`,
            pass: ratio >= MIN_RATIO,
            detail: `ratio per round ${ratios.map((x) => round(x, 2)).join(", ")}; req/s with ${runs.with.map((x) => Math.round(x.requestsPerSecond)).join(", ")}, without ${runs.without.map((x) => Math.round(x.requestsPerSecond)).join(", ")}`,
        });
        // On a machine other work shares, the server's own CPU time per request moves less than its throughput does.
        const cpu = (v: Variant) => median(runs[v].map((x) => x.cpuMicrosPerRequest));
        const cpuRatios = runs.with.map((w, i) => w.cpuMicrosPerRequest / runs.without[i].cpuMicrosPerRequest);
        figures.push({
            name: `rate limiter cost, ${label}: the server's CPU time per request, with / without the limiter (same runs)`,
            value: round(median(cpuRatios), 2),
            unit: "x",
            shown: `${round(cpu("with"), 1)} / ${round(cpu("without"), 1)} us: ${round(median(cpuRatios), 2)}x`,
            target: "reported",
            pass: undefined,
            detail: `CPU ratio per round ${cpuRatios.map((x) => round(x, 2)).join(", ")}`,
        });
    }
    figures.push(parts());
    return figures;
}
