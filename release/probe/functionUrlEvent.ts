/**
 * A Lambda Function URL request as the URL would hand it to the function (payload format 2.0, "Invoking Lambda
 * function URLs", docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html), and what the URL makes of the
 * function's answer. The release invokes a version directly with this event: a Function URL serves an alias or
 * $LATEST only (CreateFunctionUrlConfig's Qualifier), never a version that has no traffic yet.
 */
import { randomUUID } from "crypto";
import { ProbeRequest, ProbeResponse } from "./transport";

export function functionUrlEvent(request: ProbeRequest, region: string) {
    const domainPrefix = "release-probe";
    const domainName = `${domainPrefix}.lambda-url.${region}.on.aws`;
    const now = new Date();
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath: request.path,
        rawQueryString: "",
        headers: { host: domainName, "x-forwarded-proto": "https", "user-agent": "multicloud-release-probe", ...(request.body !== undefined ? { "content-type": "application/json" } : {}) },
        requestContext: {
            accountId: "anonymous",
            apiId: domainPrefix,
            domainName,
            domainPrefix,
            // The app's per-client limit keys on this address when there is no IAM caller (app/src/clientKey.ts).
            http: { method: request.method, path: request.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "multicloud-release-probe" },
            requestId: randomUUID(),
            routeKey: "$default",
            stage: "$default",
            time: now.toUTCString(),
            timeEpoch: now.getTime(),
        },
        body: request.body === undefined ? undefined : Buffer.from(request.body).toString("base64"),
        isBase64Encoded: request.body !== undefined,
    };
}

/** A result with a statusCode is the response; anything else is a 200 with the result as its JSON body. */
export function functionUrlResponse(payload: any): ProbeResponse {
    if (payload === null || typeof payload !== "object" || !("statusCode" in payload)) return { status: 200, body: JSON.stringify(payload) };
    const body = payload.isBase64Encoded ? Buffer.from(payload.body ?? "", "base64").toString("utf8") : String(payload.body ?? "");
    return { status: Number(payload.statusCode), body };
}
