import type { ProbeRequest } from "../../config/probeLoad";

/** One HTTP request to the new version alone, however its cloud reaches it (a Lambda Invoke, a tagged Cloud Run URL). */
export type { ProbeRequest };

export interface ProbeResponse {
    status: number;
    body: string;
}

/** Resolves with the service's answer; rejects when none came (network, invoke or function error). */
export type Transport = (request: ProbeRequest) => Promise<ProbeResponse>;
