import * as fs from "fs";
import * as path from "path";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { scratchDir } from "./tempDirs";

/**
 * Writes, as `application_default_credentials.json` in `dir`, the ADC file `gcloud auth application-default login`
 * leaves: an `authorized_user` of gcloud's ADC client, with `quota_project_id` where `gcloud auth application-default
 * set-quota-project` wrote one. Returns the file's path.
 */
export function writeUserAdcFile(dir: string, { quotaProject }: { quotaProject?: string } = {}): string {
    const file = path.join(dir, "application_default_credentials.json");
    const contents = {
        account: "",
        client_id: "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com",
        client_secret: "not-a-secret",
        refresh_token: "1//not-a-token",
        type: "authorized_user",
        universe_domain: "googleapis.com",
        ...(quotaProject ? { quota_project_id: quotaProject } : {}),
    };
    fs.writeFileSync(file, JSON.stringify(contents));
    return file;
}

/**
 * Runs on a laptop signed in with `gcloud auth application-default login`: gcloud's configuration folder
 * (CLOUDSDK_CONFIG) holds the ADC file (writeUserAdcFile); none of the variables that hand the provider other
 * credentials or name a quota project is set, unless `env` sets it.
 */
export async function withUserAdc<T>(adc: { quotaProject?: string; env?: Record<string, string> }, run: () => Promise<T>): Promise<T> {
    const config = scratchDir("gcloud-config");
    writeUserAdcFile(config, adc);
    const unset = ["GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS", "GOOGLE_CLOUD_KEYFILE_JSON", "GCLOUD_KEYFILE_JSON", "GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_CLOUD_QUOTA_PROJECT", "USER_PROJECT_OVERRIDE", "GOOGLE_BILLING_PROJECT"];
    return withProcessEnvironment({ ...Object.fromEntries(unset.map((name) => [name, undefined])), CLOUDSDK_CONFIG: config, ...adc.env }, run);
}

/**
 * Google's token endpoint for a user's ADC, as google-auth-library's options for it (`authOptions`; the user client
 * posts to the fixed https://oauth2.googleapis.com/token, refreshclient.js): each refresh answers `access_token`,
 * `expires_in`, `scope` and `token_type` (Google's OAuth 2.0 docs, "Refreshing an access token"), with `extra` (an
 * `id_token` where the sign-in granted openid). `asked` records each request's method, URL and grant type.
 */
export function userTokenEndpoint(extra: Record<string, string>) {
    const asked: string[] = [];
    const authOptions = {
        clientOptions: {
            transporterOptions: {
                fetchImplementation: async (url: string | URL | Request, init?: RequestInit) => {
                    asked.push(`${init?.method} ${url instanceof Request ? url.url : url} ${new URLSearchParams(String(init?.body)).get("grant_type")}`);
                    return Response.json({ access_token: "ya29.user", expires_in: 3599, scope: "https://www.googleapis.com/auth/cloud-platform", token_type: "Bearer", ...extra });
                },
            },
        },
    };
    return { asked, authOptions };
}
