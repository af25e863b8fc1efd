import { randomUUID } from "crypto";

const DOMAIN_PREFIX = "e2etest0123456789";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** requestContext.time as Lambda writes it, "12/Mar/2020:19:03:58 +0000" (Lambda developer guide, "Invoking Lambda function URLs", request payload). */
function requestTime(at: Date): string {
    const two = (n: number) => String(n).padStart(2, "0");
    return `${two(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;
}

/** A Function URL request, payload 2.0: `encoding` "text" sends a text body as is (isBase64Encoded false), "base64" a binary one
 * (Lambda developer guide, "Invoking Lambda function URLs", request payload; aws/aws-lambda-go events/testdata/lambda-urls-request.json). */
export function functionUrlEvent(method: string, rawPath: string, region: string, body?: Uint8Array | string, headers: Record<string, string> = {}, encoding: "text" | "base64" = "base64") {
    const domainName = `${DOMAIN_PREFIX}.lambda-url.${region}.on.aws`;
    const now = new Date();
    const text = encoding === "text";
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: "",
        headers: { host: domainName, "x-forwarded-proto": "https", "user-agent": "e2e", ...headers },
        requestContext: {
            accountId: "anonymous",
            apiId: DOMAIN_PREFIX,
            domainName,
            domainPrefix: DOMAIN_PREFIX,
            http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "e2e" },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: requestTime(now),
            timeEpoch: now.getTime(),
        },
        body: body === undefined ? undefined : Buffer.from(body).toString(text ? "utf8" : "base64"),
        isBase64Encoded: body !== undefined && !text,
    };
}

export interface FunctionUrlResponse {
    status: number;
    headers: Record<string, string>;
    body: string;
    json(): any;
}

/** A synchronous invocation's largest response, as the runtime sends it (JSON.stringify of the result): Lambda quotas. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

/**
 * What a Function URL makes of the handler's result (Lambda developer guide, "Invoking Lambda function URLs", response
 * payload format 2.0): statusCode, headers and body (base64-decoded when isBase64Encoded); a result without a
 * statusCode is itself the body, 200, application/json. A result over Lambda's 6 MB response limit never reaches the
 * caller: the invocation fails (Function.ResponseSizeTooLarge) and the URL answers 502.
 */
export function functionUrlResponse(payload: any): FunctionUrlResponse {
    const reply = (status: number, headers: Record<string, string>, body: string): FunctionUrlResponse => ({ status, headers, body, json: () => JSON.parse(body) });
    if (Buffer.byteLength(JSON.stringify(payload ?? null)) > LAMBDA_RESPONSE_LIMIT_BYTES) return reply(502, {}, "Internal Server Error");
    if (typeof payload !== "object" || payload === null || payload.statusCode === undefined) return reply(200, { "content-type": "application/json" }, JSON.stringify(payload));
    const body = payload.isBase64Encoded ? Buffer.from(payload.body ?? "", "base64").toString("utf8") : String(payload.body ?? "");
    return reply(payload.statusCode, payload.headers ?? {}, body);
}
