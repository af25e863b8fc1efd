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
     * What the latencies are: the service's own time, as each answer's Server-Timing says (`server-timing`), or the
     * probe's round trip where any answer did not say it (`round trip`: an older version), which includes the network
     * between the release's runner and the region.
     */
    timedBy?: "server-timing" | "round trip";
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
}

/** Reaches one cloud's new version alone, before and while traffic moves to it. */
export interface CandidateProbe {
    verify(target: DeployedTarget, load: { requestsPerSecond: number; seconds: number }): Promise<ProbeReport>;
    /** One GET /health of the new version alone. */
    health(target: DeployedTarget): Promise<HealthResult>;
}
