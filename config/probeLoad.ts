/**
 * What the release's probe sends a new version (release/probe/load.ts sends it and judges the answers): here, where
 * the settings check can count it against the service's per-client limit before anything is registered.
 */
import { UNLIMITED_PATHS } from "../app/src/unlimitedPaths";

export interface ProbeRequest {
    method: "GET" | "POST";
    path: string;
    body?: string;
}

export const HEALTH: ProbeRequest = { method: "GET", path: "/health" };
/** A read through the cache and the store that changes nothing: a name that is never written. */
const existsOf = (name: string): ProbeRequest => ({ method: "POST", path: "/objects/exists", body: JSON.stringify({ names: [name] }) });
export const API = existsOf("release-probe/never-stored");

/**
 * The load's API call `n`: a name of its own, so that each call reads the store as a user's question would. One
 * name asked again is answered from each instance's cache of "not there" (app/src/existenceCache.ts, for
 * MISSING_TTL_SECONDS) after its first read, and the p95 would time the cache, not the API.
 */
export const apiCall = (n: number): ProbeRequest => existsOf(`release-probe/never-stored-${n}`);

/** The smoke test's requests, in the order they are sent (app/README.md "Routes"). */
export const SMOKE_REQUESTS = {
    health: HEALTH,
    ready: { method: "GET", path: "/ready" },
    list: { method: "GET", path: "/objects" },
    api: API,
} as const satisfies Record<string, ProbeRequest>;

/** Every HEALTH_EVERY-th load request is a health check; the rest are API calls. */
export const HEALTH_EVERY = 5;
/** The load offers this much more than the rate it must sustain, so an on-time service measures above it. */
export const OFFERED_OVER_REQUIRED = 1.2;

/** The requests a second the load offers to show `minRequestsPerSecond` sustained. */
export function offeredRate(minRequestsPerSecond: number): number {
    return Math.ceil(minRequestsPerSecond * OFFERED_OVER_REQUIRED);
}

/**
 * At most how many requests of one verification the service's per-client limit counts within one of its windows,
 * the smoke test's included: all of them come from one client (the release's address, or on Lambda the event's
 * sourceIp), and at a rate one instance can serve, one instance may get them all. An upper bound: it assumes the
 * smoke test and a whole window of the load share one window.
 */
export function limitedRequestsPerWindow(minRequestsPerSecond: number, seconds: number, windowSeconds: number): number {
    const rate = offeredRate(minRequestsPerSecond);
    const inWindow = Math.min(Math.max(1, Math.round(rate * seconds)), Math.ceil(rate * windowSeconds));
    const healthChecks = Math.ceil(inWindow / HEALTH_EVERY);
    const smoke = Object.values(SMOKE_REQUESTS).filter((request) => !UNLIMITED_PATHS.has(request.path)).length;
    return smoke + inWindow - healthChecks;
}
