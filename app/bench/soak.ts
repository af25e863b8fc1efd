/**
 * The service's soak for `npm run bench`: mixed reads, uploads and bulk existence checks against the built
 * server on S3 (s3rver) for a bounded time, sampling the server's RSS every second and its existence cache
 * (through /admin/cache) at the end. Prints one JSON line; progress goes to stderr.
 *   node --import tsx bench/soak.ts [--seconds 60] [--connections 20] [--cache-max-entries 10000] [--node-options=--max-old-space-size=128]
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { rssMb } from "./rss";
import { startServer } from "../tests/helpers";
import { s3rverServiceEnv, startS3rver } from "../tests/s3rver";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "60" }, connections: { type: "string", default: "20" }, "cache-max-entries": { type: "string", default: "10000" }, "node-options": { type: "string" } } });
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const CACHE_MAX_ENTRIES = Number(values["cache-max-entries"]);
const BUCKET = "soak-bucket";
const TOKEN = "soak-admin-token-0123456789abcdef";
const BULK_NAMES = 50;

async function main() {
    const s3 = await startS3rver([BUCKET]);
    const server = await startServer({
        ...s3rverServiceEnv(s3.endpoint, BUCKET),
        CACHE_MAX_ENTRIES: String(CACHE_MAX_ENTRIES),
        ADMIN_FEATURES_ENABLED: "true",
        ADMIN_TOKEN: TOKEN,
        // One loopback client at full speed for the whole soak: the per-client limit would answer most of it 429.
        RATE_LIMIT_REQUESTS: "1000000",
        ...(values["node-options"] && { NODE_OPTIONS: values["node-options"] }),
    });
    const pid = server.child.pid!;
    try {
        const stored: string[] = [];
        const counts = { reads: 0, uploads: 0, bulkChecks: 0, namesChecked: 0, non2xx: 0, failed: 0 };
        const latencies: number[] = [];
        const samples: { t: number; rssMb: number }[] = [{ t: 0, rssMb: rssMb(pid) }];
        const started = performance.now();
        const endAt = started + SECONDS * 1000;
        const sampler = setInterval(() => {
            samples.push({ t: Math.round((performance.now() - started) / 1000), rssMb: rssMb(pid) });
            if (samples.length % 10 === 0) process.stderr.write(`bench (soak): ${samples.length - 1} s, RSS ${samples[samples.length - 1].rssMb} MB, ${stored.length} objects\n`);
        }, 1000);

        const one = async () => {
            const roll = Math.random();
            const t = performance.now();
            let res: Response;
            if (roll < 0.5 && stored.length > 0) {
                counts.reads++;
                res = await fetch(`${server.url}/objects/${stored[Math.floor(Math.random() * stored.length)]}`);
            } else if (roll < 0.8 || stored.length === 0) {
                counts.uploads++;
                res = await fetch(`${server.url}/objects/soak/${randomBytes(6).toString("hex")}.txt`, { method: "PUT", body: randomBytes(512).toString("base64") });
                if (res.ok) stored.push((await res.clone().json()).name);
            } else {
                counts.bulkChecks++;
                counts.namesChecked += BULK_NAMES;
                // Half names that exist, half that never will: the cache holds both answers.
                const names = Array.from({ length: BULK_NAMES }, (_, i) => (i % 2 && stored.length ? stored[Math.floor(Math.random() * stored.length)] : `absent/${randomBytes(6).toString("hex")}`));
                res = await fetch(`${server.url}/objects/exists`, { method: "POST", body: JSON.stringify({ names }) });
            }
            await res.arrayBuffer();
            if (!res.ok) counts.non2xx++;
            latencies.push(performance.now() - t);
        };
        await Promise.all(
            Array.from({ length: CONNECTIONS }, async () => {
                while (performance.now() < endAt) await one().catch(() => counts.failed++);
            }),
        );
        clearInterval(sampler);
        samples.push({ t: SECONDS, rssMb: rssMb(pid) });
        const cache = await (await fetch(`${server.url}/admin/cache`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
        latencies.sort((a, b) => a - b);
        const third = (k: number) => samples.filter((s) => s.t >= (k * SECONDS) / 3 && s.t <= ((k + 1) * SECONDS) / 3).map((s) => s.rssMb);
        const middleMax = Math.max(...third(1));
        const lastMax = Math.max(...third(2));
        console.log(
            JSON.stringify({
                seconds: SECONDS,
                connections: CONNECTIONS,
                requests: latencies.length,
                ...counts,
                objects: stored.length,
                p99Ms: Math.round(latencies[Math.ceil(0.99 * latencies.length) - 1] * 10) / 10,
                maxMs: Math.round(latencies[latencies.length - 1]),
                rssStartMb: samples[0].rssMb,
                rssAfter10sMb: samples.find((s) => s.t >= 10)?.rssMb ?? NaN,
                rssEndMb: samples[samples.length - 1].rssMb,
                rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
                rssMiddleThirdMaxMb: middleMax,
                rssLastThirdMaxMb: lastMax,
                plateau: lastMax <= middleMax * 1.1,
                cacheEntries: cache.entries,
                cacheMaxEntries: cache.maxEntries,
                cacheHits: cache.hits,
                cacheMisses: cache.misses,
            }),
        );
    } finally {
        await server.stop();
        await s3.close();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
