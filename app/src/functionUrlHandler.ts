import type { Hono } from "hono";
import { servedThroughAdapter } from "./adapterBodies";
import { log } from "./log";
import { JSON_ERROR_HEADERS } from "./securityHeaders";
import { serverErrorMetric } from "./serverErrorMetric";

/** What a Function URL invocation returns (payload format 2.0). */
export interface FunctionUrlResult {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded: boolean;
    /** The answer's Set-Cookie values (Hono's adapter puts them here, not in `headers`). */
    cookies?: string[];
}

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (s: string) => s.length % 4 === 0 && BASE64_CHARS.test(s);

interface FunctionUrlEvent {
    rawPath: string;
    headers?: Record<string, unknown>;
    cookies?: unknown;
    requestContext: { http: { method: string } };
}

/** Why `event` is not a Function URL event (payload 2.0) at all, or undefined when it is one. */
function shapeProblem(event: unknown): string | undefined {
    const e = event as { rawPath?: unknown; headers?: unknown; body?: unknown; isBase64Encoded?: unknown; requestContext?: { http?: { method?: unknown } } } | null;
    if (typeof e !== "object" || e === null) return "the event is not an object";
    if (typeof e.requestContext?.http?.method !== "string" || typeof e.rawPath !== "string") return "the event has no requestContext.http.method or rawPath";
    if (e.headers !== undefined && (typeof e.headers !== "object" || e.headers === null)) return "the event's headers are not an object";
    if (e.body !== undefined && e.body !== null && typeof e.body !== "string") return "the event's body is not a string";
    // Only true or false says how to read a body: a string "false" or a 1 was read by its truthiness, and "false" decoded a
    // text body as base64 into bytes nobody sent.
    if (typeof e.body === "string" && e.body !== "" && typeof e.isBase64Encoded !== "boolean") {
        return `the event's body comes without isBase64Encoded true or false (it is ${e.isBase64Encoded === null ? "null" : typeof e.isBase64Encoded})`;
    }
    if (e.isBase64Encoded === true && typeof e.body === "string" && !isBase64(e.body)) return "the event's body is marked base64 but is not base64";
    return undefined;
}

/**
 * A header value as Hono's adapter hands it to fetch (its sanitizeHeaderValue): percent-encoded when it is not ASCII.
 * encodeURIComponent throws a bare URIError on a lone surrogate (JSON can carry one, "\ud800"), so that is refused here
 * with the value's place named.
 */
function asTheAdapterSendsIt(value: string, where: string): string {
    if (!/[^\x00-\x7F]/.test(value)) return value;
    if (/\p{Cs}/u.test(value)) throw new Error(`${where} holds a lone surrogate (half of a UTF-16 pair), which is not text: send it as UTF-8`);
    return encodeURIComponent(value);
}

/**
 * The event the app is served from, or why it cannot be:
 * - not a Function URL event at all (shapeProblem);
 * - Hono's adapter encodes header values but joins `cookies` into the Cookie header as they are, and fetch's Headers
 *   refuses a character above U+00FF: a cookie a browser script set with one failed every request of that client, even
 *   GET /health, with the adapter's own 400 (no security headers, a stack on stderr). The service reads no cookie, so
 *   they are encoded as the headers are;
 * - a raw backslash in the path, which the adapter's URL parser would read as a slash (below);
 * - what would still keep the adapter from building the request (a NUL or line break in a header value, a method fetch
 *   refuses such as TRACE or CONNECT), answered by the caller with the service's headers and one log line.
 */
function servableEvent(event: unknown): { event: FunctionUrlEvent } | { reason: string } {
    const problem = shapeProblem(event);
    if (problem) return { reason: problem };
    const e = event as FunctionUrlEvent;
    // The URL parser the adapter builds the request with reads a backslash as a slash (WHATWG URL, "special" schemes),
    // so PUT /objects/a\b stored a/b: another object than named. The Node server refuses it (@hono/node-server's
    // validateRequestTarget, "Backslash in request path"), and so does this; %5C names a backslash on both. (Whether a
    // Function URL hands a raw backslash over is not documented: if it never does, this never answers.)
    if (e.rawPath.includes("\\")) return { reason: "the path holds a backslash, which URLs read as a slash: percent-encode it as %5C" };
    let cookies: unknown;
    try {
        cookies = Array.isArray(e.cookies) ? e.cookies.map((c, i) => (typeof c === "string" ? asTheAdapterSendsIt(c, `cookies[${i}]`) : c)) : e.cookies;
        const headers = new Headers();
        if (Array.isArray(cookies)) headers.set("cookie", cookies.join("; "));
        for (const [name, value] of Object.entries(e.headers ?? {})) if (value) headers.set(name, asTheAdapterSendsIt(String(value), `the header ${name}`));
        new Request("https://function-url.invalid/", { method: e.requestContext.http.method, headers });
    } catch (err) {
        return { reason: `the request cannot be built: ${(err as Error).message}` };
    }
    return { event: cookies === e.cookies ? e : { ...e, cookies } };
}

/**
 * The app behind a Function URL. Hono's adapter decodes text-like content types (text/*, JSON, XML) as UTF-8,
 * which replaces every invalid byte with U+FFFD; here the adapter marks every body base64, and its bytes go out as text
 * (adapterBodies.ts, answerBody) only when they are valid UTF-8 of a text-like type (the service's own JSON answers), so no byte ever changes, and only when
 * the text is no longer than its base64 once JSON-escaped: Lambda sends the result JSON-serialized and answers 502 for
 * one over its 6 MB response limit, and a line break escapes to 2 bytes, a control character to 6, so text of a 4 MiB
 * object could pass it where base64 (4/3) does not.
 * An event that is not a Function URL event is answered 400 with one log line (Hono's adapter prints a stack), and a
 * GET or HEAD is served without a body, as the Node server does (Hono's adapter fails building such a Request).
 */
export function functionUrlHandler(app: Hono): (event: unknown, context?: unknown) => Promise<FunctionUrlResult> {
    const serve = servedThroughAdapter(app);
    return async (event, context) => {
        // Lambda stamps an invocation's metrics with its start; the 5xx count is stamped alike, so both fall in one period.
        const startedAt = Date.now();
        const servable = servableEvent(event);
        if ("reason" in servable) {
            log.warn("malformed Function URL event", { reason: servable.reason });
            return { statusCode: 400, headers: { ...JSON_ERROR_HEADERS }, body: JSON.stringify({ error: `malformed event: ${servable.reason}` }), isBase64Encoded: false };
        }
        const result = await serve(withoutBodyOnGet(servable.event), context);
        const metric = serverErrorMetric(result.statusCode, (context as { invokedFunctionArn?: string } | undefined)?.invokedFunctionArn, process.env, startedAt);
        if (metric) log.error("server error answered", metric);
        return result;
    };
}

/** The event without its body when the method takes none (fetch's Request refuses a GET or HEAD with a body). */
function withoutBodyOnGet(event: unknown): unknown {
    const e = event as { requestContext: { http: { method: string } }; body?: string | null };
    const method = e.requestContext.http.method.toUpperCase();
    return (method === "GET" || method === "HEAD") && e.body ? { ...e, body: undefined, isBase64Encoded: false } : event;
}
