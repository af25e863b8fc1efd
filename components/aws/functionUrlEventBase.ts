/**
 * The parts of a Lambda Function URL request event (payload format 2.0, "Invoking Lambda function URLs",
 * docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html) that do not change from one request to the next: the
 * scheduled health check sends it as it is, and the release's probe adds each request's id, time and body
 * (release/probe/functionUrlEvent.ts).
 */

/** Who sends the request: the URL's domain prefix (its url-id), the user agent, the address Lambda sees. */
export interface FunctionUrlCaller {
    domainPrefix: string;
    userAgent: string;
    sourceIp: string;
}

export function functionUrlEventBase(method: string, path: string, region: string, caller: FunctionUrlCaller, headers: Record<string, string> = {}) {
    const domainName = `${caller.domainPrefix}.lambda-url.${region}.on.aws`;
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath: path,
        rawQueryString: "",
        headers: { host: domainName, "x-forwarded-proto": "https", "user-agent": caller.userAgent, ...headers },
        requestContext: {
            accountId: "anonymous",
            apiId: caller.domainPrefix,
            domainName,
            domainPrefix: caller.domainPrefix,
            // The app's per-client limit keys on this address when there is no IAM caller (app/src/clientKey.ts).
            http: { method, path, protocol: "HTTP/1.1", sourceIp: caller.sourceIp, userAgent: caller.userAgent },
            routeKey: "$default",
            stage: "$default",
        },
        isBase64Encoded: false,
    };
}
