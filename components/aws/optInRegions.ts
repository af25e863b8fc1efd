import { nonCommercialPartition } from "./regions";

/**
 * The regions every account has enabled: those launched before March 20, 2019 ("Default Regions ... cannot be enabled or
 * disabled", AWS Account Management guide, "Enable or disable AWS Regions in your account"), as its console's own
 * list of them reads (AWS Management Console guide, "Supported Regions for myApplications", above its opt-in ones).
 * Every later region of the commercial partition is an opt-in one, disabled until the account enables it: a list of
 * the default ones, which can no longer grow, rather than of the opt-in ones, which does.
 */
const DEFAULT_REGIONS: ReadonlySet<string> = new Set([
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "sa-east-1",
]);

/** Whether `region` is one an account must enable before anything there takes its credentials. */
export function isOptInRegion(region: string): boolean {
    return !DEFAULT_REGIONS.has(region) && nonCommercialPartition(region) === undefined;
}

/**
 * How a service refuses a request's credentials as no token it knows: STS's query protocol says InvalidClientTokenId
 * (403), Lambda's and the other JSON services' UnrecognizedClientException, both "The security token included in the
 * request is invalid". In an opt-in region that is the answer to an account that has not enabled it (@aws-sdk/client-sts
 * GetCallerIdentity in eu-south-1, remotion-dev/github-unwrapped-2022#34; ap-east-1, ekristen/aws-nuke#774), and to a
 * session token from STS's global endpoint, which is valid only in the default regions unless the account has it issue
 * version 2 tokens (IAM API reference, SetSecurityTokenServicePreferences).
 */
const TOKEN_NOT_TAKEN = new Set(["InvalidClientTokenId", "UnrecognizedClientException"]);

/** What to check when `region` is an opt-in region and its service did not take the credentials (`err`); else undefined. */
export function optInRegionHint(region: string, err: Error): string | undefined {
    if (!TOKEN_NOT_TAKEN.has(err.name) || !isOptInRegion(region)) return undefined;
    return (
        `${region} is an opt-in region (launched after March 20, 2019): its services answer so to every credential until the region is enabled for the account ` +
        `(\`aws account get-region-opt-status --region-name ${region}\` says ENABLED once it is; \`aws account enable-region --region-name ${region}\` enables it), ` +
        "and a session token from STS's global endpoint (sts.amazonaws.com) unless the account's global endpoint issues version 2 tokens " +
        "(`aws iam get-account-summary`: GlobalEndpointTokenVersion 2), so take the session from a regional STS endpoint; the credentials themselves may be fine"
    );
}
