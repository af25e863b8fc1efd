import { ConnectionFailure, NETWORK_ERROR_WORDS, UnansweredCall, networkCause } from "./noAnswer";

/**
 * How long one attempt of the program's own reads of a cloud or registry may take, its answer's body included: Google's
 * REST APIs (getGoogleApi, the API activation probes), the registries' OCI distribution API (manifests, blobs, pull
 * tokens) and the AWS SDK's calls (aws/awsClient.ts). Without it a server that takes the request and never answers (a
 * proxy that holds the connection) holds the preview: Node's fetch is undici's, whose client gives up only after its
 * headersTimeout and bodyTimeout, 300 s each unless set (undici lib/dispatcher/client.js: `headersTimeout != null ?
 * headersTimeout : 300e3`, as bundled in Node 24's undici 7.x), and the AWS SDK's clients after their default socket
 * timeout, retried: 300 s for ECR and KMS, none at all for Lambda (each client's runtimeConfig, defaultSocketTimeout).
 * A test may shorten it.
 */
export const CALL_ATTEMPT = { timeoutMs: 15_000 };

/**
 * One attempt of a request through `fetchImpl` (the global fetch unless given, looked up at each call), bounded by
 * CALL_ATTEMPT: the request and the whole answer, which is read within the bound and handed back as a Response of
 * its own. An attempt that gets no answer throws a NoAnswer naming the method and URL (after `what`, when given): an
 * UnansweredCall when nobody answers in time, a ConnectionFailure (with fetch's TypeError as its cause) when the server
 * cannot be reached or drops the connection. The callers' retries, which are for answers, stay as they are. An abort by
 * the caller's own `init.signal` is rethrown as fetch threw it.
 * `then`: what the error says to do, instead of running again, where the request may have reached the server (a write
 * the server may have applied all the same); a request that never left was not applied, so its error says to run again.
 */
export async function boundedFetch(
    url: string | URL,
    init: RequestInit = {},
    options: { what?: string; fetch?: typeof fetch; then?: string } = {},
): Promise<Response> {
    const timeoutMs = CALL_ATTEMPT.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
    const request = `${options.what ? `${options.what}: ` : ""}${init.method ?? "GET"} ${String(url)}`;
    try {
        const res = await fetchImpl(url, { ...init, signal });
        const body = await res.arrayBuffer();
        return new Response(body.byteLength > 0 ? body : null, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (err) {
        if (init.signal?.aborted) throw err;
        if (timeout.aborted) {
            const seconds = Math.round(timeoutMs / 100) / 10;
            throw new UnansweredCall(`${request} did not answer within ${seconds} s (a server or proxy that takes the request and stays silent); ${options.then ?? "run again once it answers"}`, {
                cause: err,
            });
        }
        if (err instanceof TypeError && NETWORK_ERROR_WORDS.has(err.message)) {
            const { words, neverSent, remedy } = networkCause(err);
            throw new ConnectionFailure(
                neverSent
                    ? `${request} could not be reached (${words}); ${remedy ?? "run again once it is reachable"}`
                    : `${request} closed the connection before ${err.message === "terminated" ? "its answer was whole" : "answering"} (${words}); ${options.then ?? "run again once it answers"}`,
                neverSent,
                { cause: err },
            );
        }
        throw err;
    }
}

/**
 * Answers that say "not now" rather than "no", which a read asks again: 429 (too many requests) and the server's own
 * failures (500, 502, 503, 504). Google's APIs (gcp/googleApiError.ts) and the registries (image/ociRegistry.ts) alike.
 */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);
export const isTransient = (httpStatus: number) => TRANSIENT_STATUSES.has(httpStatus);

/**
 * An answer's Retry-After in milliseconds: `delay-seconds` or an `HTTP-date` to wait until (RFC 9110, 10.2.3), the date
 * counted from this machine's clock as skopeo's registry client counts it (containers/image docker/docker_client.go
 * parseRetryAfter: time.Until). The date is read by Date.parse, which takes RFC 9110's three forms and looser ones
 * (`2030-01-01`) that Go's http.ParseTime refuses; every caller caps the wait. Undefined without one, for a date already
 * past, or for a value Date.parse cannot read.
 */
export function retryAfterMs(res: Response): number | undefined {
    const value = res.headers.get("retry-after")?.trim() ?? "";
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const wait = Date.parse(value) - Date.now();
    return wait > 0 ? wait : undefined;
}
