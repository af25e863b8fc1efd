/** How long a request may take on each enabled cloud: what storage deadlines and latency thresholds must fit in. */
type Loose = Record<string, any>;

export const DEFAULT_LAMBDA_TIMEOUT_SECONDS = 30;
/** How long the release's probe waits for each answer: a slower one is no answer, an error, never a latency. */
export const RELEASE_PROBE_TIMEOUT_MS = 10_000;
export const DEFAULT_CLOUD_RUN_REQUEST_TIMEOUT_SECONDS = 300;
/**
 * The service's per-client limit, which no stack setting changes (app/src/settings.ts's RATE_LIMIT_REQUESTS and
 * RATE_LIMIT_WINDOW_SECONDS defaults): requests per fixed window, counted in each instance's memory.
 */
export const SERVICE_RATE_LIMIT = { requests: 6000, windowSeconds: 60 };

export interface RequestLimit {
    cloud: "aws" | "gcp";
    /** The setting it comes from, for messages. */
    key: string;
    ms: number;
}

/** The request timeouts of the enabled clouds, as set or the schema's defaults. */
export function requestLimits(aws: Loose, gcp: Loose): RequestLimit[] {
    const seconds = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback) * 1000;
    return [
        ...(aws.enabled !== false ? [{ cloud: "aws" as const, key: "aws.timeoutSeconds", ms: seconds(aws.timeoutSeconds, DEFAULT_LAMBDA_TIMEOUT_SECONDS) }] : []),
        ...(gcp.enabled !== false ? [{ cloud: "gcp" as const, key: "gcp.requestTimeoutSeconds", ms: seconds(gcp.requestTimeoutSeconds, DEFAULT_CLOUD_RUN_REQUEST_TIMEOUT_SECONDS) }] : []),
    ];
}
