/**
 * The new Lambda version alone: `Invoke` with its version as the Qualifier (SigV4 through the SDK; needs
 * lambda:InvokeFunction on that version), the payload a Function URL would send. A function error (the handler
 * threw, or timed out) is no answer, as the URL would answer 502.
 */
import type { InvokeCommandInput, LambdaClient, LambdaClientConfig } from "@aws-sdk/client-lambda";
import { credentialsAsTheProvider, proxyAwareAgentOptions } from "../../components/aws/awsClient";
import { functionUrlEvent, functionUrlResponse } from "./functionUrlEvent";
import { MAX_IN_FLIGHT, REQUEST_TIMEOUT_MS } from "./load";
import { ProbeRefused, ProbeRequest, Transport, probeCannotTrust, serviceTime } from "./transport";

/**
 * What Invoke answers about the caller rather than the version: no lambda:InvokeFunction on it (403
 * AccessDeniedException, "User: ... is not authorized to perform: lambda:InvokeFunction"), a signature or token AWS
 * does not take (UnrecognizedClientException, InvalidSignatureException, ExpiredTokenException), or no credentials
 * at all (the SDK's CredentialsProviderError). A throttle is not among them: a version slower than the stable one
 * holds more of the function's concurrency, so its throttles count against it.
 */
const REFUSALS_OF_THE_CALLER = new Set(["AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "CredentialsProviderError"]);

/**
 * The probe's Lambda client. One attempt a request (but for a signing time Lambda refused: sendOnAwsTime): the SDK's
 * default makes 3 attempts of an Invoke that Lambda throttles (TooManyRequestsException) or fails with a 500, 502, 503
 * or 504 (@smithy/core service-error-classification THROTTLING_ERROR_CODES, TRANSIENT_ERROR_STATUS_CODES), which would
 * hide from the error gate the throttles and service errors a Function URL hands its callers as they are, and time the
 * backoff as latency. (A 5xx the function itself answers comes back in a successful Invoke and was never retried.) As
 * many sockets as the load keeps in flight: the SDK's own agent allows 50 (@smithy/node-http-handler), so requests
 * past 50 would wait inside it and be timed as the service's latency. Each request is abandoned at the probe's own
 * timeout, not left running after the probe has counted it.
 */
export async function probeLambdaClient(config: Omit<LambdaClientConfig, "maxAttempts" | "requestHandler">): Promise<LambdaClient> {
    const { LambdaClient } = await import("@aws-sdk/client-lambda");
    const agent = proxyAwareAgentOptions({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    return new LambdaClient({
        ...config,
        maxAttempts: 1,
        requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true, httpAgent: agent, httpsAgent: agent },
        ...credentialsAsTheProvider(),
    });
}

/**
 * Sends an Invoke (`send`), and once more when Lambda refused its signing time and the SDK has corrected its
 * clock from the refusal's Date header (@aws-sdk/core AwsSdkSigV4Signer errorHandler sets $metadata.clockSkewCorrected):
 * the retry the SDK makes of it by itself (@smithy/core retry isTransientError), which maxAttempts 1 turns off. Without
 * it, a laptop whose clock is 5 minutes off AWS's had its first Invoke refused ("Signature expired: ...") and read as a
 * refusal of the caller. Lambda refused it before running anything, so asking again runs the version once.
 */
async function sendOnAwsTime<T>(send: () => Promise<T>): Promise<T> {
    try {
        return await send();
    } catch (err) {
        if (!(err as { $metadata?: { clockSkewCorrected?: boolean } }).$metadata?.clockSkewCorrected) throw err;
        return send();
    }
}

export async function lambdaTransport(client: LambdaClient, region: string, functionName: string, version: string): Promise<Transport> {
    const { InvokeCommand } = await import("@aws-sdk/client-lambda");
    const refusedOrThrown = (err: Error): never => {
        if (REFUSALS_OF_THE_CALLER.has(err.name)) throw new ProbeRefused(`Lambda refused the probe's Invoke of ${functionName}:${version}: ${err.name}: ${err.message}`, { cause: err });
        throw probeCannotTrust(`Lambda's Invoke of ${functionName}:${version}`, err) ?? err;
    };
    const invoke = (input: InvokeCommandInput) => sendOnAwsTime(() => client.send(new InvokeCommand(input))).catch(refusedOrThrown);
    const send: Transport = async (request) => {
        const out = await invoke({ FunctionName: functionName, Qualifier: version, Payload: Buffer.from(JSON.stringify(functionUrlEvent({ ...request, headers: jsonBody(request) }, region))) });
        const text = out.Payload ? Buffer.from(out.Payload).toString("utf8") : "null";
        if (out.FunctionError) throw new Error(`${functionName}:${version} ${out.FunctionError}: ${text.slice(0, 300)}`);
        const response = functionUrlResponse(JSON.parse(text));
        const timingHeader = Object.entries(response.headers).find(([name]) => name.toLowerCase() === "server-timing")?.[1];
        return { ...response, serviceMs: serviceTime(timingHeader) };
    };
    // A DryRun "validate[s] parameter values and verif[ies] that the user or role has permission to invoke the function"
    // and answers 204 without running it (Lambda API reference, Invoke): the socket opens, and the new version's
    // concurrency, shared with the live alias, is not taken by cold starts.
    send.openConnection = async () => {
        await invoke({ FunctionName: functionName, Qualifier: version, InvocationType: "DryRun" });
    };
    return send;
}

/** The probe's bodies are JSON, as the tagged Cloud Run URL is sent them (cloudRunTransport.ts). */
const jsonBody = (request: ProbeRequest): Record<string, string> => (request.body === undefined ? {} : { "content-type": "application/json" });
