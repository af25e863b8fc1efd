import { untrustedIssuerSaidInWords } from "../components/noAnswer";

/**
 * What a call of a Google API client (gRPC: Cloud Monitoring's) that failed answered, for the release's messages: the
 * error's message. A certificate whose issuer gRPC does not trust also gets its code, which @grpc/grpc-js leaves out
 * (it keeps the TLS error's words alone), and what to set, as the release's AWS reads say it (awsReadAttempts.ts awsAnswer).
 */
export function grpcAnswer(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    const untrusted = untrustedIssuerSaidInWords(message);
    return untrusted ? `${message} ${untrusted}` : message;
}
