import { EntryPoint } from "./entryPoint";

const MiB = 1024 * 1024;

/**
 * A Function URL request (a synchronous invoke) is at most 6 MB including its event, and a binary body arrives
 * base64-encoded (4/3 larger): 4 MiB of body is ~5.6 MB, which leaves room for the headers.
 */
export const LAMBDA_API_MAX_BODY_BYTES = 4 * MiB;
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
