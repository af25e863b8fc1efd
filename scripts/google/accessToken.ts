/**
 * Access tokens for Google's APIs (cloud-platform scope), for the tools that call them outside the program (the
 * program uses its provider's: organizations.getClientConfig).
 */
import type { GoogleAuth } from "google-auth-library";
import { untrustedIssuerSaid } from "../../components/noAnswer";
import { within } from "../build/within";

let applicationDefault: Promise<GoogleAuth> | undefined;

/** google-auth-library's GoogleAuth when it finds no credentials at all (NO_ADC_FOUND, build/src/auth/googleauth.js). */
const NO_APPLICATION_DEFAULT = /^Could not load the default credentials/;

/**
 * GoogleAuth's own project, which it otherwise looks up before it gives its first client (google-auth-library
 * googleauth.js #prepareAndCacheClient → findAndCacheProjectId) unless GOOGLE_CLOUD_PROJECT is set: it runs `gcloud
 * config config-helper`, asks the metadata server (gcp-metadata: 4 tries of 3 s, through HTTPS_PROXY too), and for a
 * workload identity file asks Cloud Resource Manager for the pool's project, whose refusal fails the token (deploy-prod's
 * promote step exports no project). Tokens do not depend on it, and nothing here or in the release probe's ID token
 * client (release/probe/cloudRunTransport.ts applicationDefaultIdToken) asks GoogleAuth for a project.
 */
export const PROJECT_NOT_ASKED = "project-not-asked";

/**
 * Application default credentials' access token, refreshed by google-auth-library as it nears its expiry: in a
 * workflow, the workload identity federation file google-github-actions/auth writes (GOOGLE_APPLICATION_CREDENTIALS),
 * which exchanges a new GitHub token for each, for as long as the job runs; on a laptop, `gcloud auth
 * application-default login`'s.
 */
export async function applicationDefaultAccessToken(): Promise<string> {
    applicationDefault ??= import("google-auth-library").then(({ GoogleAuth }) => new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"], projectId: PROJECT_NOT_ASKED }));
    const token = await (await applicationDefault).getAccessToken();
    if (!token) throw new Error("gcp: application default credentials gave no access token");
    return token;
}

/**
 * How long application default credentials may take to give a token. google-auth-library's token requests have no
 * timeout of their own: the workload identity file's STS exchange goes through a Gaxios of its own, without options
 * (baseexternalclient.js: `new sts.StsCredentials({ tokenExchangeEndpoint, clientAuthentication })`), and Node's fetch
 * gives up on a server that takes the request and stays silent only after undici's 300 s headersTimeout, asked 3 times
 * (gaxios retry.js: noResponseRetries 2); on Google Cloud, the metadata server's token is asked with no timeout at all
 * (gcp-metadata requestTimeout(): `getGCPResidency() ? 0 : 3000`). The release's probe holds its own tokens to it too.
 */
export const APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS = 15_000;

/**
 * GOOGLE_OAUTH_ACCESS_TOKEN where ESC's gcp-login exported it (deployments/escEnvironments.ts), which application default
 * credentials never read; else application default credentials', held to `timeoutMs`. Their errors are left to the
 * caller's words (the image tool's googleAccessToken, the release probe's release/probe/cloudRunTransport.ts), but for
 * a certificate Node does not trust, which names its code and what to set (untrustedIssuerSaid).
 */
export async function escOrApplicationDefaultAccessToken(
    env: Record<string, string | undefined>,
    fromApplicationDefault: () => Promise<string>,
    timeoutMs: number,
): Promise<string> {
    if (env.GOOGLE_OAUTH_ACCESS_TOKEN) return env.GOOGLE_OAUTH_ACCESS_TOKEN;
    const endpoint = env.GOOGLE_APPLICATION_CREDENTIALS ? `the token_url and service_account_impersonation_url of ${env.GOOGLE_APPLICATION_CREDENTIALS}` : "Google's OAuth endpoint, or the metadata server";
    return within(fromApplicationDefault(), timeoutMs, `gcp: an access token from application default credentials (asked of ${endpoint})`).catch((err: Error) => {
        // gaxios keeps the TLS error's code but words it as node-fetch does, without it ("request to <url> failed,
        // reason: unable to get local issuer certificate": gaxios common.js GaxiosError, node-fetch src/index.js).
        const untrusted = untrustedIssuerSaid(err);
        throw untrusted ? new Error(`${err.message} ${untrusted}`, { cause: err }) : err;
    });
}

/**
 * The access token a tool run under `pulumi env run <org>/multicloud-service/<stack>` should use: the stack's own,
 * GOOGLE_OAUTH_ACCESS_TOKEN, else application default credentials' (escOrApplicationDefaultAccessToken); where there
 * are none, an error naming both ways to give them. (Not the release's advice: docs/releases.md runs it without the
 * stack's hour-long token.)
 */
export async function googleAccessToken(
    env: Record<string, string | undefined> = process.env,
    fromApplicationDefault = applicationDefaultAccessToken,
    timeoutMs = APPLICATION_DEFAULT_TOKEN_TIMEOUT_MS,
): Promise<string> {
    try {
        return await escOrApplicationDefaultAccessToken(env, fromApplicationDefault, timeoutMs);
    } catch (err) {
        // Only where there are none (google-auth-library's NO_ADC_FOUND); a refresh that failed keeps its own words.
        if (!NO_APPLICATION_DEFAULT.test((err as Error).message)) throw err;
        throw new Error(
            `gcp: no credentials for Google's APIs: run this under \`pulumi env run <org>/multicloud-service/<stack> --\` (the stack's GOOGLE_OAUTH_ACCESS_TOKEN), ` +
                `or with application default credentials (\`gcloud auth application-default login\`; in a workflow, google-github-actions/auth) (${(err as Error).message})`,
            { cause: err },
        );
    }
}
