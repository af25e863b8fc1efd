import { DeployedTarget } from "../types";

/** One smoke-test route's result. */
export interface SmokeResult {
    route: string;
    ok: boolean;
    /** What came back, e.g. `200` or `503 {"status":"draining"}`. */
    detail: string;
}

/** What the bounded load measured on the new version alone. */
export interface LoadFigures {
    seconds: number;
    requests: number;
    /** 5xx, 429 and requests without an answer. */
    errors: number;
    /** Answered requests per second over the load's own duration. */
    requestsPerSecond: number;
    healthP95Ms?: number;
    apiP95Ms?: number;
    /**
     * What the latencies are: each round trip less the network between the release's runner and the region
     * (`networkMs`, found with the answers' Server-Timing: load.ts versionLatencies), or the round trips themselves
     * when no answer said its time (a version built before it).
     */
    timedBy?: "round trip less the network" | "round trip";
    networkMs?: number;
}

/** Verification of the new version: the smoke test, then (only if it passed) the load. */
export interface ProbeReport {
    smoke: SmokeResult[];
    load?: LoadFigures;
}

export interface HealthResult {
    ok: boolean;
    detail: string;
    /** The HTTP status, when there was an answer. */
    status?: number;
    /**
     * The platform's front answered, not the service: a 429 or 5xx without the service's Server-Timing (Cloud Run's
     * own "Rate exceeded." or "Service Unavailable"), which never reached an instance.
     */
    fromFront?: boolean;
}

/** Reaches one cloud's new version alone, before and while traffic moves to it. */
export interface CandidateProbe {
    verify(target: DeployedTarget, load: { requestsPerSecond: number; seconds: number }): Promise<ProbeReport>;
    /** One GET /health of the new version alone. */
    health(target: DeployedTarget): Promise<HealthResult>;
    /**
     * What the probe will present, had now, for what the stack runs before the release changes it (Cloud Run: the ID
     * token for the service's URL, kept for the probes after); rejects when it cannot be had.
     */
    credentials?(running: DeployedTarget): Promise<void>;
}
