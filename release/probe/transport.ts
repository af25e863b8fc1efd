import type { ProbeRequest } from "../../config/probeLoad";
import { untrustedIssuerSaid } from "../../components/noAnswer";

/** One HTTP request to the new version alone, however its cloud reaches it (a Lambda Invoke, a tagged Cloud Run URL). */
export type { ProbeRequest };

export interface ProbeResponse {
    status: number;
    body: string;
    /** How long the service took, as its Server-Timing `total;dur=` says (serviceTime); absent when it did not say. */
    serviceMs?: number;
}

/** The `total` metric's duration of a Server-Timing header (W3C Server Timing: `name;dur=<ms>;desc=...`, comma-separated). */
export function serviceTime(header: string | undefined): number | undefined {
    const total = header?.split(",").find((metric) => metric.trim().split(";")[0].trim() === "total");
    const dur = Number(total && /;\s*dur=([0-9.]+)/.exec(total)?.[1]);
    return Number.isFinite(dur) ? dur : undefined;
}

/**
 * Resolves with the service's answer; rejects when none came (network, invoke or function error). `openConnection`,
 * where the transport has one, opens a connection to where the requests go without running the version (a Lambda
 * Invoke's DryRun); without it, a health check does. `prepare`, where it has one, gets what a request needs before
 * the request is timed (Cloud Run: the ID token), rejecting with ProbeRefused when that cannot be had.
 */
export type Transport = ((request: ProbeRequest) => Promise<ProbeResponse>) & { openConnection?: () => Promise<void>; prepare?: () => Promise<void> };

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

/**
 * A connection whose certificate's issuer Node does not trust (a proxy that inspects TLS with the company's own CA) says
 * nothing of the version: a refusal of the probe, naming the code and what to set, never a check the version failed.
 */
export function probeCannotTrust(target: string, err: Error): ProbeRefused | undefined {
    const said = untrustedIssuerSaid(err);
    return said ? new ProbeRefused(`the probe could not reach ${target}: ${err.message} ${said}`, { cause: err }) : undefined;
}
