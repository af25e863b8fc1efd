import type { SettingsProblem } from "../../config/errors";

/** The GCP provider's endpoint variables, one per product: GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT, GOOGLE_STORAGE_CUSTOM_ENDPOINT, ... */
const CUSTOM_ENDPOINT_VARIABLE = /^GOOGLE_[A-Z0-9_]+_CUSTOM_ENDPOINT$/;

/** Google's own API hosts: `<api>.googleapis.com`, and the private and Private Service Connect names under it. */
const GOOGLE_API_HOST = /(^|\.)googleapis\.com$/;

/**
 * The GCP provider sends a product's calls to GOOGLE_<PRODUCT>_CUSTOM_ENDPOINT when the provider names no endpoint of
 * its own, as the program's provider does (terraform-provider-google google/transport/config.go, SetEndpointDefaults:
 * `if d.Get("cloud_run_v2_custom_endpoint") == "" { d.Set(..., MultiEnvDefault([]string{"GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT"}, ...)) }`),
 * while the program's own reads go to `<api>.googleapis.com` whatever the shell holds. Such a variable left from an
 * emulator's setup would deploy that product there and check the real one. A Google host (a private or Private
 * Service Connect endpoint) reaches the same service and is let be.
 */
export function googleEndpointProblems(env: NodeJS.ProcessEnv = process.env): SettingsProblem[] {
    return Object.entries(env)
        .filter(([name, url]) => CUSTOM_ENDPOINT_VARIABLE.test(name) && url && !GOOGLE_API_HOST.test(hostOf(url)))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, url]) => ({
            key: name,
            message:
                `is set (${url}): the GCP provider sends that product's calls there (it reads the variable when the provider names no endpoint, ` +
                "as this program's does), while the program's own checks and waits ask <api>.googleapis.com: the stack would be deployed to one " +
                `and checked against the other. Run without it (env -u ${name} pulumi up)`,
        }));
}

function hostOf(url: string): string {
    try {
        return new URL(url).hostname;
    } catch {
        return url;
    }
}
