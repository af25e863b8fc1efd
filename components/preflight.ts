import { getCallerIdentity } from "@pulumi/aws/getCallerIdentity";
import { getClientConfig } from "@pulumi/gcp/organizations/getClientConfig";
import type { ProviderResource } from "@pulumi/pulumi";
import { perRunMap } from "./perRun";

/**
 * For the checks run before anything is registered (cloudChecks.ts): their warnings are the components' to give, as
 * the components check again and warn once where they cannot read.
 */
export const warnNowhere = () => undefined;

/** What each provider object was asked, by what. */
const askedOfProvider = { accessToken: new WeakMap<ProviderResource, Promise<string>>(), accountId: new WeakMap<ProviderResource, Promise<string>>() };
/** What the default provider (a package caller that passes none) was asked: kept for the run, whose default provider it is. */
const askedOfDefault = perRunMap<Promise<string>>();
type Asked = keyof typeof askedOfProvider;

const askedOf = (what: Asked, provider: ProviderResource | undefined): Promise<string> | undefined => (provider ? askedOfProvider[what].get(provider) : askedOfDefault().get(what));

function askedOnce(what: Asked, provider: ProviderResource | undefined, ask: () => Promise<string>): Promise<string> {
    let answer = askedOf(what, provider);
    if (!answer) {
        answer = ask();
        if (provider) askedOfProvider[what].set(provider, answer);
        else askedOfDefault().set(what, answer);
    }
    return answer;
}

/** The GCP provider's access token, asked of it once for all of those checks (each getClientConfig is an invoke of the provider). */
export function providerAccessToken(provider: ProviderResource | undefined): Promise<string> {
    return askedOnce("accessToken", provider, () => getClientConfig({ provider }).then((config) => config.accessToken));
}

/** The AWS provider's account, asked of it once for those checks (getCallerIdentity is an invoke of the provider). */
export function providerAccountId(provider: ProviderResource | undefined): Promise<string> {
    return askedOnce("accountId", provider, () => getCallerIdentity({}, { provider }).then((identity) => identity.accountId));
}

/**
 * What those checks already asked of a component's provider (undefined: the default provider): the component takes it
 * rather than asking again. A package caller's component gets the very provider objects its construct's checks asked
 * of (the SDK's provider server builds options.providers once); what no check asked, the component asks for itself.
 */
export const accessTokenAskedOf = (provider: ProviderResource | undefined): Promise<string> | undefined => askedOf("accessToken", provider);
export const accountIdAskedOf = (provider: ProviderResource | undefined): Promise<string> | undefined => askedOf("accountId", provider);
