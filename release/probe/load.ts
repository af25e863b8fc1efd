/**
 * The verification of a new version alone: a smoke test of the service's routes (app/README.md "Routes"), then a
 * bounded load paced at a fixed rate for a fixed time, with at most MAX_IN_FLIGHT requests outstanding, so a slow
 * version shows up as fewer requests per second instead of an ever-growing queue. Node's http/https or the Lambda
 * SDK does the sending (transport.ts): no load tool at run time, since the probe must present each cloud's own
 * credentials (SigV4 through the SDK, a Google ID token) on every request.
 */
import { HEALTH, HEALTH_EVERY, SMOKE_REQUESTS, apiCall, offeredRate } from "../../config/probeLoad";
import { RELEASE_PROBE_TIMEOUT_MS } from "../../config/requestLimits";
import { within } from "../../scripts/build/within";
import { smallest } from "../extremes";
import { HealthResult, LoadFigures, ProbeReport, SmokeResult } from "./probeReport";
import { ProbeRefused, ProbeRequest, ProbeResponse, Transport } from "./transport";

/** What each smoke request's answer must be. */
const ACCEPT: Record<keyof typeof SMOKE_REQUESTS, (status: number, body: string) => boolean> = {
    health: (status, body) => status === 200 && jsonField(body, "status") !== undefined,
    ready: (status) => status === 200,
    list: (status) => status === 200,
    api: (status, body) => status === 200 && jsonField(body, "exists") !== undefined,
};
const SMOKE = (Object.keys(SMOKE_REQUESTS) as (keyof typeof SMOKE_REQUESTS)[]).map((name) => ({ request: SMOKE_REQUESTS[name] as ProbeRequest, accept: ACCEPT[name] }));

export const MAX_IN_FLIGHT = 64;
export const REQUEST_TIMEOUT_MS = RELEASE_PROBE_TIMEOUT_MS;

/**
 * The longest a verification can take: its credentials (Transport.prepare, at most PROBE_CREDENTIALS_WORST_SECONDS),
 * every smoke request timing out, the warm-up, then the load, which starts no request after its seconds, and its last
 * answers.
 */
export function verificationWorstCaseSeconds(loadSeconds: number): number {
    return PROBE_CREDENTIALS_WORST_SECONDS + ((SMOKE.length + 2) * REQUEST_TIMEOUT_MS) / 1000 + loadSeconds + LATE_START_GRACE_MS / 1000;
}

/** How late past its seconds the load may still start a request that was due within them. */
const LATE_START_GRACE_MS = 1000;

/**
 * The longest Transport.prepare may take: Cloud Run's ID token, an access token from application default credentials
 * (APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS, scripts/google/accessToken.ts), then MINT_ATTEMPTS of at most MINT_TIMEOUT_MS and the
 * waits between (cloudRunTransport.ts).
 */
export const PROBE_CREDENTIALS_WORST_SECONDS = 50;

export async function verifyCandidate(send: Transport, load: { requestsPerSecond: number; seconds: number }): Promise<ProbeReport> {
    const smoke: SmokeResult[] = [];
    for (const { request, accept } of SMOKE) {
        const route = `${request.method} ${request.path}`;
        try {
            const { status, body } = await timed(send, request);
            smoke.push({ route, ok: accept(status, body), detail: `${status} ${body.slice(0, 200)}`.trim() });
        } catch (err) {
            if (err instanceof ProbeRefused) throw err;
            smoke.push({ route, ok: false, detail: `no answer: ${(err as Error).message}` });
        }
    }
    if (smoke.some((s) => !s.ok)) return { smoke };
    return { smoke, load: await pacedLoad(send, offeredRate(load.requestsPerSecond), load.seconds) };
}

/** One request, given REQUEST_TIMEOUT_MS once what it needs is had (Transport.prepare, untimed). */
async function timed(send: Transport, request: ProbeRequest): Promise<ProbeResponse> {
    await send.prepare?.();
    return withTimeout(send(request));
}

/** One GET /health: healthy on a 200 within REQUEST_TIMEOUT_MS. A probe the platform refused (ProbeRefused) throws. */
export async function checkHealth(send: Transport): Promise<HealthResult> {
    try {
        const { status, body, serviceMs } = await timed(send, HEALTH);
        return { ok: status === 200, detail: `${status} ${body.slice(0, 200)}`.trim(), status, fromFront: status >= 429 && serviceMs === undefined };
    } catch (err) {
        if (err instanceof ProbeRefused) throw err;
        return { ok: false, detail: `no answer: ${(err as Error).message}` };
    }
}

/**
 * How long, at most, the warm-up expects one request to take: it opens the sockets a load of `rate` keeps busy when
 * each answer takes this long (150 ms of network from the release's runner, and then some).
 */
const WARM_UP_ANSWER_SECONDS = 0.5;

/** How many connections the warm-up opens for a load of `rate`, at once. */
export function warmUpRequests(rate: number): number {
    return Math.min(MAX_IN_FLIGHT, Math.ceil(rate * WARM_UP_ANSWER_SECONDS));
}

/**
 * Opens the keep-alive sockets the load will use, untimed (Lambda: by DryRun Invokes, which run nothing): each new socket costs a TCP and TLS handshake, two more
 * round trips, before its first request, which no Server-Timing says; timed, the sockets a load opens as it ramps up
 * (about 28 at 60 req/s from 150 ms away) would be a 300 ms p95 of the version's.
 */
async function warmUp(send: Transport, rate: number): Promise<void> {
    await send.prepare?.();
    const open: () => Promise<unknown> = send.openConnection ?? (() => send(HEALTH));
    const answers = await Promise.allSettled(Array.from({ length: warmUpRequests(rate) }, () => withTimeout(open())));
    const refused = answers.find((a): a is PromiseRejectedResult => a.status === "rejected" && a.reason instanceof ProbeRefused);
    if (refused) throw refused.reason;
}

/**
 * `rate` requests a second for `seconds`, started on schedule unless MAX_IN_FLIGHT are still outstanding, after a
 * warm-up that opens the sockets they will use (warmUp).
 */
export async function pacedLoad(send: Transport, rate: number, seconds: number): Promise<LoadFigures> {
    await warmUp(send, rate);
    const total = Math.max(1, Math.round(rate * seconds));
    const answers: Timed[] = [];
    let errors = 0;
    let answered = 0;
    let refused: ProbeRefused | undefined;
    const inFlight = new Set<Promise<void>>();
    const start = performance.now();
    // A refusal of the probe itself (its credentials expired, its token no longer minted) ends the load: what follows
    // would be refused too, and says nothing of the version.
    let started = 0;
    for (let i = 0; i < total && !refused; i++) {
        const due = start + (i * 1000) / rate;
        // Behind schedule (the runner stalled), still yield once: the answers that came meanwhile, a refusal among
        // them, are counted before the next request goes out.
        await sleep(Math.max(0, due - performance.now()));
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        if (refused) break;
        // A version too slow for the pace keeps every slot busy: the load still ends on time (a second's grace for a
        // loop that is merely late), and what it could not send shows as fewer requests a second.
        if (performance.now() - start > seconds * 1000 + LATE_START_GRACE_MS) break;
        started++;
        const isHealth = i % HEALTH_EVERY === 0;
        if (send.prepare) {
            try {
                await send.prepare();
            } catch (err) {
                if (!(err instanceof ProbeRefused)) throw err;
                refused ??= err;
                break;
            }
        }
        const sent = performance.now();
        const one: Promise<void> = withTimeout(send(isHealth ? HEALTH : apiCall(i))).then(
            ({ status, serviceMs }) => {
                const roundTrip = performance.now() - sent;
                if (status >= 500 || status === 429) errors++;
                else answered++;
                answers.push({ isHealth, roundTrip, serviceMs });
            },
            (err) => {
                if (err instanceof ProbeRefused) refused ??= err;
                else errors++;
            },
        );
        const tracked = one.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
    }
    await Promise.all(inFlight);
    if (refused) throw refused;
    const elapsed = (performance.now() - start) / 1000;
    const { latencies, networkMs } = versionLatencies(answers);
    return {
        seconds: round(elapsed),
        requests: started,
        errors,
        requestsPerSecond: round(answered / elapsed),
        healthP95Ms: percentile(latencies.filter((_, i) => answers[i].isHealth), 95),
        apiP95Ms: percentile(latencies.filter((_, i) => !answers[i].isHealth), 95),
        ...(networkMs === undefined ? { timedBy: "round trip" as const } : { timedBy: "round trip less the network" as const, networkMs: round(networkMs) }),
    };
}

/** One answered request: the probe's round trip, and the service's own time when its answer said it (Server-Timing). */
interface Timed {
    isHealth: boolean;
    roundTrip: number;
    serviceMs?: number;
}

/**
 * What each answer took the version, less the network between the release's runner and the region: the release job
 * runs on GitHub's hosted runners (East US 2, as GitHub has said), about 150 ms from either region, which alone would
 * fail the 100 ms health gate and is none of the version's doing. The network is the least any answer spent outside
 * the service (its round trip less its Server-Timing), taken from every round trip: what remains is the service's
 * time plus what waiting for it cost (a queue at the front, a cold start), which the service's own figure leaves out.
 * Without any Server-Timing (a version built before it) the round trips are the latencies.
 */
export function versionLatencies(answers: readonly Timed[]): { latencies: number[]; networkMs?: number } {
    const outside = answers.filter((a) => a.serviceMs !== undefined).map((a) => a.roundTrip - (a.serviceMs as number));
    if (outside.length === 0) return { latencies: answers.map((a) => a.roundTrip) };
    const networkMs = Math.max(0, smallest(outside));
    return { latencies: answers.map((a) => Math.max(0, a.roundTrip - networkMs)), networkMs };
}

/** Nearest-rank percentile; undefined with no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
    if (values.length === 0) return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

const withTimeout = <T>(promise: Promise<T>): Promise<T> => within(promise, REQUEST_TIMEOUT_MS);

function jsonField(body: string, field: string): unknown {
    try {
        return JSON.parse(body)?.[field];
    } catch {
        return undefined;
    }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number) => Math.round(value * 100) / 100;
