import { randomUUID } from "crypto";

const DOMAIN_PREFIX = "e2etest0123456789";

/** A Lambda Function URL request, payload format 2.0, as AWS sends it (the body always base64). */
export function functionUrlEvent(method: string, rawPath: string, region: string, body?: Uint8Array | string, headers: Record<string, string> = {}) {
    const domainName = `${DOMAIN_PREFIX}.lambda-url.${region}.on.aws`;
    const now = new Date();
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
            time: now.toUTCString(),
            timeEpoch: now.getTime(),
        },
        body: body === undefined ? undefined : Buffer.from(body).toString("base64"),
        isBase64Encoded: body !== undefined,
    };
}

export interface FunctionUrlResponse {
    status: number;
    body: string;
    json(): any;
}

/** What a Function URL makes of the handler's result (payload 2.0 response). */
export function functionUrlResponse(payload: any): FunctionUrlResponse {
    const body = payload?.isBase64Encoded ? Buffer.from(payload.body ?? "", "base64").toString("utf8") : String(payload?.body ?? "");
    return { status: payload?.statusCode ?? 200, body, json: () => JSON.parse(body) };
}
