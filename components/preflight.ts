import { getCallerIdentity } from "@pulumi/aws/getCallerIdentity";
import type { Provider as AwsProvider } from "@pulumi/aws/provider";
import { getClientConfig } from "@pulumi/gcp/organizations/getClientConfig";
import type { Provider as GcpProvider } from "@pulumi/gcp/provider";
import type { ProviderResource } from "@pulumi/pulumi";

/**
 * For the checks index.ts runs before anything is registered: their warnings are the components' to give, as the
 * components check again (for callers of the package) and warn once where they cannot read.
 */
export const warnNowhere = () => undefined;

const accessTokens = new WeakMap<ProviderResource, Promise<string>>();
const accountIds = new WeakMap<ProviderResource, Promise<string>>();

/** The GCP provider's access token, asked of it once for all of those checks (each getClientConfig is an invoke of the provider). */
export function providerAccessToken(provider: GcpProvider): Promise<string> {
    let token = accessTokens.get(provider);
    if (!token) accessTokens.set(provider, (token = getClientConfig({ provider }).then((config) => config.accessToken)));
    return token;
}

/** The AWS provider's account, asked of it once for those checks (getCallerIdentity is an invoke of the provider). */
export function providerAccountId(provider: AwsProvider): Promise<string> {
    let accountId = accountIds.get(provider);
    if (!accountId) accountIds.set(provider, (accountId = getCallerIdentity({}, { provider }).then((identity) => identity.accountId)));
    return accountId;
}

/**
 * What those checks already asked of a component's provider: the component takes it rather than asking again. A caller
 * of the package runs no such checks (and its providers are other objects), so the component asks for itself.
 */
export const accessTokenAskedOf = (provider: ProviderResource | undefined): Promise<string> | undefined => provider && accessTokens.get(provider);
export const accountIdAskedOf = (provider: ProviderResource | undefined): Promise<string> | undefined => provider && accountIds.get(provider);
