/**
 * The release probe's own overhead (release/probe/load.ts): its paced load against a loopback server that answers
 * at once, so what it reports is the probe's (fetch, pacing, bookkeeping), not a service's: the floor under its p95
 * figures, the CPU it spends per request, and how close it holds its pace. The server shares the probe's process
 * (and its event loop), so its little work is counted in: an upper bound on the probe's own cost.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { httpTransport } from "../../release/probe/cloudRunTransport";
import { offeredRate } from "../../config/probeLoad";
import { pacedLoad, warmUpRequests } from "../../release/probe/load";
import { Figure, progress } from "./figure";
import { round } from "./stats";

/** The checklist's 50 req/s, offered as the release offers it, for 10 s. */
const REQUIRED_RPS = 50;
const SECONDS = 10;

export async function releaseProbeOverhead(): Promise<Figure[]> {
    const server = http.createServer((req, res) => {
        req.resume();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/health" ? '{"status":"ok"}' : '{"exists":{}}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rate = offeredRate(REQUIRED_RPS);
    progress(`release probe overhead: ${rate} req/s for ${SECONDS} s against a server that answers at once`);
    try {
        const cpu = process.cpuUsage();
        const load = await pacedLoad(httpTransport(url), rate, SECONDS);
        const used = process.cpuUsage(cpu);
        // The warm-up's requests (they open the sockets first, untimed) are CPU of the probe's too.
        const cpuMsPerRequest = (used.user + used.system) / 1000 / (load.requests + warmUpRequests(rate));
        const floor = Math.max(load.healthP95Ms ?? 0, load.apiP95Ms ?? 0);
        const detail = `${load.requests} requests in ${load.seconds} s, ${load.errors} errors; health p95 ${load.healthP95Ms} ms, API p95 ${load.apiP95Ms} ms`;
        return [
            // A tenth of the tightest latency gate (release.verify.healthP95Ms, 100 ms) leaves the service the rest.
            { name: "release probe: own p95 latency floor", value: round(floor, 2), unit: "ms", target: "< 10 ms", pass: floor < 10, detail },
            { name: "release probe: CPU per request", value: round(cpuMsPerRequest, 3), unit: "ms", target: "reported", pass: undefined },
            { name: "release probe: pace held", value: round(load.requestsPerSecond, 1), unit: "req/s", target: `>= ${REQUIRED_RPS} (offered ${rate})`, pass: load.requestsPerSecond >= REQUIRED_RPS },
        ];
    } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    }
}
