/**
 * The server's memory under many reads of one large object at once: `--gets` clients each GET one object of
 * `--mib` MiB at the same moment from the built server on the GCS stand-in (or s3rver with `--backend s3`), retrying
 * after Retry-After when refused with 503, while the server's RSS is sampled every 20 ms. The server runs with
 * Cloud Run's settings for dev (512Mi: MAX_BODY_BYTES_IN_FLIGHT an eighth of it, 64 MiB; up to 80 requests at once).
 * Prints one JSON line; progress goes to stderr.
 *   node --import tsx bench/readMemory.ts [--gets 80] [--mib 10] [--backend gcs] [--max-tries 40]
 */
import { parseArgs } from "node:util";
import { retryingClients } from "./retryingClients";
import { peakRss } from "./rss";
import { fakeGcsServiceEnv, startFakeGcs } from "../tests/gcs/fakeGcs";
import { startServer } from "../tests/helpers";
import { s3rverServiceEnv, startS3rver } from "../tests/s3rver";

const { values } = parseArgs({
    options: {
        gets: { type: "string", default: "80" },
        mib: { type: "string", default: "10" },
        backend: { type: "string", default: "gcs" },
        "max-tries": { type: "string", default: "40" },
    },
});
const MiB = 1024 * 1024;
const GETS = Number(values.gets);
const OBJECT_BYTES = Number(values.mib) * MiB;
const MAX_TRIES = Number(values["max-tries"]);
const BUCKET = "memory-bucket";
const BYTES_IN_FLIGHT = 64 * MiB;

/** The `error` of a JSON answer, or what there was instead. */
function errorOf(body: ArrayBuffer | undefined): string {
    try {
        return JSON.parse(new TextDecoder().decode(body)).error;
    } catch {
        return body === undefined ? "(no body)" : "(not JSON)";
    }
}

async function backendEnv(backend: string) {
    if (backend === "s3") {
        const s3 = await startS3rver([BUCKET]);
        return { env: s3rverServiceEnv(s3.endpoint, BUCKET), close: s3.close };
    }
    const gcs = await startFakeGcs([BUCKET]);
    return { env: fakeGcsServiceEnv(gcs.url, BUCKET), close: gcs.close };
}

async function main() {
    const backend = await backendEnv(values.backend!);
    const server = await startServer({
        ...backend.env,
        MAX_BODY_BYTES: String(OBJECT_BYTES),
        MAX_BODY_BYTES_IN_FLIGHT: String(Math.max(BYTES_IN_FLIGHT, OBJECT_BYTES)),
        STORAGE_DEADLINE_MS: "30000",
        DRAIN_TIMEOUT_MS: "40000",
    });
    const pid = server.child.pid!;
    try {
        const put = await fetch(`${server.url}/objects/big.bin`, { method: "PUT", body: new Uint8Array(OBJECT_BYTES).fill(7) });
        if (put.status !== 201) throw new Error(`the object was not stored: ${put.status} ${await put.text()}`);
        await new Promise((r) => setTimeout(r, 500));
        const rss = peakRss(pid);
        const errors: Record<string, number> = {};
        let served = 0;
        let wrongLength = 0;
        const started = performance.now();
        process.stderr.write(`bench (read memory, ${values.backend}): ${GETS} GETs of one ${OBJECT_BYTES} byte object at once, RSS ${rss.startMb} MB\n`);
        const { statuses, refusedWithoutRetryAfter } = await retryingClients(
            GETS,
            MAX_TRIES,
            () => fetch(`${server.url}/objects/big.bin`),
            async (res) => {
                const body = await res?.arrayBuffer().catch(() => undefined);
                if (res?.status === 200) {
                    if (body?.byteLength !== OBJECT_BYTES) wrongLength++;
                    served++;
                    return true;
                }
                const error = `${res?.status ?? "no answer"} ${errorOf(body)}`;
                errors[error] = (errors[error] ?? 0) + 1;
                return false;
            },
        );
        rss.stop();
        console.log(
            JSON.stringify({
                backend: values.backend,
                gets: GETS,
                objectBytes: OBJECT_BYTES,
                bytesInFlight: Math.max(BYTES_IN_FLIGHT, OBJECT_BYTES),
                served,
                wrongLength,
                statuses,
                errors,
                refusedWithoutRetryAfter,
                seconds: Math.round((performance.now() - started) / 100) / 10,
                ...rss.figures(),
            }),
        );
    } finally {
        await server.stop();
        await backend.close();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
