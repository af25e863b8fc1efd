import { FunctionUrlCaller, FunctionUrlResponse as UrlResponse, functionUrlEvent as urlEvent, functionUrlResponse as urlResponse } from "../../release/probe/functionUrlEvent";

/** The end-to-end specs' caller: a test client on loopback. */
const E2E_CALLER: FunctionUrlCaller = { domainPrefix: "e2etest0123456789", userAgent: "e2e", sourceIp: "127.0.0.1" };

/** A Function URL request, payload 2.0, as the release's probe builds it (text bodies as is, binary ones base64). */
export function functionUrlEvent(method: string, rawPath: string, region: string, body?: Uint8Array | string, headers: Record<string, string> = {}) {
    return urlEvent({ method, path: rawPath, body, headers }, region, E2E_CALLER);
}

export interface FunctionUrlResponse extends UrlResponse {
    json(): any;
}

/** A synchronous invocation's largest response, as the runtime sends it (JSON.stringify of the result): Lambda quotas; the
 * byte count in Lambda's own words, "exceeds maximum allowed payload size (6291556 bytes)" (DataBiosphere/azul#8258). */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

/**
 * What a Function URL makes of the handler's result (release/probe/functionUrlEvent.ts). A result over Lambda's 6 MB
 * response limit never reaches the caller: the invocation fails (Function.ResponseSizeTooLarge) and the URL answers 502.
 * The URL's answer to a failed invocation, 502 "Internal Server Error": awsdocs/aws-lambda-developer-guide#430 ("the
 * Function URL response will be a 502 "Internal Server Error""), awslabs/aws-lambda-cpp#200 (a function error "always
 * returns "Internal Server Error""). Its headers (none here) are unverified.
 */
export function functionUrlResponse(payload: any): FunctionUrlResponse {
    const tooLarge = Buffer.byteLength(JSON.stringify(payload ?? null)) > LAMBDA_RESPONSE_LIMIT_BYTES;
    const answer = tooLarge ? { status: 502, headers: {}, bytes: Buffer.from("Internal Server Error"), body: "Internal Server Error", setCookies: [] } : urlResponse(payload);
    return { ...answer, json: () => JSON.parse(answer.body) };
}
