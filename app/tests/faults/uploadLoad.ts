import { getPriority } from "node:os";
import { S3Store } from "../../src/storage/s3Store";
import { s3rverClientConfig } from "../s3rver";

export interface UploadOutcome {
    /** The name asked for. */
    name: string;
    body: string;
    /** HTTP status, or undefined when the connection failed (reset, refused). */
    status?: number;
    /** For a 2xx: the name the service says it stored the body under. */
    storedAs?: string;
    /** For a non-2xx: the parsed JSON body, or undefined when it was not JSON. */
    errorBody?: unknown;
    retryAfter?: string | null;
    /** When there was no answer: the connection's error code (ECONNREFUSED: nobody listening; else a reset). */
    networkError?: string;
    ms: number;
    /** How long the service itself took, as its Server-Timing `total;dur=` says; absent when it did not say. */
    serviceMs?: number;
    /** performance.now() when the answer (or the failure) came. */
    endedAt?: number;
}

export interface LoadSummary {
    requests: number;
    acknowledged: number;
    /** Acknowledged under another name than asked: with a name per upload, a retry that took its own first attempt for a rival's. */
    renamed: number;
    refused503: number;
    otherStatuses: Record<string, number>;
    /** Requests that failed without an answer on a connection that was open (reset, closed under them). */
    resets: number;
    /** Requests that could not connect at all: nothing was listening any more. */
    connectionsRefused: number;
    p99Ms: number;
    maxMs: number;
    /** The longest the service itself took over an answer, as its Server-Timing says (0 when none did). */
    maxServiceMs: number;
}

/** Runs `count` uploads of distinct names, `concurrency` at a time, each with a unique body; `onProgress` hears each one finish. */
export async function runUploads(options: { url: string; count: number; concurrency: number; label: string; onProgress?: (done: number) => void }): Promise<UploadOutcome[]> {
    const outcomes: UploadOutcome[] = [];
    let next = 0;
    const worker = async () => {
        while (next < options.count) {
            const i = next++;
            const name = `${options.label}/u${i}.txt`;
            const body = `${options.label} upload ${i} ${Math.random().toString(36).slice(2)}`;
            const started = performance.now();
            const outcome: UploadOutcome = { name, body, ms: 0 };
            try {
                const res = await fetch(`${options.url}/objects/${name}`, { method: "PUT", body, headers: { "content-type": "text/plain" } });
                outcome.status = res.status;
                outcome.serviceMs = serviceTime(res.headers.get("server-timing"));
                const text = await res.text();
                if (res.ok) outcome.storedAs = JSON.parse(text).name;
                else {
                    outcome.retryAfter = res.headers.get("retry-after");
                    try {
                        outcome.errorBody = JSON.parse(text);
                    } catch {
                        outcome.errorBody = undefined;
                    }
                }
            } catch (err) {
                const cause = (err as { cause?: { code?: string } }).cause;
                outcome.networkError = cause?.code ?? (err as Error).name;
            }
            outcome.endedAt = performance.now();
            outcome.ms = outcome.endedAt - started;
            outcomes.push(outcome);
            options.onProgress?.(outcomes.length);
        }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return outcomes;
}

export function summarize(outcomes: UploadOutcome[]): LoadSummary {
    const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const otherStatuses: Record<string, number> = {};
    for (const o of outcomes) if (o.status !== undefined && !(o.status >= 200 && o.status < 300) && o.status !== 503) otherStatuses[o.status] = (otherStatuses[o.status] ?? 0) + 1;
    return {
        requests: outcomes.length,
        acknowledged: outcomes.filter((o) => o.storedAs !== undefined).length,
        renamed: outcomes.filter((o) => o.storedAs !== undefined && o.storedAs !== o.name).length,
        refused503: outcomes.filter((o) => o.status === 503).length,
        otherStatuses,
        resets: outcomes.filter((o) => o.status === undefined && o.networkError !== "ECONNREFUSED").length,
        connectionsRefused: outcomes.filter((o) => o.networkError === "ECONNREFUSED").length,
        p99Ms: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN,
        maxMs: sorted[sorted.length - 1] ?? NaN,
        maxServiceMs: Math.max(0, ...outcomes.flatMap((o) => (o.serviceMs === undefined ? [] : [o.serviceMs]))),
    };
}

/**
 * Reads every acknowledged upload straight from the bucket (not through the service or the proxy) and returns
 * those that are not there with exactly the body sent: acknowledged-but-lost. Non-2xx uploads are not checked:
 * they may or may not have been stored, which the service allows (it never said they were).
 */
export async function acknowledgedButLost(outcomes: UploadOutcome[], bucket: { endpoint: string; name: string; prefix: string }): Promise<UploadOutcome[]> {
    const store = new S3Store(bucket.name, bucket.prefix, s3rverClientConfig(bucket.endpoint));
    const acknowledged = outcomes.filter((o) => o.storedAs !== undefined);
    const lost: UploadOutcome[] = [];
    let next = 0;
    const reader = async () => {
        while (next < acknowledged.length) {
            const o = acknowledged[next++];
            const got = await store.get(`${bucket.prefix}${o.storedAs}`);
            if (!got || new TextDecoder().decode(got.body) !== o.body) lost.push(o);
        }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    return lost;
}

/**
 * What a too-slow answer's failure should say besides its wall time: how long the service itself said it took
 * (Server-Timing; the rest went before its handler ran or in this process, which holds the client, the fault proxy
 * and the storage stand-in) and this process's niceness (the service's processes inherit it). A run below the
 * priority of other work on the machine is starved, and its deadlines with it.
 */
export function slowAnswerContext(s: LoadSummary): string {
    return `the service's own time at most ${Math.round(s.maxServiceMs)} ms (Server-Timing); this process at nice ${getPriority()}`;
}

/** The `total` duration of the service's Server-Timing header (hono/timing: `total;dur=12.3;desc="service"`). */
function serviceTime(header: string | null): number | undefined {
    const dur = Number(/(?:^|,)\s*total;[^,]*dur=([0-9.]+)/.exec(header ?? "")?.[1]);
    return Number.isFinite(dur) ? dur : undefined;
}
