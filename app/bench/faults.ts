/**
 * The service's fault figures for `npm run bench` (the root one starts this on the app's Node 24 with tsx and
 * reads the JSON line it prints): the fault-suite runs and the SIGTERM-under-load run of app/tests, at the
 * sizes the issue names. Progress goes to stderr.
 *   node --import tsx bench/faults.ts [--uploads 2000] [--connections 20] [--rate 0.1]
 */
import { parseArgs } from "node:util";
import { FAULT_DEADLINE_MS, faultEnv } from "../tests/faults/faultEnv";
import { Fault, startFaultProxy } from "../tests/faults/faultProxy";
import { acknowledgedButLost, runUploads, summarize } from "../tests/faults/uploadLoad";
import { startServer } from "../tests/helpers";
import { startS3rver } from "../tests/s3rver";

const { values } = parseArgs({ options: { uploads: { type: "string", default: "2000" }, connections: { type: "string", default: "20" }, rate: { type: "string", default: "0.1" } } });
const UPLOADS = Number(values.uploads);
const CONNECTIONS = Number(values.connections);
const RATE = Number(values.rate);
const BUCKET = "bench-bucket";
const SIGTERM = { uploads: UPLOADS, connections: 50, after: Math.round(UPLOADS / 4), drainTimeoutMs: 10_000 };

const GROUPS: [string, Fault[]][] = [
    ["latency", ["latency"]],
    ["resets", ["reset", "reset-after-store"]],
    ["5xx", ["error500", "error503"]],
    ["stalls", ["stall", "stall-after-store"]],
];
const progress = (m: string) => process.stderr.write(`bench (service faults): ${m}\n`);
const round = (n: number) => Math.round(n);

async function main() {
    const s3 = await startS3rver([BUCKET]);
    const bucket = { endpoint: s3.endpoint, name: BUCKET, prefix: "input/" };
    const runs: Record<string, unknown>[] = [];
    try {
        for (const [label, faults] of GROUPS) {
            progress(`${label}: ${UPLOADS} uploads at ${CONNECTIONS} connections, ${RATE * 100} % of storage calls faulted`);
            const proxy = await startFaultProxy(s3.endpoint, 42);
            const server = await startServer(faultEnv(proxy.url, BUCKET));
            try {
                proxy.plan({ faults, rate: RATE, latencyMs: 150 });
                const outcomes = await runUploads({ url: server.url, count: UPLOADS, concurrency: CONNECTIONS, label });
                proxy.plan({ faults: [], rate: 0 });
                const s = summarize(outcomes);
                const lost = (await acknowledgedButLost(outcomes, bucket)).length;
                const faulted = faults.reduce((n, f) => n + (proxy.stats.faulted[f] ?? 0), 0);
                runs.push({ label, faults, calls: proxy.stats.calls, faulted, ...s, lost, p99Ms: round(s.p99Ms), maxMs: round(s.maxMs) });
            } finally {
                await server.stop();
                await proxy.close();
            }
        }

        progress(`SIGTERM under load: ${SIGTERM.uploads} uploads at ${SIGTERM.connections} connections, SIGTERM after ${SIGTERM.after} answers`);
        const proxy = await startFaultProxy(s3.endpoint, 43);
        proxy.plan({ faults: ["latency"], rate: 0.5, latencyMs: 100 });
        const server = await startServer({ ...faultEnv(proxy.url, BUCKET), DRAIN_TIMEOUT_MS: String(SIGTERM.drainTimeoutMs) });
        let signalledAt = 0;
        const exited = server.exited.then((code) => ({ code, at: performance.now() }));
        const outcomes = await runUploads({
            url: server.url,
            count: SIGTERM.uploads,
            concurrency: SIGTERM.connections,
            label: "sigterm",
            onProgress: (done) => {
                if (done === SIGTERM.after) {
                    signalledAt = performance.now();
                    server.child.kill("SIGTERM");
                }
            },
        });
        const exit = await exited;
        await proxy.close();
        const s = summarize(outcomes);
        const sigterm = {
            ...s,
            lost: (await acknowledgedButLost(outcomes, bucket)).length,
            finishedAfterSignal: outcomes.filter((o) => o.storedAs !== undefined && o.endedAt! > signalledAt).length,
            exitCode: exit.code,
            exitMsAfterSignal: round(exit.at - signalledAt),
            drainTimeoutMs: SIGTERM.drainTimeoutMs,
            connections: SIGTERM.connections,
            p99Ms: round(s.p99Ms),
            maxMs: round(s.maxMs),
        };
        console.log(JSON.stringify({ uploads: UPLOADS, connections: CONNECTIONS, rate: RATE, deadlineMs: FAULT_DEADLINE_MS, runs, sigterm }));
    } finally {
        await s3.close();
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
