import { Refusal } from "./refusal";

/**
 * A read of the program's own that got no answer: an attempt of boundedFetch (./httpAttempt.ts) nobody answered within
 * CALL_ATTEMPT (UnansweredCall), or whose server could not be reached or dropped the connection (ConnectionFailure), or
 * an AWS SDK call that got none (aws/awsClient.ts isAwsNoAnswer; the signing key's read). The program's own reads
 * retry answers (429, 5xx), not these (the AWS SDK's standard retries, 3 attempts, do include these); the checks before
 * registration stop the run on any, since the component's own read would get no answer either, only after its first
 * resources. (The release's state writes try once more on one: release/stack/escReleaseState.ts.) It keeps Error's
 * name, so its text stays "Error: <what>: GET <url> ..."; a RunError, so `pulumi up` prints its message alone (../refusal.ts).
 */
export class NoAnswer extends Refusal {}

/** An attempt nobody answered within CALL_ATTEMPT: "<what>: GET <url> did not answer within <s> s ...". */
export class UnansweredCall extends NoAnswer {}

/**
 * An attempt whose connection failed, where Node's fetch (undici) rejects with a TypeError of its own words and the
 * system's error as its cause: "fetch failed" before any answer, "terminated" in the middle of one (Node 24's bundled
 * undici, as embedded in the node binary: `new TypeError("fetch failed", { cause: response.error })`,
 * `new TypeError("terminated", { cause })`). Says "<what>: GET <url> could not be reached (<the cause>) ..." when the
 * request never left (the connection refused, the host unknown, the TLS handshake refused), else "... closed the
 * connection before answering (<the cause>) ...". The fetch's TypeError is its cause; `neverSent`: networkCause's.
 */
export class ConnectionFailure extends NoAnswer {
    constructor(
        message: string,
        /** Whether the request surely never left (networkCause), so a write it carried was not applied. */
        readonly neverSent: boolean,
        options: ErrorOptions,
    ) {
        super(message, options);
    }
}

/**
 * Certificate verification's codes for a server certificate whose issuer Node does not trust: what every read of the
 * program's own gets behind a proxy that inspects TLS with the company's own CA, until Node is told of that CA. Node
 * (v24.22, run with such a proxy) words each in OpenSSL's words, and adds "try running Node.js with --use-system-ca" to
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE and DEPTH_ZERO_SELF_SIGNED_CERT only (nodejs/node#57362): not to
 * UNABLE_TO_GET_ISSUER_CERT_LOCALLY (the proxy sends its leaf and intermediate) nor SELF_SIGNED_CERT_IN_CHAIN (its root
 * too), and NODE_EXTRA_CA_CERTS to none.
 */
export const UNTRUSTED_ISSUER_CODES = new Set(["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "DEPTH_ZERO_SELF_SIGNED_CERT"]);

/**
 * Node's words for each of UNTRUSTED_ISSUER_CODES (v24.22, printed by a TLS client of a server sending each chain),
 * the longer before the shorter it begins with. Node follows the last two with "; if the root CA is installed
 * locally, try running Node.js with --use-system-ca".
 */
const UNTRUSTED_ISSUER_WORDS: [code: string, words: string][] = [
    ["SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"],
    ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"],
];

/**
 * What to do about an untrusted issuer (UNTRUSTED_ISSUER_CODES), instead of running again: Node reads the variables
 * when it starts, so the next `pulumi up` in a shell that sets them.
 */
export const UNTRUSTED_ISSUER_REMEDY =
    "the certificate is signed by a CA Node.js does not trust, as behind a proxy that inspects TLS with the company's own CA: " +
    "name that CA's PEM file in NODE_EXTRA_CA_CERTS, or, where the system trusts it, set NODE_USE_SYSTEM_CA=1 (Node 22.19 and 24.6 on: an older Node ignores it), then run again";

/**
 * What to do about a self-signed server certificate (DEPTH_ZERO_SELF_SIGNED_CERT), which no CA signed, so no CA's PEM
 * trusts it: Node trusts it as a trust anchor of its own once that exact certificate is in NODE_EXTRA_CA_CERTS' file
 * (tests/program/behindInterceptingProxy.spec.ts runs it).
 */
export const SELF_SIGNED_LEAF_REMEDY =
    "the server's certificate is self-signed, signed by no CA, as from a proxy that inspects TLS with a certificate of its own: " +
    "Node.js trusts it only as that exact certificate, so add its PEM to the file NODE_EXTRA_CA_CERTS names (or have the proxy sign with the company's CA and name that CA's PEM file there), then run again";

/** What to do about the untrusted issuer `code` names (one of UNTRUSTED_ISSUER_CODES). */
function untrustedIssuerRemedy(code: string): string {
    return code === "DEPTH_ZERO_SELF_SIGNED_CERT" ? SELF_SIGNED_LEAF_REMEDY : UNTRUSTED_ISSUER_REMEDY;
}

/** The certificate verification code of `err`, when it is one of an untrusted issuer (UNTRUSTED_ISSUER_CODES). */
function untrustedIssuerCode(err: unknown): string | undefined {
    const code = (err as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && UNTRUSTED_ISSUER_CODES.has(code) ? code : undefined;
}

/**
 * What a TLS error of an untrusted issuer should add to its words: its code, which its message leaves out (the AWS SDK's
 * rethrown error, as Node's own on an https request), and what to set (untrustedIssuerRemedy); undefined for any
 * other error.
 */
export function untrustedIssuerSaid(err: unknown): string | undefined {
    const code = untrustedIssuerCode(err);
    return code && `(${code}); ${untrustedIssuerRemedy(code)}`;
}

/**
 * What gRPC trusts instead of Node's store when GRPC_DEFAULT_SSL_ROOTS_FILE_PATH names a file: @grpc/grpc-js reads that
 * file when it loads and passes it as the channel's `ca` (build/src/tls-helpers.js getDefaultRootsData,
 * channel-credentials.js createSsl), so NODE_EXTRA_CA_CERTS and the system's store go unread. A self-signed leaf
 * (DEPTH_ZERO_SELF_SIGNED_CERT) has no CA to add: its own PEM in that file trusts it (tests/release/behindInterceptingProxy.spec.ts runs it).
 */
function grpcRootsRemedy(rootsFile: string, code: string): string {
    if (code === "DEPTH_ZERO_SELF_SIGNED_CERT") {
        return (
            "the server's certificate is self-signed, signed by no CA, as from a proxy that inspects TLS with a certificate of its own: " +
            `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH is set, so gRPC trusts the certificates in ${rootsFile} alone, not NODE_EXTRA_CA_CERTS nor the system's, and this one only as that exact certificate: ` +
            `add its PEM to ${rootsFile} (or unset GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and add its PEM to the file NODE_EXTRA_CA_CERTS names), then run again`
        );
    }
    return (
        `the certificate is signed by a CA gRPC does not trust, as behind a proxy that inspects TLS with the company's own CA: ` +
        `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH is set, so gRPC trusts the CAs in ${rootsFile} alone, not NODE_EXTRA_CA_CERTS nor the system's: ` +
        `add that CA's PEM to ${rootsFile} (or unset GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and name the CA's PEM file in NODE_EXTRA_CA_CERTS), then run again`
    );
}

/**
 * What a gRPC error of an untrusted issuer should add to its words (`message`): @grpc/grpc-js keeps the TLS error's
 * words and drops its code ("14 UNAVAILABLE: No connection established. Last error: Error: unable to get local issuer
 * certificate. ..."), so the code is found by Node's words (UNTRUSTED_ISSUER_WORDS), and what to set: where
 * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH names a file, that the CA (or the self-signed leaf) goes into it (grpcRootsRemedy), else
 * untrustedIssuerRemedy. Undefined for any other error.
 */
export function untrustedIssuerSaidInWords(message: string, env: Record<string, string | undefined> = process.env): string | undefined {
    const code = UNTRUSTED_ISSUER_WORDS.find(([, words]) => new RegExp(`\\b${words}(?=[.;]|$)`, "m").test(message))?.[0];
    const rootsFile = env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH;
    return code && `(${code}); ${rootsFile ? grpcRootsRemedy(rootsFile, code) : untrustedIssuerRemedy(code)}`;
}

/** A network error of undici's fetch: its TypeError's fixed words (see ConnectionFailure). */
export const NETWORK_ERROR_WORDS = new Set(["fetch failed", "terminated"]);

/**
 * The system's error under fetch's TypeError: its code (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ECONNRESET, UND_ERR_SOCKET,
 * an OpenSSL code) with its first line of words, and whether the request surely never left: a connect or DNS failure
 * (Node's system errors name the syscall: connect, getaddrinfo), undici's connect timeout, or a TLS handshake refused
 * (OpenSSL's ERR_SSL_* codes, Node's ERR_TLS_*, and certificate verification's codes, which are OpenSSL's
 * X509_V_ERR_* names without the prefix: DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE).
 * A connection attempt over several addresses fails with an AggregateError of each one's error. `remedy`: what to do
 * instead of running again, where each was an untrusted issuer (UNTRUSTED_ISSUER_REMEDY, or SELF_SIGNED_LEAF_REMEDY).
 */
export function networkCause(err: TypeError): { words: string; neverSent: boolean; remedy?: string } {
    type SystemError = Error & { code?: unknown; syscall?: unknown; errors?: unknown[] };
    const cause = err.cause as SystemError | undefined;
    const each = (Array.isArray(cause?.errors) && cause.errors.length > 0 ? cause.errors : [cause]).filter((e): e is SystemError => e instanceof Error);
    if (each.length === 0) return { words: err.message, neverSent: false };
    const describe = (e: SystemError) => {
        const message = e.message.split("\n")[0].trim();
        const code = typeof e.code === "string" ? e.code : undefined;
        return !code || message.includes(code) ? message || code || e.name : `${code}: ${message}`;
    };
    const neverSent = each.every(
        (e) =>
            e.syscall === "connect" ||
            e.syscall === "getaddrinfo" ||
            (typeof e.code === "string" && /^(UND_ERR_CONNECT_TIMEOUT$|ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$)/.test(e.code)),
    );
    const codes = each.map(untrustedIssuerCode);
    const remedy = codes.every((code) => code) ? untrustedIssuerRemedy(codes[0]!) : undefined;
    return { words: [...new Set(each.map(describe))].join("; "), neverSent, remedy };
}

/**
 * For a check run before registration (cloudChecks.ts): a read that got no answer stops the run, any other failure
 * gives `fallback`, leaving the value to the component, which asks again and names the cause.
 */
export function unlessNoAnswer<T>(fallback: T): (err: unknown) => T {
    return (err) => {
        if (err instanceof NoAnswer) throw err;
        return fallback;
    };
}
