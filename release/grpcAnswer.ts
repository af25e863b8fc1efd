import { untrustedIssuerSaidInWords } from "../components/noAnswer";

/**
 * What a call of a Google API client (gRPC: Cloud Monitoring's) that failed answered, for the release's messages: the
 * error's message, each of gax's previous errors said once (previousErrorsOnce). A certificate whose issuer gRPC does
 * not trust also gets its code, which @grpc/grpc-js leaves out (it keeps the TLS error's words alone), and what to set,
 * as the release's AWS reads say it (awsReadAttempts.ts awsAnswer).
 */
export function grpcAnswer(err: unknown): string {
    const message = previousErrorsOnce(err instanceof Error ? err.message : String(err));
    // The access token's request failed, not gRPC's channel: gaxios trusts Node's store, whatever gRPC's roots file.
    const env = message.includes(TOKEN_REQUEST_FAILED) ? { ...process.env, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: undefined } : process.env;
    const untrusted = untrustedIssuerSaidInWords(message, env);
    return untrusted ? `${message} ${untrusted}` : message;
}

/**
 * @grpc/grpc-js's words when the call's credentials (application default credentials, their token request through
 * gaxios) failed (build/src/load-balancing-call.js): "2 UNKNOWN: Getting metadata from plugin failed with error: request
 * to <token_url> failed, reason: self-signed certificate in certificate chain", as it said through the harness.
 */
const TOKEN_REQUEST_FAILED = "Getting metadata from plugin failed with error: ";

const PREVIOUS_ERRORS = " : Previous errors : [";

/**
 * gax ends a retried call's error with every attempt's error (google-gax build/src/normalCalls/retries.js
 * errorDetailsSuffix: ` : Previous errors : [${errors.map(err => `{message: ..., code: ..., details: ..., note: ...}`).join(',')}]`),
 * the same line ten times and more when each attempt failed alike, before the words the user acts on: a run of the
 * same error is said once, with how many times. Errors that differ only by the time gRPC stamps on a failed connection's
 * words are the same error: the first is said.
 */
function previousErrorsOnce(message: string): string {
    const start = message.lastIndexOf(PREVIOUS_ERRORS);
    if (start < 0 || !message.endsWith("}]")) return message;
    const entries = message.slice(start + PREVIOUS_ERRORS.length + 1, -2).split("},{");
    const runs: { entry: string; times: number }[] = [];
    for (const entry of entries) {
        const last = runs[runs.length - 1];
        if (last && withoutConnectionTime(last.entry) === withoutConnectionTime(entry)) last.times++;
        else runs.push({ entry, times: 1 });
    }
    const said = runs.map(({ entry, times }) => `{${entry}}${times > 1 ? ` (${times} times)` : ""}`);
    return `${message.slice(0, start)}${PREVIOUS_ERRORS}${said.join(",")}]`;
}

/**
 * @grpc/grpc-js ends a failed connection's words with when it failed (build/src/transport.js, Http2SubchannelConnector
 * createSession: `${errorMessage} (${new Date().toISOString()})`, "Protocol error (2026-12-07T05:24:40.391Z)").
 */
function withoutConnectionTime(entry: string): string {
    return entry.replace(/ \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\)/g, "");
}
