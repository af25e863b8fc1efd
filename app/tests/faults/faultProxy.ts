import { once } from "node:events";
import { IncomingMessage, ServerResponse, createServer, request } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { sendPaced } from "./pacedAnswer";

/**
 * What the proxy does to a faulted storage call. "-after-store" faults let S3 do the work first and then
 * lose the answer: the object is stored, the service never hears it was (the dangerous case).
 */
export type Fault = "latency" | "reset" | "reset-after-store" | "error500" | "error503" | "stall" | "stall-after-store";

export interface FaultPlan {
    /** Faults drawn in turn for the faulted calls. */
    faults: Fault[];
    /** Share of storage calls that get a fault, 0..1. */
    rate: number;
    /** Added delay for "latency". */
    latencyMs?: number;
    /** Answers' bodies flow at this rate, in 10 ms ticks (a slow link from storage); at once without it. */
    answerBytesPerSecond?: number;
}

export interface FaultProxy {
    url: string;
    /** Change what the proxy does from now on (`rate: 0`: a plain proxy). */
    plan(plan: FaultPlan): void;
    stats: { calls: number; faulted: Record<string, number>; conditionalRefusals: number };
    close(): Promise<void>;
}

const NO_FAULTS: FaultPlan = { faults: [], rate: 0 };

/** A small deterministic random source (mulberry32), so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** S3's XML error document; `extra` holds elements S3 adds after the message (a 412's Condition). */
const s3Error = (res: ServerResponse, status: number, code: string, message: string, extra = "") =>
    res.writeHead(status, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>${extra}</Error>`);

/**
 * S3's refusal of a conditional write, on the wire: "At least one of the pre-conditions you specified did not hold"
 * (hyphenated, no period, unlike the API reference's description), followed by a Condition element naming the header
 * (floci-io/floci#1329 review, from S3's answers as moto and LocalStack reproduce them).
 */
export const preconditionFailed = (res: ServerResponse) =>
    s3Error(res, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "<Condition>If-None-Match</Condition>");

/**
 * A loopback proxy in front of an S3-protocol server (s3rver) that adds latency, resets connections, answers
 * 500/503 or stalls, for a share of the calls. It also gives s3rver what it lacks and the service relies on:
 * S3's conditional write: `If-None-Match: *` on a key that exists is 412, and of concurrent writes of a key "the
 * first to finish wins and later ones get 412" (S3 User Guide, "Conditional writes"), so one that arrives while a
 * write of its key is in flight waits for that write's answer. It is the only way to the bucket in the fault
 * tests, so the keys it has seen written are the keys that exist.
 */
export async function startFaultProxy(upstream: string, seed = 1): Promise<FaultProxy> {
    const random = seededRandom(seed);
    let current = NO_FAULTS;
    let drawn = 0;
    const written = new Set<string>();
    /** Each key's write in flight, settled when its answer is known. */
    const writing = new Map<string, Promise<void>>();
    const sockets = new Set<Socket>();
    const stats = { calls: 0, faulted: {} as Record<string, number>, conditionalRefusals: 0 };

    const forward = (req: IncomingMessage, body: Buffer, onAnswer: (status: number, headers: IncomingMessage["headers"], answer: Buffer) => void, onError: () => void) => {
        const upstreamReq = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, async (answer) => {
            const chunks: Buffer[] = [];
            try {
                for await (const c of answer) chunks.push(c as Buffer);
            } catch {
                return onError();
            }
            onAnswer(answer.statusCode!, answer.headers, Buffer.concat(chunks));
        });
        upstreamReq.on("error", onError);
        upstreamReq.end(body);
    };

    const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        stats.calls++;
        const key = new URL(req.url!, "http://s3.local").pathname;
        const conditional = req.method === "PUT" && req.headers["if-none-match"] === "*";
        const fault = current.rate > 0 && random() < current.rate ? current.faults[drawn++ % current.faults.length] : undefined;
        if (fault) stats.faulted[fault] = (stats.faulted[fault] ?? 0) + 1;

        if (fault === "reset") return req.socket.destroy();
        if (fault === "stall") return; // never answers; the client gives up
        // S3's words: "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try
        // again.</Message><RequestId>..." (SlideRuleEarth/sliderule#454); "HTTP response code: 503 ... Exception name:
        // SlowDown Error message: Please reduce your request rate." from server AmazonS3 (pingcap/tiflash#10538).
        if (fault === "error500") return s3Error(res, 500, "InternalError", "We encountered an internal error. Please try again.");
        if (fault === "error503") return s3Error(res, 503, "SlowDown", "Please reduce your request rate.");
        if (fault === "latency") await new Promise((r) => setTimeout(r, current.latencyMs ?? 100));

        while (conditional && writing.has(key)) await writing.get(key);
        if (conditional && written.has(key)) {
            stats.conditionalRefusals++;
            return preconditionFailed(res);
        }
        const isPut = req.method === "PUT";
        let settle = () => {};
        const inFlight = new Promise<void>((resolve) => (settle = resolve));
        if (isPut) writing.set(key, inFlight);
        // Only this write's entry goes: an unconditional PUT of the key may have replaced it meanwhile.
        const done = () => {
            if (writing.get(key) === inFlight) writing.delete(key);
            settle();
        };
        forward(
            req,
            body,
            (status, headers, answer) => {
                if (isPut && status < 300) written.add(key);
                if (isPut) done();
                if (fault === "reset-after-store") return req.socket.destroy();
                if (fault === "stall-after-store") return;
                sendPaced(res, status, headers, answer, current.answerBytesPerSecond);
            },
            () => {
                if (isPut) done();
                // The harness's own words, not S3's: the local stand-in behind the proxy failed, which no test provokes.
                if (!res.headersSent) s3Error(res, 502, "BadGateway", "upstream failed");
            },
        );
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
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
