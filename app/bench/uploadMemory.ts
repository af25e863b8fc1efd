/**
 * The server's memory under many maximum-size uploads at once, for `npm run bench`: `--uploads` clients each PUT
 * one body of MAX_BODY_BYTES (the server's default, 10 MiB) at the same moment to the built server on S3
 * (s3rver), retrying after Retry-After when refused with 503, while the server's RSS is sampled every 20 ms.
 * Prints one JSON line; progress goes to stderr.
 *   node --import tsx bench/uploadMemory.ts [--uploads 50] [--max-tries 20]
 */
import { parseArgs } from "node:util";
import { retryingClients } from "./retryingClients";
import { peakRss } from "./rss";
import { startServer } from "../tests/helpers";
import { s3rverServiceEnv, startS3rver } from "../tests/s3rver";

const { values } = parseArgs({ options: { uploads: { type: "string", default: "50" }, "max-tries": { type: "string", default: "20" } } });
const UPLOADS = Number(values.uploads);
const MAX_TRIES = Number(values["max-tries"]);
const BODY_BYTES = 10 * 1024 * 1024;
const BUCKET = "memory-bucket";

async function main() {
    const s3 = await startS3rver([BUCKET]);
    const server = await startServer({ ...s3rverServiceEnv(s3.endpoint, BUCKET), STORAGE_DEADLINE_MS: "30000", DRAIN_TIMEOUT_MS: "40000" });
    const pid = server.child.pid!;
    try {
        const rss = peakRss(pid);
        let acknowledged = 0;
        const started = performance.now();
        process.stderr.write(`bench (upload memory): ${UPLOADS} uploads of ${BODY_BYTES} bytes at once, RSS ${rss.startMb} MB\n`);
        const bodies = Array.from({ length: UPLOADS }, (_, i) => new Uint8Array(BODY_BYTES).fill(i % 256));
        const { statuses, refusedWithoutRetryAfter } = await retryingClients(
            UPLOADS,
            MAX_TRIES,
            (i) => fetch(`${server.url}/objects/memory/u${i}.bin`, { method: "PUT", body: bodies[i] }),
            async (res) => {
                await res?.arrayBuffer();
                if (res?.status !== 201) return false;
                acknowledged++;
                return true;
            },
        );
        rss.stop();
        console.log(
            JSON.stringify({
                uploads: UPLOADS,
                bodyBytes: BODY_BYTES,
                acknowledged,
                statuses,
                refusedWithoutRetryAfter,
                seconds: Math.round((performance.now() - started) / 100) / 10,
                ...rss.figures(),
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
