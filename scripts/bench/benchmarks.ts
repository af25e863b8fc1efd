/** The benchmark's run: main.ts answers the arguments first, and loads this module (autocannon, the Pulumi SDKs) only to run it. */
import * as fs from "fs";
import * as path from "path";
import { Figure, progress } from "./figure";
import { limiterCost } from "./limiterCost";
import { lambdaAnswer } from "./lambdaAnswer";
import { load } from "./load";
import { machineReference } from "./machine";
import { ROOT, startService, stop, timeCommand } from "./processes";
import { underMocks, underPulumiRunner } from "./programEvaluation";
import { report } from "./report";
import { readMemory, soak, storageFaults, uploadMemory } from "./serviceResilience";
import { median, round } from "./stats";
import { testSuite } from "./testSuite";

const COLD_START_RUNS = 10;
const LOAD = { connections: 10, seconds: 5 };
const SERVER_ENTRY = path.join(ROOT, "app", "dist", "server.js");

async function coldStart(): Promise<Figure[]> {
    progress(`cold start: spawn until /ready answers 200, ${COLD_START_RUNS} runs`);
    const times: number[] = [];
    for (let i = 0; i < COLD_START_RUNS; i++) {
        const { child, readyMs } = await startService(SERVER_ENTRY, 18_100 + i);
        times.push(readyMs);
        await stop(child);
    }
    const ms = median(times);
    return [{ name: `cold start to /ready, median of ${COLD_START_RUNS}`, value: round(ms, 0), unit: "ms", target: "<= 300 ms", pass: ms <= 300 }];
}

async function serviceLoad(): Promise<Figure[]> {
    const port = 18_200;
    // Every request here comes from one loopback client: the per-client limit (6,000 a minute by default) would
    // answer most of them 429, so it is lifted; what the limiter itself costs is limiterCost.ts's row.
    const { child } = await startService(SERVER_ENTRY, port, { RATE_LIMIT_REQUESTS: "1000000" });
    const base = `http://127.0.0.1:${port}`;
    try {
        const put = await fetch(`${base}/objects/bench.txt`, { method: "PUT", body: "hello, bench" });
        if (put.status !== 201) throw new Error(`seeding the object failed: ${put.status} ${await put.text()}`);
        const stored = ((await put.json()) as { name: string }).name;
        const routes = [
            { label: "GET /health", url: `${base}/health`, strict: true },
            { label: "GET /objects/:name", url: `${base}/objects/${encodeURIComponent(stored)}`, strict: true },
            { label: "PUT /objects/:name (upload)", url: `${base}/objects/upload.txt`, method: "PUT" as const, body: "x".repeat(1024), strict: false },
        ];
        const figures: Figure[] = [];
        for (const route of routes) {
            progress(`load: ${route.label}, ${LOAD.connections} connections for ${LOAD.seconds} s`);
            const r = await load({ url: route.url, method: route.method, body: route.body, ...LOAD });
            const detail = `p50 ${round(r.p50, 2)} ms, p95 ${round(r.p95, 2)} ms, p99 ${round(r.p99, 2)} ms, errors ${r.errors}, non-2xx ${r.non2xx}`;
            figures.push(
                {
                    name: `${route.label}: requests/s`,
                    value: round(r.requestsPerSecond, 0),
                    unit: "req/s",
                    target: route.strict ? ">= 5000" : "> 50 (runbook)",
                    pass: (route.strict ? r.requestsPerSecond >= 5000 : r.requestsPerSecond > 50) && r.errors === 0 && r.non2xx === 0,
                    detail,
                },
                route.strict
                    ? { name: `${route.label}: p99 latency`, value: round(r.p99, 2), unit: "ms", target: "< 20 ms", pass: r.p99 < 20 }
                    : { name: `${route.label}: p95 latency`, value: round(r.p95, 2), unit: "ms", target: "< 500 ms (runbook)", pass: r.p95 < 500 },
            );
        }
        return figures;
    } finally {
        await stop(child);
    }
}

function directorySize(dir: string): number {
    if (!fs.existsSync(dir)) return 0;
    let total = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        total += entry.isDirectory() ? directorySize(full) : fs.statSync(full).size;
    }
    return total;
}

function imagePayload(): Figure[] {
    const bytes = directorySize(path.join(ROOT, "app", "dist"));
    const mb = bytes / 1e6;
    return [{ name: "service runtime payload (app/dist bundle)", value: round(mb, 2), unit: "MB", target: "<= 20 MB", pass: bytes > 0 && mb <= 20, detail: `${bytes} bytes` }];
}

function offlinePlan(stack: string): Figure[] {
    progress(`offline plan, stack ${stack}: 3 runs`);
    const times = Array.from({ length: 3 }, () => timeCommand(process.execPath, ["scripts/build/run.js", "scripts/plan/main.ts", stack]).ms);
    return [{ name: `offline plan (${stack}), median of 3`, value: round(median(times), 0), unit: "ms", target: "reported", pass: undefined }];
}

/**
 * Runs every benchmark (the whole `npm test` too unless `quick`), prints the table and writes .bench/results.json;
 * answers the exit code, 1 when `npm test` failed.
 */
export async function runBenchmarks(quick: boolean): Promise<0 | 1> {
    progress("building the service bundle (npm --prefix app run build)");
    timeCommand("npm", ["--prefix", "app", "run", "build", "--silent"]);
    const figures: Figure[] = [
        ...machineReference(),
        ...underMocks("dev"),
        ...underMocks("prod"),
        ...(await underPulumiRunner("dev")),
        ...(await underPulumiRunner("prod")),
        ...testSuite(quick),
        ...(await serviceLoad()),
        ...(await limiterCost()),
        ...(await coldStart()),
        ...lambdaAnswer(),
        ...storageFaults(),
        ...soak(),
        ...uploadMemory(),
        ...readMemory(),
        ...(await (await import("./releaseProbe")).releaseProbeOverhead()),
        ...imagePayload(),
        ...offlinePlan("dev"),
        ...offlinePlan("prod"),
    ];
    return report(figures, path.join(ROOT, ".bench", "results.json"));
}
