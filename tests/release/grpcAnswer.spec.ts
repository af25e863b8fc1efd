import * as assert from "assert";
import * as path from "path";
import { UNTRUSTED_ISSUER_REMEDY } from "../../components/noAnswer";
import { grpcAnswer } from "../../release/grpcAnswer";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { regExpText } from "../harness/regExpText";

/** google-gax's own retry loop (build/src/normalCalls/retries.js, outside its package's exports), which words the error a retried call ends with. */
const { retryable } = require(path.join(path.dirname(require.resolve("google-gax")), "normalCalls", "retries.js"));

/** What gax says after calls that failed with each of `errors` in turn, as the Cloud Monitoring clients' calls retry UNAVAILABLE. */
function retriedError(errors: Error[]): Promise<Error> {
    const retry = { retryCodes: [14], backoffSettings: { initialRetryDelayMillis: 0, retryDelayMultiplier: 1, maxRetryDelayMillis: 0, initialRpcTimeoutMillis: 1000, rpcTimeoutMultiplier: 1, maxRpcTimeoutMillis: 1000, maxRetries: errors.length } };
    let calls = 0;
    const failing = (_argument: unknown, _metadata: unknown, _options: unknown, callback: (err: Error) => void) => setImmediate(() => callback(errors[calls++]));
    return new Promise((resolve) => retryable(failing, retry, {}, "google.monitoring.v3.MetricService")({}, resolve));
}

describe("grpcAnswer: a Google API call's failure in the release's words", () => {
    // gRPC's own roots file changes the remedy (noAnswer.ts grpcRootsRemedy); this machine may set one.
    let restoreEnvironment = () => {};
    before(() => (restoreEnvironment = changeProcessEnvironment({ GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: undefined })));
    after(() => restoreEnvironment());

    // @grpc/grpc-js's words behind a proxy that inspects TLS with a CA it does not trust (tests/release/behindInterceptingProxy.spec.ts).
    const unavailable = Object.assign(new Error("14 UNAVAILABLE: No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: "), { code: 14 });

    it("says each of gax's previous errors once, with how many times, before the code and what to set", async () => {
        const said = grpcAnswer(await retriedError(Array(10).fill(unavailable)));
        const entry = "{message: 14 UNAVAILABLE: No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: , code: 14, details: , note: }";
        assert.strictEqual(said.split(entry).length - 1, 1, said);
        assert.match(said, new RegExp(`Previous errors : \\[${regExpText(entry)} \\(10 times\\)\\] \\(SELF_SIGNED_CERT_IN_CHAIN\\); ${regExpText(UNTRUSTED_ISSUER_REMEDY)}$`));
    });

    it("keeps different previous errors apart, in their order", async () => {
        // gRPC's words for a server past the proxy that does not speak HTTP/2, as it said through the harness.
        const other = Object.assign(new Error("14 UNAVAILABLE: No connection established. Last error: Protocol error (2026-12-07T05:24:40.391Z). Resolution note: "), { code: 14 });
        const said = grpcAnswer(await retriedError([unavailable, other, unavailable]));
        assert.match(said, /Previous errors : \[\{message: 14 UNAVAILABLE: No connection established\.[^\]]*\},\{message: 14 UNAVAILABLE: No connection established\. Last error: Protocol error[^\]]*\},\{message: 14 UNAVAILABLE: No connection established\.[^\]]*\}\]/, said);
    });

    it("says once a run of errors that differ only by the time gRPC stamps on each, with how many times", async () => {
        // @grpc/grpc-js ends a failed connection's words with its time (build/src/transport.js, Http2SubchannelConnector
        // createSession: `${errorMessage} (${new Date().toISOString()})`), so no two attempts' words are the same.
        const protocolErrorAt = (time: string) => Object.assign(new Error(`14 UNAVAILABLE: No connection established. Last error: Protocol error (${time}). Resolution note: `), { code: 14 });
        const said = grpcAnswer(await retriedError(["2026-12-07T05:24:40.391Z", "2026-12-07T05:24:40.512Z", "2026-12-07T05:24:41.630Z"].map(protocolErrorAt)));
        assert.match(said, /Previous errors : \[\{message: 14 UNAVAILABLE: No connection established\. Last error: Protocol error \(2026-12-07T05:24:40\.391Z\)\. Resolution note: , code: 14, details: , note: \} \(3 times\)\]$/, said);
    });

    it("the access token's request refused behind the proxy, gRPC's own roots file trusting it: names the code and NODE_EXTRA_CA_CERTS", () => {
        // What the metric read said (GOOGLE_APPLICATION_CREDENTIALS an external_account file, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH
        // naming the proxy's CA, NODE_EXTRA_CA_CERTS unset), run through the harness: gRPC's channel passed, gaxios' request did not.
        const tokenRefused = Object.assign(new Error("2 UNKNOWN: Getting metadata from plugin failed with error: request to https://sts.behind-proxy.invalid:45113/v1/token failed, reason: self-signed certificate in certificate chain"), { code: 2 });
        const restore = changeProcessEnvironment({ GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: "/etc/corp/roots.pem" });
        try {
            assert.match(grpcAnswer(tokenRefused), new RegExp(`reason: self-signed certificate in certificate chain \\(SELF_SIGNED_CERT_IN_CHAIN\\); ${regExpText(UNTRUSTED_ISSUER_REMEDY)}$`));
        } finally {
            restore();
        }
    });
});
