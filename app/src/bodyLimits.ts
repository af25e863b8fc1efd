import { EntryPoint } from "./entryPoint";

const MiB = 1024 * 1024;

/**
 * A Function URL request (a synchronous invoke) is at most 6 MB including its event, and a binary body arrives
 * base64-encoded (4/3 larger): 4 MiB of body is ~5.6 MB, which leaves room for the headers.
 */
export const LAMBDA_API_MAX_BODY_BYTES = 4 * MiB;
/**
 * A synchronous invocation's response is at most 6,291,556 bytes (Lambda quotas, "6 MB each for request and
 * response"); past it Lambda reports Function.ResponseSizeTooLarge, which a Function URL answers with a bare 502.
 */
const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;
/** What an answer carries besides its body: status, security headers, a content-disposition naming a 1 KiB key twice. */
const ANSWER_ENVELOPE_BYTES = 16 * 1024;
/**
 * The largest object the Lambda API serves: its body goes out base64-encoded (4/3 larger) in the 6 MB response.
 * The API stores at most 4 MiB, but the bucket may hold larger objects from elsewhere.
 */
export const LAMBDA_API_MAX_ANSWER_BYTES = Math.floor((LAMBDA_RESPONSE_LIMIT_BYTES - ANSWER_ENVELOPE_BYTES) / 4) * 3;

/** The largest object an entry point can answer with, where one answer has a limit of its own (the Lambda API). */
export function answerLimitFor(entry: EntryPoint): number | undefined {
    return entry === "lambda-api" ? LAMBDA_API_MAX_ANSWER_BYTES : undefined;
}

/**
 * Cloud Run answers 500 "Response size was too large" for an HTTP/1 response over 32 MiB with a Content-Length
 * (Cloud Run quotas, "Maximum HTTP/1 server response size": 32 MiB "if not using Transfer-Encoding: chunked or
 * streaming"), while the service would log a 200. So the server sends a larger object chunked.
 */
const CLOUD_RUN_HTTP1_RESPONSE_LIMIT_BYTES = 32 * MiB;
export const SERVER_CHUNKED_ANSWER_OVER_BYTES = CLOUD_RUN_HTTP1_RESPONSE_LIMIT_BYTES - ANSWER_ENVELOPE_BYTES;

/** The size above which an entry point sends an object chunked, without a Content-Length (the server's, for Cloud Run). */
export function chunkedAnswerOverFor(entry: EntryPoint): number | undefined {
    return entry === "server" ? SERVER_CHUNKED_ANSWER_OVER_BYTES : undefined;
}

export const SERVER_DEFAULT_MAX_BODY_BYTES = 10 * MiB;
/** Cloud Run refuses an HTTP/1 request over 32 MiB itself (Cloud Run quotas, "Maximum HTTP/1 request size"). */
const SERVER_MAX_BODY_BYTES = 32 * MiB;

export interface BodyLimit {
    defaultBytes: number;
    maxBytes: number;
    /** The settings error when MAX_BODY_BYTES is over `maxBytes`. */
    tooLarge: string;
}

export function bodyLimitFor(entry: EntryPoint): BodyLimit {
    if (entry === "lambda-api") {
        return {
            defaultBytes: LAMBDA_API_MAX_BODY_BYTES,
            maxBytes: LAMBDA_API_MAX_BODY_BYTES,
            tooLarge: `must be at most ${LAMBDA_API_MAX_BODY_BYTES} (4 MiB) on the Lambda API: a Function URL request is at most 6 MB and a binary body arrives base64-encoded`,
        };
    }
    return {
        defaultBytes: SERVER_DEFAULT_MAX_BODY_BYTES,
        maxBytes: SERVER_MAX_BODY_BYTES,
        tooLarge: `must be at most ${SERVER_MAX_BODY_BYTES} (32 MiB): Cloud Run refuses a larger HTTP/1 request before it reaches the service`,
    };
}
