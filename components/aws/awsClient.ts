import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { namedProxyVariable, proxyEnvironment } from "../../loader/proxyFromEnvironment";
import { CALL_ATTEMPT } from "../httpAttempt";
import { LastingRefusal, isLastingRefusal } from "../lastingRefusal";
import { NoAnswer, untrustedIssuerSaid } from "../noAnswer";
import { Refusal } from "../refusal";
import { accessDeniedHint } from "./accessDenied";
import { profileAsTheProviderReadsIt } from "./environmentProfile";
import { optInRegionHint } from "./optInRegions";

/** An AWS SDK client's class, made with a region and boundedAttempt's options. */
type BoundedClientClass<C> = new (config: { region: string } & ReturnType<typeof boundedAttempt>) => C;

/**
 * Runs `use` with a client of `Client` made for it in `region`, each attempt bounded (boundedAttempt), then destroys the
 * client: its open sockets would keep the process alive.
 */
export async function withClient<C extends { destroy(): void }, T>(Client: BoundedClientClass<C>, region: string, use: (client: C) => Promise<T>): Promise<T> {
    const client = new Client({ region, ...boundedAttempt() });
    try {
        return await use(client);
    } finally {
        client.destroy();
    }
}

/**
 * An AWS SDK client's options that bound each attempt by `timeoutMs` (CALL_ATTEMPT's unless given: ../httpAttempt.ts):
 * to connect, to get the answer's headers (requestTimeout, which the handler clears once they arrive) and between two
 * reads of its body (socketTimeout), as the service's own clients do (app/src/awsClientConfig.ts). The SDK's retries
 * stay as they are. Its agents go through the proxy the environment names (proxyAwareAgentOptions), and its credentials
 * come from the profile the AWS provider takes (credentialsAsTheProvider).
 */
export function boundedAttempt(timeoutMs = CALL_ATTEMPT.timeoutMs) {
    const agentOptions = proxyAwareAgentOptions();
    return {
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, socketTimeout: timeoutMs, throwOnRequestTimeout: true, httpAgent: agentOptions, httpsAgent: agentOptions },
        ...credentialsAsTheProvider(),
    };
}

/**
 * An AWS SDK client's credential options, which every client made here takes: the profile the AWS provider takes
 * (profileAsTheProviderReadsIt), so that no client signs as another identity than the deployment's, and the chain's own
 * calls through the proxy the environment names (credentialsThroughProxy).
 */
export function credentialsAsTheProvider() {
    return { ...credentialsThroughProxy(), ...profileAsTheProviderReadsIt() };
}

/**
 * Behind a proxy, an AWS SDK client's option that sends the calls its default credential chain makes through the
 * client's own request handler (its proxy-aware agents): the chain's SSO client (GetRoleCredentials, for an SSO
 * profile) and SSO OIDC's token refresh are made from the chain's `clientConfig` alone, never from the client's
 * handler (@aws-sdk/credential-provider-sso resolveSSOCredentials, @aws-sdk/token-providers fromSso), so they went
 * direct. STS's, for a profile's role or web identity, already take the client's handler (parentClientConfig's:
 * @aws-sdk/nested-clients/sts getDefaultRoleAssumer) and get the same one. The chain is the SDK's own
 * (`credentialDefaultProvider` is called with the client's config, @aws-sdk/core resolveAwsSdkSigV4Config), with its
 * region, profile and logger as before. With no proxy variable set, nothing: the client keeps the SDK's chain as it was.
 */
function credentialsThroughProxy(): { credentialDefaultProvider?: (init: ClientConfigForCredentials) => ReturnType<typeof defaultProvider> } {
    if (!namedProxyVariable()) return {};
    return { credentialDefaultProvider: (init) => defaultProvider({ ...init, clientConfig: { ...init.clientConfig, requestHandler: init.requestHandler } }) };
}

/** What a client hands its `credentialDefaultProvider`: its config (the chain's init), its request handler among it. */
type ClientConfigForCredentials = Parameters<typeof defaultProvider>[0] & { requestHandler?: unknown };

/**
 * The options of an AWS SDK client's http and https agents (@smithy/node-http-handler spreads them into the Agent it
 * makes) that send its calls through HTTPS_PROXY / HTTP_PROXY but for NO_PROXY's hosts and loopback: Node's `proxyEnv`
 * (Node 22.21 and 24.5 on; an older Node ignores it). The handler's agents are its own, which Node's global proxy
 * settings (../../loader/proxyFromEnvironment.js) never reach. `extra`: more of the agents' options.
 */
export function proxyAwareAgentOptions<T extends object>(extra?: T): T & { proxyEnv: NodeJS.ProcessEnv } {
    return { ...(extra as T), proxyEnv: proxyEnvironment() };
}

/**
 * Whether an AWS SDK call's error is a failure to get the service's answer: a request was attempted (the SDK's retry
 * step, which wraps each attempt, records $metadata.attempts) and no answer's HTTP status came back
 * ($metadata.httpStatusCode): a connection refused or an attempt past its bound, after the SDK's own 3 attempts
 * (@aws-sdk 3.1164, tried against a closed port and a server that resets: ECONNREFUSED, TimeoutError). An error before
 * any request, such as no credentials (CredentialsProviderError, without $metadata), is not one: the service was never asked.
 */
export function isAwsNoAnswer(err: unknown): boolean {
    const metadata = (err as { $metadata?: { attempts?: unknown; httpStatusCode?: unknown } } | undefined)?.$metadata;
    return typeof metadata?.attempts === "number" && typeof metadata.httpStatusCode !== "number";
}

/**
 * The names the services read here throttle with, after the SDK's retries: KMS ThrottlingException (AWS KMS Developer
 * Guide, "Throttling AWS KMS requests", 400), STS Throttling ("Rate exceeded", 400: `<Code>Throttling</Code>` as quoted
 * in jlevers/selling-partner-api#278; "api error Throttling: Rate exceeded" from GetCallerIdentity, aws/aws-sdk-go-v2#2481),
 * Lambda TooManyRequestsException (the Lambda API reference's errors of GetAccountSettings and the other calls: HTTP 429),
 * ECR ThrottleException (ECR User Guide, "Troubleshooting Amazon ECR error messages": "HTTP 429: Too Many Requests or
 * ThrottleException"; botocore's ecr model names no throttling error, so the SDK takes the name from the answer).
 */
const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "ThrottleException"]);

/**
 * A failed read of an AWS service, said as `unread` (what could not be read), then the SDK's name and words: a denial
 * (isLastingRefusal) is the answer for the run, and says what to mend: the permission the deploying identity needs, or
 * the policy IAM names as refusing it where no grant to the identity would help (accessDeniedHint); no answer
 * (isAwsNoAnswer) is a NoAnswer, to run again once `service` answers, or once Node trusts the CA that signed the
 * certificate it got (UNTRUSTED_ISSUER_REMEDY); a throttle (THROTTLED) is a Refusal to run again; anything else keeps
 * its cause. Credentials refused in an opt-in `region` also say what to check there (optInRegionHint): the SDK's words
 * blame the token alone.
 */
export function awsReadFailure(unread: string, err: Error, { service, needs, region }: { service: string; needs: string; region?: string }): Error {
    const hint = region === undefined ? undefined : optInRegionHint(region, err);
    const failed = `${unread}: ${err.name}: ${err.message}${hint ? ` (${hint})` : ""}`;
    if (isLastingRefusal(err)) return new LastingRefusal(`${failed} (${accessDeniedHint(err.message, needs)})`);
    if (isAwsNoAnswer(err)) {
        // The SDK rethrows Node's TLS error, whose message lacks its code.
        const untrusted = untrustedIssuerSaid(err);
        return new NoAnswer(untrusted ? `${failed} ${untrusted}` : `${failed}; run again once ${service} answers`, { cause: err });
    }
    // The SDK has asked again already (standard retry mode, 3 attempts, throttles included): a later run may be answered.
    if (THROTTLED.has(err.name)) return new Refusal(`${failed}; ${service} throttled the read, after the AWS SDK's retries (the account's request rate, not a permission or the setting): run again`, { cause: err });
    return new Error(failed, { cause: err });
}
