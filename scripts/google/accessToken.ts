/**
 * Access tokens for Google's APIs (cloud-platform scope), for the tools that call them outside the program (the
 * program uses its provider's: organizations.getClientConfig).
 */
import type { GoogleAuth } from "google-auth-library";

let applicationDefault: Promise<GoogleAuth> | undefined;

/** google-auth-library's GoogleAuth when it finds no credentials at all (NO_ADC_FOUND, build/src/auth/googleauth.js). */
const NO_APPLICATION_DEFAULT = /^Could not load the default credentials/;

/**
 * Application default credentials' access token, refreshed by google-auth-library as it nears its expiry: in a
 * workflow, the workload identity federation file google-github-actions/auth writes (GOOGLE_APPLICATION_CREDENTIALS),
 * which exchanges a new GitHub token for each, for as long as the job runs; on a laptop, `gcloud auth
 * application-default login`'s.
 */
export async function applicationDefaultAccessToken(): Promise<string> {
    applicationDefault ??= import("google-auth-library").then(({ GoogleAuth }) => new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }));
    const token = await (await applicationDefault).getAccessToken();
    if (!token) throw new Error("gcp: application default credentials gave no access token");
    return token;
}

/**
 * The access token a tool run under `pulumi env run <org>/multicloud-service/<stack>` should use: the stack's own,
 * GOOGLE_OAUTH_ACCESS_TOKEN, which ESC's gcp-login exports (deployments/escEnvironments.ts) and application default
 * credentials never read; else application default credentials'.
 */
export async function googleAccessToken(env: Record<string, string | undefined> = process.env, fromApplicationDefault = applicationDefaultAccessToken): Promise<string> {
    if (env.GOOGLE_OAUTH_ACCESS_TOKEN) return env.GOOGLE_OAUTH_ACCESS_TOKEN;
    try {
        return await fromApplicationDefault();
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
