/**
 * The service under storage faults, SIGTERM under load, a bounded soak, and memory under concurrent maximum-size
 * uploads: app/bench/faults.ts, app/bench/soak.ts and app/bench/uploadMemory.ts run on the app's own Node 24 (the image's) with tsx, and print their figures as JSON.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { Figure, progress } from "./figure";
import { ROOT, SERVICE_NODE } from "./processes";

const APP = path.join(ROOT, "app");
/** The answer may come this much after the storage deadline on a loaded machine (as in the app's tests). */
const MARGIN_MS = 600;

/** Runs one of app/bench's scripts on the service's Node (tsx) and answers the JSON of its last line. */
export function runAppScript(script: string, args: string[]): any {
    const result = spawnSync(SERVICE_NODE, ["--import", "tsx", script, ...args], { cwd: APP, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 16 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stdout}`.slice(0, 4000));
    const line = result.stdout.trim().split("\n").pop()!;
    return JSON.parse(line);
}

interface Run {
    requests: number;
    acknowledged: number;
    lost: number;
    refused503: number;
    otherStatuses: Record<string, number>;
    resets: number;
    connectionsRefused: number;
    renamed: number;
    p99Ms: number;
    maxMs: number;
}
const shown = (r: Run) => `${r.requests} req, ${r.acknowledged} ack, ${r.lost} lost, ${r.refused503} x 503, ${r.resets} resets, p99 ${r.p99Ms} ms, max ${r.maxMs} ms`;

export function storageFaults(uploads = 2000): Figure[] {
    progress(`service under storage faults: ${uploads} uploads per fault at 20 connections, 10 % of storage calls faulted; then SIGTERM at 50 connections`);
    const out = runAppScript("bench/faults.ts", ["--uploads", String(uploads)]);
    const deadline = out.deadlineMs as number;
    const figures: Figure[] = (out.runs as (Run & { label: string; faulted: number; calls: number })[]).map((r) => ({
        name: `faults: ${r.label} (${r.faulted} of ${r.calls} storage calls faulted)`,
        value: r.lost,
        unit: "lost",
        shown: shown(r),
        target: `0 lost, only 2xx/503, max < ${deadline} + ${MARGIN_MS} ms`,
        pass: r.lost === 0 && r.resets === 0 && Object.keys(r.otherStatuses).length === 0 && r.maxMs < deadline + MARGIN_MS,
        detail: `renamed after a retried conditional write found its own first attempt: ${r.renamed}`,
    }));
    const s = out.sigterm as Run & { exitCode: number; exitMsAfterSignal: number; drainTimeoutMs: number; finishedAfterSignal: number; connections: number };
    figures.push({
        name: `SIGTERM under load (${s.connections} connections, server on S3)`,
        value: s.lost,
        unit: "lost",
        shown: `${shown(s)}, ${s.connectionsRefused} refused connections, exit ${s.exitCode} after ${s.exitMsAfterSignal} ms`,
        target: `0 lost, exit 0 < ${s.drainTimeoutMs} ms`,
        pass: s.lost === 0 && s.exitCode === 0 && s.exitMsAfterSignal < s.drainTimeoutMs,
        detail: `${s.finishedAfterSignal} uploads in flight at the signal finished with a 2xx`,
    });
    return figures;
}

export function soak(seconds = 60): Figure[] {
    progress(`service soak: ${seconds} s of mixed reads, uploads and bulk existence checks at 20 connections, on S3 (s3rver)`);
    const s = runAppScript("bench/soak.ts", ["--seconds", String(seconds)]);
    return [
        {
            name: `soak ${s.seconds} s: ${s.requests} requests (${s.reads} reads, ${s.uploads} uploads, ${s.bulkChecks} bulk checks of 50 names)`,
            value: s.rssEndMb,
            unit: "MB",
            shown: `RSS ${s.rssStartMb} -> ${s.rssEndMb} MB (max ${s.rssMaxMb}; middle third max ${s.rssMiddleThirdMaxMb}, last third ${s.rssLastThirdMaxMb}), p99 ${s.p99Ms} ms`,
            target: "last third <= 1.1 x middle third",
            pass: s.plateau && s.non2xx === 0 && s.failed === 0,
        },
        {
            name: "soak: existence cache entries vs CACHE_MAX_ENTRIES",
            value: s.cacheEntries,
            unit: "entries",
            shown: `${s.cacheEntries} / ${s.cacheMaxEntries} (hits ${s.cacheHits}, misses ${s.cacheMisses})`,
            target: "<= CACHE_MAX_ENTRIES",
            pass: s.cacheEntries <= s.cacheMaxEntries,
        },
    ];
}

/** RSS may grow by at most this over its start under 50 concurrent 10 MiB uploads (64 MiB of bodies in flight by default). */
const UPLOAD_MEMORY_TARGET_MB = 300;

export function uploadMemory(uploads = 50): Figure[] {
    progress(`service memory: ${uploads} concurrent maximum-size (10 MiB) uploads to the server on S3 (s3rver), retried after 503 + Retry-After`);
    const m = runAppScript("bench/uploadMemory.ts", ["--uploads", String(uploads)]);
    return [
        {
            name: `server RSS under ${m.uploads} concurrent ${m.bodyBytes / 1024 / 1024} MiB uploads`,
            value: m.rssMaxMb,
            unit: "MB",
            shown: `RSS ${m.rssStartMb} -> max ${m.rssMaxMb} MB; ${m.acknowledged}/${m.uploads} stored in ${m.seconds} s; answers ${JSON.stringify(m.statuses)}`,
            target: `max <= ${UPLOAD_MEMORY_TARGET_MB} MB, all stored, every 503 with Retry-After`,
            pass: m.rssMaxMb <= UPLOAD_MEMORY_TARGET_MB && m.acknowledged === m.uploads && m.refusedWithoutRetryAfter === 0,
            detail: "before the bytes-in-flight cap (MAX_BODY_BYTES_IN_FLIGHT): RSS 98 -> 952 MB on the same run",
        },
    ];
}

/**
 * Reads hold their object's bytes against the same budget (MAX_BODY_BYTES_IN_FLIGHT, 64 MiB at dev's 512Mi): the
 * same ceiling as uploads. Cloud Run stops an instance past its memory limit, 512 MiB on dev.
 */
const READ_MEMORY_TARGET_MB = UPLOAD_MEMORY_TARGET_MB;

export function readMemory(gets = 80): Figure[] {
    progress(`service memory: ${gets} concurrent GETs of one 10 MiB object from the server on the GCS stand-in, retried after 503 + Retry-After`);
    const m = runAppScript("bench/readMemory.ts", ["--gets", String(gets), "--mib", "10", "--backend", "gcs"]);
    const growth = Math.round((m.rssMaxMb - m.rssStartMb) * 10) / 10;
    return [
        {
            name: `server RSS under ${m.gets} concurrent GETs of a ${m.objectBytes / 1024 / 1024} MiB object`,
            value: m.rssMaxMb,
            unit: "MB",
            shown: `RSS ${m.rssStartMb} -> max ${m.rssMaxMb} MB (+${growth}); ${m.served}/${m.gets} served in ${m.seconds} s; answers ${JSON.stringify(m.statuses)}`,
            target: `max <= ${READ_MEMORY_TARGET_MB} MB, all served whole, every 503 with Retry-After`,
            pass: m.rssMaxMb <= READ_MEMORY_TARGET_MB && m.served === m.gets && m.wrongLength === 0 && m.refusedWithoutRetryAfter === 0,
            detail: "before reads were admitted against the budget: RSS 118 -> 1,447 MB on the GCS stand-in",
        },
    ];
}
