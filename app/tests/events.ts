import { SENT_AS_TEXT } from "../src/functionUrlText";

/**
 * A Function URL event, payload 2.0 (the guide's request payload; aws/aws-lambda-go events/testdata/lambda-urls-request.json).
 * `encoding` "auto" sends the body as the URL would for its content type (SENT_AS_TEXT); "text" as a string,
 * "base64" base64-encoded. A text body is the bytes decoded as UTF-8, each invalid byte becoming U+FFFD (Node's
 * decoding; what the URL does with such bytes is documented nowhere).
 */
export function functionUrlEvent(method: string, rawPath: string, body?: string | Uint8Array, headers: Record<string, string> = {}, encoding: "auto" | "text" | "base64" = "auto") {
    const bytes = body === undefined ? undefined : Buffer.from(body);
    const contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
    const text = encoding === "text" || (encoding === "auto" && SENT_AS_TEXT.test(contentType));
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString: "",
        headers: {
            host: "abc123.lambda-url.ap-northeast-1.on.aws",
            "x-forwarded-proto": "https",
            "user-agent": "curl/8.5.0",
            ...(bytes && { "content-length": String(bytes.byteLength) }),
            ...headers,
        },
        requestContext: {
            accountId: "123456789012",
            apiId: "abc123",
            domainName: "abc123.lambda-url.ap-northeast-1.on.aws",
            domainPrefix: "abc123",
            http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "curl/8.5.0" },
            requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            routeKey: "$default",
            stage: "$default",
            // Format as in the guide's request payload ("12/Mar/2020:19:03:58 +0000"); timeEpoch is the same instant in ms.
            time: "22/Nov/2026:14:50:00 +0000",
            timeEpoch: 1795359000000,
        },
        body: bytes?.toString(text ? "utf8" : "base64"),
        isBase64Encoded: bytes !== undefined && !text,
    };
}

export const lambdaContext = {
    functionName: "pipeline-api",
    functionVersion: "1",
    invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:pipeline-api:live",
    memoryLimitInMB: "512",
    awsRequestId: "8f5e1c2a-0000-4000-8000-000000000000",
    logGroupName: "/aws/lambda/pipeline-api",
    logStreamName: "2026/11/22/[1]abc",
    getRemainingTimeInMillis: () => 30_000,
    callbackWaitsForEmptyEventLoop: true,
};
