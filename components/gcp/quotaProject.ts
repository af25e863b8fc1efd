import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The quota project the program's own Google reads name in `x-goog-user-project`, and where it came from. A
 * client-based API (Cloud Quotas among the program's) bills a user's call to the project the call names; naming none,
 * a user of gcloud's credentials is billed to gcloud's own project, which answers 403 SERVICE_DISABLED ("The <api> API
 * requires a quota project, which is not set by default", as the API words it in golang/oauth2#702; client-based and
 * resource-based APIs: cloud.google.com/docs/authentication/troubleshoot-adc). A
 * raw fetch names none by itself, so the reads name the one the provider or Google's client libraries would.
 */
export interface QuotaProject {
    project: string;
    from: string;
}

/**
 * In the order the provider and the client libraries take them:
 * - USER_PROJECT_OVERRIDE=true: GOOGLE_BILLING_PROJECT, else the read's own project, as the provider's requests name
 *   them (magic-modules transport/config.go.tmpl, LoadAndValidate; transport/transport.go, SendRequest);
 * - GOOGLE_CLOUD_QUOTA_PROJECT, which the provider's HTTP client (google-api-go-client internal.GetQuotaProject) and
 *   google-auth-library-nodejs (GoogleAuth #prepareAndCacheClient) send with every call;
 * - where the provider signs in with application default credentials (none of the variables its configure reads first
 *   is set: provider.go.tmpl, GOOGLE_CREDENTIALS ... GOOGLE_OAUTH_ACCESS_TOKEN, which ESC's gcp-login sets), the ADC
 *   file's quota_project_id (`gcloud auth application-default set-quota-project`), which the client libraries send
 *   (google-auth-library-nodejs AuthClient.addSharedMetadataHeaders) and the provider does not read
 *   (hashicorp/terraform-provider-google#20459).
 */
export function callerQuotaProject(readProject: string | undefined, env: NodeJS.ProcessEnv = process.env): QuotaProject | undefined {
    // strconv.ParseBool's true values, as the provider parses the variable (config.go.tmpl, HandleSDKDefaults).
    if (["1", "t", "true"].includes(env.USER_PROJECT_OVERRIDE?.toLowerCase() ?? "")) {
        if (env.GOOGLE_BILLING_PROJECT) return { project: env.GOOGLE_BILLING_PROJECT, from: "GOOGLE_BILLING_PROJECT" };
        if (readProject) return { project: readProject, from: "USER_PROJECT_OVERRIDE" };
    }
    if (env.GOOGLE_CLOUD_QUOTA_PROJECT) return { project: env.GOOGLE_CLOUD_QUOTA_PROJECT, from: "GOOGLE_CLOUD_QUOTA_PROJECT" };
    if (PROVIDER_CREDENTIAL_VARIABLES.some((name) => env[name])) return undefined;
    const file = adcFile(env);
    const project = file && quotaProjectIdOf(file);
    return project ? { project, from: `the quota_project_id of ${file}` } : undefined;
}

const PROVIDER_CREDENTIAL_VARIABLES = ["GOOGLE_CREDENTIALS", "GOOGLE_CLOUD_KEYFILE_JSON", "GCLOUD_KEYFILE_JSON", "GOOGLE_OAUTH_ACCESS_TOKEN"];

/** Where ADC is read from: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's configuration folder (google-auth-library-nodejs, googleauth.ts and util.ts). */
function adcFile(env: NodeJS.ProcessEnv): string | undefined {
    if (env.GOOGLE_APPLICATION_CREDENTIALS) return env.GOOGLE_APPLICATION_CREDENTIALS;
    const config = env.CLOUDSDK_CONFIG ?? (process.platform === "win32" ? env.APPDATA && path.join(env.APPDATA, "gcloud") : path.join(env.HOME ?? os.homedir(), ".config", "gcloud"));
    return config ? path.join(config, "application_default_credentials.json") : undefined;
}

/** An unreadable file names none: the provider reads the same file and says what is wrong with it. */
function quotaProjectIdOf(file: string): string | undefined {
    try {
        const { quota_project_id } = JSON.parse(fs.readFileSync(file, "utf8")) as { quota_project_id?: unknown };
        return typeof quota_project_id === "string" && quota_project_id !== "" ? quota_project_id : undefined;
    } catch {
        return undefined;
    }
}

/** The headers of a read with the provider's access token, naming the quota project where there is one. */
export function googleReadHeaders(accessToken: string, quota: QuotaProject | undefined): Record<string, string> {
    return { authorization: `Bearer ${accessToken}`, ...(quota ? { "x-goog-user-project": quota.project } : {}) };
}

/**
 * The projects of gcloud's two OAuth clients, whose numbers begin their client IDs: the one `gcloud auth
 * application-default login` signs in with (764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com,
 * google-auth-library-python's _cloud_sdk.CLOUD_SDK_CLIENT_ID) and `gcloud auth login`'s (32555940559.apps.googleusercontent.com).
 * A user's call that names no quota project is billed there (golang/oauth2#702 quotes such an answer, consumer
 * projects/764086051850), where nobody outside Google can enable an API.
 */
const GCLOUD_CLIENT_PROJECTS = ["projects/764086051850", "projects/32555940559"];

/** Whether a SERVICE_DISABLED's consumer is one of gcloud's own projects: never a project the program deploys to. */
export const isGcloudClientProject = (consumer: string | undefined): boolean => consumer !== undefined && GCLOUD_CLIENT_PROJECTS.includes(consumer);

/** What to do about a SERVICE_DISABLED that names `consumer`, not `project`: whose project it is, and how to name another. */
export function disabledElsewhereHint(consumer: string | undefined, project: string | undefined, quota: QuotaProject | undefined): string {
    if (quota) return `the API is disabled in ${consumer}, the quota project the call named (${quota.project}, from ${quota.from}), not in ${project}: enable it there, or name another quota project`;
    if (isGcloudClientProject(consumer)) {
        return (
            `the call named no quota project, so Google billed it to ${consumer}, gcloud's own project, which only Google can enable an API in: with user credentials, ` +
            `run \`gcloud auth application-default set-quota-project ${project}\` (or set GOOGLE_CLOUD_QUOTA_PROJECT=${project}; either needs serviceusage.services.use on that project, in roles/serviceusage.serviceUsageConsumer), then run pulumi up again`
        );
    }
    return `the API is disabled in ${consumer}, the project the call was billed to (the deploying identity's quota project), not in ${project}: enable it there`;
}
