import { once } from "node:events";
import { createServer, request } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { gcsError } from "../gcs/gcsErrors";
import { seededRandom } from "./faultProxy";

/**
 * What the proxy does to a faulted GCS call: "stall-after-store" lets the stand-in store, then loses the answer;
 * "reset-after-store" lets it store, then resets the connection (which the SDK retries).
 */
export type GcsFault = "error503" | "stall" | "stall-after-store" | "reset-after-store";

export interface GcsFaultPlan {
    faults: GcsFault[];
    /** Share of calls faulted, 0..1. */
    rate: number;
}

export interface GcsFaultProxy {
    url: string;
    plan(plan: GcsFaultPlan): void;
    stats: { calls: number; faulted: Record<string, number> };
    close(): Promise<void>;
}

/**
 * A loopback proxy in front of the GCS stand-in that answers 503 in GCS's words (status-codes page: 503
 * Service Unavailable, reason backendError) or never answers, for a share of the calls. The stand-in already
 * has GCS's conditional writes, so unlike the S3 proxy (faultProxy.ts) this one adds nothing else.
 */
export async function startGcsFaultProxy(upstream: string, seed = 1): Promise<GcsFaultProxy> {
    const random = seededRandom(seed);
    let current: GcsFaultPlan = { faults: [], rate: 0 };
    let drawn = 0;
    const sockets = new Set<Socket>();
    const stats = { calls: 0, faulted: {} as Record<string, number> };

    const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        stats.calls++;
        const fault = current.rate > 0 && random() < current.rate ? current.faults[drawn++ % current.faults.length] : undefined;
        if (fault) stats.faulted[fault] = (stats.faulted[fault] ?? 0) + 1;
        if (fault === "stall") return; // never answers; the SDK's attempt timeout gives up
        if (fault === "error503") return gcsError(res, 503, "backendError", "Backend Error");
        const upstreamReq = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, async (answer) => {
            const body: Buffer[] = [];
            try {
                for await (const c of answer) body.push(c as Buffer);
            } catch {
                return !res.headersSent && gcsError(res, 502, "badGateway", "the stand-in's answer broke off");
            }
            if (fault === "stall-after-store") return;
            if (fault === "reset-after-store") return req.socket.destroy();
            res.writeHead(answer.statusCode!, answer.headers).end(Buffer.concat(body));
        });
        upstreamReq.on("error", () => !res.headersSent && gcsError(res, 502, "badGateway", "the stand-in did not answer"));
        upstreamReq.end(Buffer.concat(chunks));
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        plan: (plan) => {
            current = plan;
        },
        stats,
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise((r) => server.close(r));
        },
    };
}
