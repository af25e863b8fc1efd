import type { ProbeRequest } from "../../config/probeLoad";

/** One HTTP request to the new version alone, however its cloud reaches it (a Lambda Invoke, a tagged Cloud Run URL). */
export type { ProbeRequest };

export interface ProbeResponse {
    status: number;
    body: string;
}

/** Resolves with the service's answer; rejects when none came (network, invoke or function error). */
export type Transport = (request: ProbeRequest) => Promise<ProbeResponse>;

/**
 * The platform refused the probe itself, before the version was asked anything: its identity (Cloud Run's 401 or 403
 * for the ID token, Lambda's AccessDeniedException), or its credentials could not be had. Says nothing of the
 * version, so it is never a failed check of it: the release stops without recording the version as rolled back.
 */
export class ProbeRefused extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "ProbeRefused";
    }
}
