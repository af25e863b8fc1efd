/**
 * deployments/ makes its Pulumi Cloud resources with the default pulumiservice provider, which calls
 * `pulumiservice:apiUrl`, else PULUMI_BACKEND_URL, else PULUMI_API, else https://api.pulumi.com, with
 * `pulumiservice:accessToken`, else PULUMI_ACCESS_TOKEN, else the token of the login `pulumi login` made current
 * (pulumi-pulumiservice v1.3.0 provider/pkg/config/config.go, Config.Annotate and Configure). Logged in to Pulumi Cloud
 * or a self-hosted one, the CLI (3.247 and later) hands every provider that login's address and token as PULUMI_API and
 * PULUMI_ACCESS_TOKEN, over ambient values (pulumi/pulumi pkg/resource/plugin/cloud_credentials.go,
 * pulumiCloudCredentialEnv), so the provider calls the backend the CLI uses unless `pulumiservice:apiUrl` names another.
 * Logged in to a DIY backend (file://, s3://, ...) it hands nothing: the provider takes PULUMI_BACKEND_URL (that very
 * file:// or s3:// URL) for its address and the DIY login's token, which is empty (`pulumi login file://...` stores an
 * Account{}: sdk/go/common/workspace/creds.go, StoreAccount), and fails ("pulumi access token not found") when it is
 * first used, after the AWS and GCP trust of the same `up` may have been made.
 */
import * as pulumi from "@pulumi/pulumi";
import { storedCredentials } from "../release/stack/escReleaseState";
import { refuseWhenAny } from "./refusal";

const PULUMI_CLOUD = "https://api.pulumi.com";
const isHttp = (url: string) => /^https?:\/\//.test(url);
const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/**
 * Refuses, before anything is registered, a run whose pulumiservice provider would call a backend other than the CLI's
 * with the CLI's token, or would have no Pulumi Cloud address or token at all. `env`: the environment the CLI runs the
 * program and its providers in.
 */
export function checkPulumiServiceLogin(env: Record<string, string | undefined>, config = new pulumi.Config("pulumiservice")): void {
    const configuredUrl = config.get("apiUrl");
    const configuredToken = config.get("accessToken");
    // The CLI's backend (pulumi/pulumi pkg/workspace/creds.go, GetCurrentCloudURLWithSource); deployments/Pulumi.yaml
    // names no `backend`. Not logged in, the CLI stops before the program runs.
    const stored = env.PULUMI_BACKEND_URL ? undefined : storedCredentials(env, { reader: "deployments/, finding the Pulumi Cloud the CLI is logged in to", instead: "set PULUMI_BACKEND_URL" });
    const backend = env.PULUMI_BACKEND_URL || stored?.credentials.current;
    if (!backend) return;
    const problems: string[] = [];
    if (isHttp(backend)) {
        if (configuredUrl && !sameUrl(configuredUrl, backend) && !configuredToken) {
            problems.push(
                `pulumiservice:apiUrl is ${configuredUrl}, but the CLI is logged in to ${backend}, whose token the provider would send there (401): \`pulumi config rm pulumiservice:apiUrl\` to manage ${backend}, or \`pulumi login ${configuredUrl}\` to manage that one`,
            );
        }
    } else {
        const calls = configuredUrl || env.PULUMI_BACKEND_URL || env.PULUMI_API || PULUMI_CLOUD;
        if (!isHttp(calls)) {
            problems.push(`the CLI's backend is ${backend}, which is no Pulumi Cloud, and the pulumiservice provider would call it for the stacks, environments and teams deployments/ makes: \`pulumi config set pulumiservice:apiUrl ${PULUMI_CLOUD}\` (or your self-hosted one's API), or keep deployments/ on Pulumi Cloud (\`pulumi login\`)`);
        }
        if (!configuredToken && !env.PULUMI_ACCESS_TOKEN) {
            problems.push(`the CLI's backend is ${backend}, a DIY one, whose login holds no Pulumi Cloud token, so the pulumiservice provider would have none for ${isHttp(calls) ? calls : PULUMI_CLOUD}: \`PULUMI_ACCESS_TOKEN=<a token of it> pulumi up\`, or keep deployments/ on Pulumi Cloud (\`pulumi login\`)`);
        }
    }
    refuseWhenAny("the pulumiservice provider would not reach the Pulumi Cloud deployments/ manages", problems);
}
