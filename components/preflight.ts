import { getClientConfig } from "@pulumi/gcp/organizations/getClientConfig";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";

/**
 * For the checks index.ts runs before anything is registered: their warnings are the components' to give, as the
 * components check again (for callers of the package) and warn once where they cannot read.
 */
export const warnNowhere = () => undefined;

const accessTokens = new WeakMap<GcpProvider, Promise<string>>();

/** The GCP provider's access token, asked of it once for all of those checks (each getClientConfig is an invoke of the provider). */
export function providerAccessToken(provider: GcpProvider): Promise<string> {
    let token = accessTokens.get(provider);
    if (!token) accessTokens.set(provider, (token = getClientConfig({ provider }).then((config) => config.accessToken)));
    return token;
}
