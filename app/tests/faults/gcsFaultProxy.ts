import { once } from "node:events";
import { IncomingHttpHeaders, ServerResponse, createServer, request } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { gcsError } from "../gcs/gcsErrors";
import { seededRandom } from "./faultProxy";
import { sendPaced } from "./pacedAnswer";

/**
 * What the proxy does to a faulted GCS call: "stall-after-store" lets the stand-in store, then loses the answer;
 * "reset-after-store" lets it store, then resets the connection (which the SDK retries); "stall-mid-body" sends the
 * answer's headers and the first half of its body, then nothing; "corrupt-body" sends a 2xx answer with its headers
 * (x-goog-hash included) and one byte of its body flipped, as a bad link or router would.
 */
export type GcsFault = "error429" | "error500" | "error503" | "stall" | "stall-after-store" | "reset-after-store" | "stall-mid-body" | "corrupt-body";

export interface GcsFaultPlan {
    faults: GcsFault[];
    /** Share of calls faulted, 0..1. */
    rate: number;
    /** At most this many calls faulted under this plan; every later one passes. */
    limit?: number;
    /** Answers' bodies flow at this rate, in 10 ms ticks (a slow link from storage); at once without it. */
    answerBytesPerSecond?: number;
}

export interface GcsFaultProxy {
    url: string;
    plan(plan: GcsFaultPlan): void;
    stats: { calls: number; faulted: Record<string, number> };
    /** Each stall-mid-body: when the proxy stopped sending (performance.now()), and when the client hung up. */
    stalls: { stalledAt: number; closedAt?: number }[];
    close(): Promise<void>;
}

/**
 * A loopback proxy in front of the GCS stand-in that answers 503 in GCS's words (503 Service Unavailable, reason
 * backendError, "Backend Error": see the answer below), never answers, breaks off or damages an answer, for a share of the
 * calls. The stand-in already has GCS's conditional writes, so unlike the S3 proxy (faultProxy.ts) this one adds
 * nothing else.
 */
export async function startGcsFaultProxy(upstream: string, seed = 1): Promise<GcsFaultProxy> {
    const random = seededRandom(seed);
    let current: GcsFaultPlan = { faults: [], rate: 0 };
    let drawn = 0;
    let faultedInPlan = 0;
    const sockets = new Set<Socket>();
    const stats = { calls: 0, faulted: {} as Record<string, number> };
    const stalls: GcsFaultProxy["stalls"] = [];

    /** Sends `body` (up to `upTo` bytes of it) at the plan's rate; `then` runs once that much is sent. */
    const send = (res: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer, upTo = body.length, then?: () => void) =>
        sendPaced(res, status, headers, body, current.answerBytesPerSecond, upTo, then);

    const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        stats.calls++;
        const drawnFault = current.rate > 0 && faultedInPlan < (current.limit ?? Infinity) && random() < current.rate;
        const fault = drawnFault ? current.faults[drawn++ % current.faults.length] : undefined;
        if (fault) {
            faultedInPlan++;
            stats.faulted[fault] = (stats.faulted[fault] ?? 0) + 1;
        }
        if (fault === "stall") return; // never answers; the SDK's attempt timeout gives up
        // GCS's 503 as the .NET client reported it: "Backend Error [503] Errors [ Message[Backend Error] Reason[backendError]
        // Domain[global] ]" (googleapis/google-api-dotnet-client#1277, UploadObjectAsync).
        if (fault === "error503") return gcsError(res, 503, "backendError", "Backend Error");
        // GCS's 500 in the same words: "googleapi: Error 500: Backend Error, backendError" (rclone/rclone#550, uploads to
        // Google Cloud Storage; "(also have seen Error 503)").
        if (fault === "error500") return gcsError(res, 500, "backendError", "Backend Error");
        // GCS's 429 by its reason (Cloud Storage, "HTTP status and error codes for JSON": 429 Too Many Requests,
        // rateLimitExceeded, as storageErrors.test.ts cites it), in domain usageLimits, not global (a write's 429 as
        // google-cloud-java printed the body: `"errors": [{"domain": "usageLimits", "message": "The object <bucket>/<name>
        // exceeded the rate limit for object mutation operations ...", "reason": "rateLimitExceeded"}]`, trinodb/trino#19943).
        // The tests throttle reads, whose words GCS's answers quoted publicly do not show: the message is the stand-in's own.
        if (fault === "error429") return gcsError(res, 429, "rateLimitExceeded", "rate limit exceeded", { domain: "usageLimits" });
        const upstreamReq = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, async (answer) => {
            const parts: Buffer[] = [];
            try {
                for await (const c of answer) parts.push(c as Buffer);
            } catch {
                // This and the next 502 are the harness's own words, not Google's: the local stand-in behind the
                // proxy failed.
                return !res.headersSent && gcsError(res, 502, "badGateway", "the stand-in's answer broke off");
            }
            if (fault === "stall-after-store") return;
            if (fault === "reset-after-store") return req.socket.destroy();
            const body = Buffer.concat(parts);
            const ok = answer.statusCode! < 300 && body.length > 0;
            if (fault === "corrupt-body" && ok) body[body.length >> 1] ^= 0xff;
            if (fault === "stall-mid-body" && ok) {
                return send(res, answer.statusCode!, answer.headers, body, body.length >> 1, () => {
                    const stall: GcsFaultProxy["stalls"][number] = { stalledAt: performance.now() };
                    stalls.push(stall);
                    res.on("close", () => (stall.closedAt = performance.now()));
                });
            }
            send(res, answer.statusCode!, answer.headers, body);
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
            faultedInPlan = 0;
        },
        stats,
        stalls,
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise((r) => server.close(r));
        },
    };
}
