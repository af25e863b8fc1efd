import type { EnvironmentChanges } from "../../scripts/offline/environment";
import { ConnectProxy, startConnectProxy } from "./connectProxy";
import { NO_GOOGLE_PROJECT, gcloudStandIn } from "./gcloudStandIn";
import { NO_PROXY_VARIABLES } from "./noProxyVariables";

/**
 * A machine with no Google project, behind a proxy (a laptop's `npm run release`, deploy-prod's promote step): no
 * project variable or metadata server address, a gcloud with no account selected first on PATH (`gcloud.runs()`: what
 * ran it), and a forward proxy as HTTPS_PROXY, the only proxy named (`proxy.passed`: what went through it, a metadata
 * server lookup among them). `environment`: those changes, for withProcessEnvironment or changeProcessEnvironment.
 * The caller stops the proxy.
 */
export async function noGoogleProjectBehindProxy(): Promise<{ environment: EnvironmentChanges; gcloud: ReturnType<typeof gcloudStandIn>; proxy: ConnectProxy }> {
    const gcloud = gcloudStandIn();
    const proxy = await startConnectProxy();
    return { environment: { ...NO_PROXY_VARIABLES, ...NO_GOOGLE_PROJECT, HTTPS_PROXY: proxy.url, PATH: `${gcloud.bin}:${process.env.PATH}` }, gcloud, proxy };
}
