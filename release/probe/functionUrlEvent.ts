/**
 * A Lambda Function URL request as the URL would hand it to the function (payload format 2.0, "Invoking Lambda
 * function URLs", docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html), and what the URL makes of the
 * function's answer. The release invokes a version directly with this event: a Function URL serves an alias or
 * $LATEST only (CreateFunctionUrlConfig's Qualifier), never a version that has no traffic yet. The end-to-end specs
 * hand the same event to the functions' bundles (tests/e2e).
 */
import { randomUUID } from "crypto";
import { SENT_AS_TEXT } from "../../app/src/functionUrlText";
import { type FunctionUrlCaller, functionUrlEventBase } from "../../components/aws/functionUrlEventBase";

export interface FunctionUrlRequest {
    method: string;
    path: string;
    body?: Uint8Array | string;
    headers?: Record<string, string>;
}

export type { FunctionUrlCaller };

export const RELEASE_PROBE_CALLER: FunctionUrlCaller = { domainPrefix: "release-probe", userAgent: "multicloud-release-probe", sourceIp: "127.0.0.1" };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** requestContext.time as Lambda writes it: "12/Mar/2020:19:03:58 +0000" (the guide's request payload example). */
export function requestTime(at: Date): string {
    const two = (n: number) => String(n).padStart(2, "0");
    return `${two(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;
}

/**
 * A text body arrives as it was sent, `isBase64Encoded` false, as in the guide's request payload example ("body":
 * "Hello from client!"); a binary one base64-encoded ("TRUE if the body is a binary payload and base64-encoded").
 * Which types are text: the service's SENT_AS_TEXT (app/src/functionUrlText.ts).
 */
function isTextBody(headers: Record<string, string>): boolean {
    const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
    return SENT_AS_TEXT.test(contentType);
}

export function functionUrlEvent(request: FunctionUrlRequest, region: string, caller: FunctionUrlCaller = RELEASE_PROBE_CALLER) {
    const event = functionUrlEventBase(request.method, request.path, region, caller, request.headers);
    const now = new Date();
    const text = isTextBody(event.headers);
    return {
        ...event,
        requestContext: { ...event.requestContext, requestId: randomUUID(), time: requestTime(now), timeEpoch: now.getTime() },
        body: request.body === undefined ? undefined : Buffer.from(request.body).toString(text ? "utf8" : "base64"),
        isBase64Encoded: request.body !== undefined && !text,
    };
}

export interface FunctionUrlResponse {
    status: number;
    headers: Record<string, string>;
    /** The body's bytes, as the URL sends them. */
    bytes: Buffer;
    /** The body read as UTF-8 text (what the probes read: JSON). */
    body: string;
    /** One Set-Cookie header each, from the result's `cookies`. */
    setCookies: string[];
}

/**
 * What the URL makes of the function's result (the guide's response payload format 2.0): statusCode, headers, the
 * body's bytes (base64-decoded when isBase64Encoded, sent as they are), and a Set-Cookie header per element of
 * `cookies`; a result without a statusCode is itself the body, 200, JSON.
 */
export function functionUrlResponse(payload: any): FunctionUrlResponse {
    if (payload === null || typeof payload !== "object" || !("statusCode" in payload)) {
        const json = JSON.stringify(payload);
        return { status: 200, headers: { "content-type": "application/json" }, bytes: Buffer.from(json), body: json, setCookies: [] };
    }
    const bytes = payload.isBase64Encoded ? Buffer.from(payload.body ?? "", "base64") : Buffer.from(String(payload.body ?? ""), "utf8");
    return { status: Number(payload.statusCode), headers: payload.headers ?? {}, bytes, body: bytes.toString("utf8"), setCookies: Array.isArray(payload.cookies) ? payload.cookies.map(String) : [] };
}
