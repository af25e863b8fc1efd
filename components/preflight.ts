import { getCallerIdentity } from "@pulumi/aws/getCallerIdentity";
import { getClientConfig } from "@pulumi/gcp/organizations/getClientConfig";
import type { ProviderResource } from "@pulumi/pulumi";

/**
 * For the checks run before anything is registered (cloudChecks.ts): their warnings are the components' to give, as
 * the components check again and warn once where they cannot read.
 */
export const warnNowhere = () => undefined;

const accessTokens = new WeakMap<ProviderResource, Promise<string>>();
const accountIds = new WeakMap<ProviderResource, Promise<string>>();

/**
 * The GCP provider's access token, asked of it once for all of those checks (each getClientConfig is an invoke of the
 * provider); of the default provider (a package caller that passes none), asked each time.
 */
export function providerAccessToken(provider: ProviderResource | undefined): Promise<string> {
    if (!provider) return getClientConfig({}).then((config) => config.accessToken);
    let token = accessTokens.get(provider);
    if (!token) accessTokens.set(provider, (token = getClientConfig({ provider }).then((config) => config.accessToken)));
    return token;
}

/** The AWS provider's account, asked of it once for those checks (getCallerIdentity is an invoke of the provider); of the default provider, each time. */
export function providerAccountId(provider: ProviderResource | undefined): Promise<string> {
    if (!provider) return getCallerIdentity({}).then((identity) => identity.accountId);
    let accountId = accountIds.get(provider);
    if (!accountId) accountIds.set(provider, (accountId = getCallerIdentity({}, { provider }).then((identity) => identity.accountId)));
    return accountId;
}

/**
 * What those checks already asked of a component's provider: the component takes it rather than asking again. A
 * package caller's component gets the provider objects its construct's checks asked of; with none (the default
 * provider), the component asks for itself.
 */
export const accessTokenAskedOf = (provider: ProviderResource | undefined): Promise<string> | undefined => provider && accessTokens.get(provider);
export const accountIdAskedOf = (provider: ProviderResource | undefined): Promise<string> | undefined => provider && accountIds.get(provider);
