/**
 * The new Cloud Run revision alone: its tagged URL (`https://candidate---<service>-<hash>.a.run.app`, the
 * service's trafficStatuses[].uri for the tag), with a Google ID token for the service's URL (candidateProbes.ts),
 * since the service has no public invoker (the release's identity needs run.routes.invoke: roles/run.invoker on the
 * service, which the stack grants its release account, `gcp.releaseInvokers`, deployments/releaseInvokers.ts; the
 * deployer's roles/run.admin holds it too).
 */
import * as http from "http";
import * as https from "https";
import type { GoogleAuthOptions } from "google-auth-library";
import { proxyAwareAgentOptions } from "../../components/aws/awsClient";
import { isTransient } from "../../components/httpAttempt";
import { networkCause } from "../../components/noAnswer";
import { within } from "../../scripts/build/within";
import { APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS, PROJECT_NOT_ASKED, applicationDefaultAccessToken, escOrApplicationDefaultAccessToken } from "../../scripts/google/accessToken";
import { googleLibraryErrorWords } from "./googleLibraryErrorWords";
import { MAX_IN_FLIGHT, REQUEST_TIMEOUT_MS } from "./load";
import { ProbeRefused, Transport, probeCannotTrust, serviceTime } from "./transport";

/**
 * Cloud Run's front refuses a request whose ID token it does not accept with 401 (a token for another audience, or none
 * valid) or 403 (an identity without run.routes.invoke), as an HTML page ("Error: Forbidden ... Your client does not
 * have permission to get URL", Cloud Run troubleshooting); the service never answers 401 or 403 on the probe's routes,
 * and answers JSON.
 */
function refusedByFront(status: number, contentType: string | undefined): boolean {
    return (status === 401 || status === 403) && !/^application\/json\b/i.test(contentType ?? "");
}

export type IdTokenHeaders = (audience: string) => Promise<Record<string, string>>;

/** Google ID tokens last an hour; one is reused for 50 minutes. */
const TOKEN_REUSE_MS = 50 * 60_000;
export const IAM_CREDENTIALS_API = "https://iamcredentials.googleapis.com";

/**
 * An answer that holds no ID token, described without its values: a 200 from IAM Credentials in another shape (an
 * access token's `{"accessToken", "expireTime"}`) can carry a credential, and this text reaches the job's log.
 */
function answerShape(answered: unknown, text: string): string {
    if (answered !== null && typeof answered === "object" && !Array.isArray(answered)) {
        const keys = Object.keys(answered);
        return keys.length === 0 ? "an empty JSON object" : `a JSON object with ${keys.map((k) => JSON.stringify(k)).join(", ")} (values not shown)`;
    }
    return answered === undefined ? `${text.length} bytes that are not JSON` : `JSON that is not an object (${Array.isArray(answered) ? "an array" : typeof answered})`;
}

/**
 * IAM Credentials' answers asked again, a few times, before the token counts as not to be had (which stops the
 * release): a quota's 429 and the 5xx that Google's API design guide ("Errors") calls retryable (isTransient).
 */
export const MINT_ATTEMPTS = 3;
export const MINT_RETRY_DELAY_MS = 1000;
/** Each generateIdToken call's time, so that minting has an end (PROBE_CREDENTIALS_WORST_SECONDS counts it). */
export const MINT_TIMEOUT_MS = 10_000;

/**
 * google-auth-library's GoogleAuth#getIdTokenClient for credentials whose client has no fetchIdToken (build/src/auth/
 * googleauth.js): the workload and workforce identity federation files (external_account, and
 * external_account_authorized_user, which `gcloud auth application-default login` writes for a workforce pool's user).
 */
const NO_ID_TOKEN_CLIENT = /^Cannot fetch ID token in this environment/;

/**
 * That error, when it is the one, with the release's way instead of the library's, a service account key, which the
 * organization policy baseline forbids making (iam.disableServiceAccountKeyCreation, README "Google Cloud organization policies").
 */
function noIdTokenClient(err: Error): void {
    if (!NO_ID_TOKEN_CLIENT.test(err.message)) return;
    throw new Error(
        "gcp: application default credentials cannot mint an ID token themselves (a workload or workforce identity federation file): " +
            "set RELEASE_GCP_SERVICE_ACCOUNT to the service account whose ID token the probe shows the new revision (the stack's environment sets it: " +
            "`pulumi env run <org>/<environment> -- env -u GOOGLE_OAUTH_ACCESS_TOKEN npm run release -- <stack>`, docs/releases.md), " +
            `which these credentials need iam.serviceAccounts.getOpenIdToken on (roles/iam.serviceAccountOpenIdTokenCreator) (google-auth-library: ${err.message})`,
        { cause: err },
    );
}

/**
 * An ID token for `audience` from application default credentials' own ID token client (`authOptions`: the tests' way
 * to hand it a transport). A user's (`gcloud auth application-default login`) is the refresh answer's `id_token`,
 * returned as it is (refreshclient.js fetchIdToken), and Google's token endpoint gives one only where the sign-in
 * granted `openid` (Google's OAuth 2.0 docs, "Refreshing an access token": an answer of access_token, expires_in,
 * scope and token_type alone); gcloud's default scopes have it, `--scopes` naming others does not. Without this check
 * the probe sent "Bearer undefined" and read Cloud Run's 401 as a missing grant. GoogleAuth is given a project
 * (PROJECT_NOT_ASKED) so that its first client does not wait, within the same APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS, on
 * its project lookup (gcloud, the metadata server's tries) on a laptop without GOOGLE_CLOUD_PROJECT.
 */
export async function applicationDefaultIdToken(audience: string, authOptions: GoogleAuthOptions = {}): Promise<string> {
    const { GoogleAuth } = await import("google-auth-library");
    const token: unknown = await new GoogleAuth({ projectId: PROJECT_NOT_ASKED, ...authOptions })
        .getIdTokenClient(audience)
        .then((client) => client.idTokenProvider.fetchIdToken(audience))
        .catch((err: unknown) => {
            if (err instanceof Error) noIdTokenClient(err);
            throw new Error(`gcp: an ID token from application default credentials (audience ${audience}): ${googleLibraryErrorWords(err)}`, { cause: err });
        });
    if (typeof token === "string" && token !== "") return token;
    throw new Error(
        `gcp: application default credentials answered without an ID token (audience ${audience}): a user's give one only when signed in with the openid scope, ` +
            "which `gcloud auth application-default login` asks for unless --scopes names others: sign in again without --scopes (or with openid among them), " +
            "or set RELEASE_GCP_SERVICE_ACCOUNT to the service account whose ID token the probe shows the new revision (docs/releases.md)",
    );
}

/**
 * Where the token comes from. With RELEASE_GCP_SERVICE_ACCOUNT (whose ID token reaches the revision; that account
 * needs iam.serviceAccounts.getOpenIdToken on itself): IAM Credentials' `generateIdToken`, called with the job's
 * OAuth access token, GOOGLE_OAUTH_ACCESS_TOKEN when set (`pulumi env run`: ESC's gcp-login, one hour), else one
 * from application default credentials, asked again for each new ID token. The release job sets no
 * GOOGLE_OAUTH_ACCESS_TOKEN (deploy-prod.yml exports only the keys it needs), since a release outlasts that hour, and
 * google-auth-library's ID token client cannot use a workload identity federation file (its external account client
 * has no fetchIdToken). Without the account: that ID token client (a service account key, the metadata server).
 */
export function googleIdTokenHeaders(
    env: Record<string, string | undefined> = process.env,
    apiBase = IAM_CREDENTIALS_API,
    fetchImpl: typeof fetch = fetch,
    accessTokenFromApplicationDefault: () => Promise<string> = applicationDefaultAccessToken,
    timing = { retryDelayMs: MINT_RETRY_DELAY_MS, timeoutMs: MINT_TIMEOUT_MS, adcTimeoutMs: APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS },
): IdTokenHeaders {
    const cache = new Map<string, { token: string; until: number }>();
    const mint = async (audience: string): Promise<string> => {
        const account = env.RELEASE_GCP_SERVICE_ACCOUNT;
        if (!account) {
            if (env.GOOGLE_OAUTH_ACCESS_TOKEN) {
                throw new Error("gcp: GOOGLE_OAUTH_ACCESS_TOKEN is set but RELEASE_GCP_SERVICE_ACCOUNT is not: name the service account whose ID token reaches the new revision (an access token alone cannot call Cloud Run)");
            }
            return within(applicationDefaultIdToken(audience), timing.adcTimeoutMs, `gcp: an ID token from application default credentials (audience ${audience})`);
        }
        const accessToken = await escOrApplicationDefaultAccessToken(env, accessTokenFromApplicationDefault, timing.adcTimeoutMs);
        const ask = () =>
            fetchImpl(`${apiBase}/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:generateIdToken`, {
                method: "POST",
                headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
                body: JSON.stringify({ audience, includeEmail: true }),
                signal: AbortSignal.timeout(timing.timeoutMs),
            });
        // An answer, or why there was none (a timeout, the network): both asked again, like a 429 or a 5xx; but not a
        // certificate Node does not trust, which no second try mends (noAnswerWords' remedy says what does).
        const attempt = () => ask().catch((err: Error) => err);
        const askAgain = (answer: Response | Error) => (answer instanceof Error ? !noAnswerWords(answer).remedy : isTransient(answer.status));
        let answer = await attempt();
        for (let n = 1; n < MINT_ATTEMPTS && askAgain(answer); n++) {
            if (!(answer instanceof Error)) await answer.body?.cancel();
            await new Promise((resolve) => setTimeout(resolve, timing.retryDelayMs * n));
            answer = await attempt();
        }
        const what = `gcp: an ID token for ${account} (audience ${audience})`;
        if (answer instanceof Error) {
            const { words, remedy } = noAnswerWords(answer);
            throw new Error(`${what}: no answer from IAM Credentials (${words})${remedy ? `; ${remedy}` : ""}`);
        }
        const response = answer;
        const text = await response.text().catch((err: Error) => {
            throw new Error(`${what}: the answer did not arrive whole (${err.name}: ${err.message})`);
        });
        if (!response.ok) {
            let message = text;
            try {
                const said: unknown = JSON.parse(text)?.error?.message;
                if (typeof said === "string") message = said;
            } catch {
                // not Google's JSON error body: keep the text
            }
            throw new Error(`${what}: ${response.status} ${message}`);
        }
        // generateIdToken answers {"token": "<JWT>"} (REST reference); anything else would be cached as the token.
        let answered: unknown;
        try {
            answered = JSON.parse(text);
        } catch {
            answered = undefined;
        }
        const token = (answered as { token?: unknown } | undefined)?.token;
        if (typeof token !== "string" || token === "") throw new Error(`${what}: ${response.status} without a token: ${answerShape(answered, text)}`);
        return token;
    };
    return async (audience) => {
        const cached = cache.get(audience);
        if (cached && cached.until > Date.now()) return { Authorization: `Bearer ${cached.token}` };
        const token = await mint(audience);
        cache.set(audience, { token, until: Date.now() + TOKEN_REUSE_MS });
        return { Authorization: `Bearer ${token}` };
    };
}

/**
 * Why a fetch got no answer: fetch's own "fetch failed" hides the system's error (its cause), an untrusted issuer's code
 * among them, which networkCause names, and for that one what to set (and the mint does not ask again).
 */
function noAnswerWords(err: Error): { words: string; remedy?: string } {
    if (!(err instanceof TypeError) || err.cause === undefined) return { words: `${err.name}: ${err.message}` };
    const { words, remedy } = networkCause(err);
    return { words: `${err.name}: ${err.message}: ${words}`, remedy };
}

/**
 * Requests over Node's http/https with keep-alive sockets, as many as the probe keeps in flight: several times
 * cheaper in CPU per request than fetch on Node 20 (scripts/bench/releaseProbe.ts measures it), which matters
 * when both clouds' loads run in one process. Each request is abandoned (its socket closed) at the probe's own
 * timeout, as lambdaTransport.ts does: one left running after the probe has counted it would keep one of the agent's
 * MAX_IN_FLIGHT sockets, and the requests after it would wait for a socket inside the agent, timed as the version's.
 */
export function httpTransport(baseUrl: string, headers: () => Promise<Record<string, string>> = async () => ({}), timeoutMs = REQUEST_TIMEOUT_MS): Transport {
    const base = new URL(baseUrl);
    // A URL's href ends in "/" at its root; the request paths start with one.
    const root = base.href.replace(/\/$/, "");
    const client = base.protocol === "https:" ? https : http;
    // Through the proxy the environment names, as the Lambda probe's: an agent made here is none of the global ones
    // that loader/proxyFromEnvironment.js sends through it.
    const agent = new client.Agent(proxyAwareAgentOptions({ keepAlive: true, maxSockets: MAX_IN_FLIGHT }));
    const credentials = () =>
        headers().catch((err: Error) => {
            throw new ProbeRefused(`the probe's credentials: ${err.message}`, { cause: err });
        });
    const send: Transport = async (request) => {
        const body = request.body === undefined ? undefined : Buffer.from(request.body);
        const sent = { ...(await credentials()), ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}) };
        return new Promise((resolve, reject) => {
            const req = client.request(`${root}${request.path}`, { method: request.method, headers: sent, agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => {
                    const answer = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), serviceMs: serviceTime(res.headers["server-timing"]?.toString()) };
                    if (refusedByFront(answer.status, res.headers["content-type"])) {
                        return reject(new ProbeRefused(`${baseUrl} refused the probe's ID token: ${answer.status} ${answer.body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200)} (the release's identity needs roles/run.invoker on the service, and its token the service's URL as audience)`));
                    }
                    resolve(answer);
                });
                res.on("error", reject);
            });
            req.on("error", (err) => reject(probeCannotTrust(baseUrl, err) ?? err));
            req.end(body);
        });
    };
    // The ID token is minted (and kept) before a request is timed: IAM Credentials' time is not the version's.
    send.prepare = async () => void (await credentials());
    return send;
}
