import { createHash } from "crypto";

/** Stable fake identifiers, so that an offline plan (and a test) prints the same thing on every run. */
export const FAKE_ACCOUNT_ID = "123456789012";
export const FAKE_PROJECT_NUMBER = "987654321098";
/**
 * Who the offline AWS credentials are (the offline key, AKIA..., is an IAM user's): the provider's getCallerIdentity
 * (mockCloud.ts) and STS's GetCallerIdentity to the AWS SDK (fakeAwsApis.ts) answer with it alike.
 */
// userId: an IAM user's is its unique ID (GetCallerIdentity's UserId is the aws:userid of the caller, botocore sts
// 2011-06-15 service-2.json GetCallerIdentityResponse), AIDA... for a user (IAM User Guide, "IAM identifiers": Understanding
// unique ID prefixes), and a unique ID is at least 16 word characters (botocore iam 2010-05-08 service-2.json, idType:
// min 16, pattern [\w]+). Made up: 17 characters after the prefix.
export const FAKE_CALLER = { account: FAKE_ACCOUNT_ID, arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/offline`, userId: "AIDAOFFLINE0USER00001" } as const;

/** STS's XML namespace, its API version 2011-06-15's: the root element of every STS answer, an error's too, carries it. */
export const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function shortHash(text: string, length = 7): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A UUID-shaped ID (8-4-4-4-12 hex digits), as AWS gives KMS keys, SNS subscriptions and secret versions. */
export function fakeUuid(text: string): string {
    return shortHash(text, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}

export function fakeDigest(text: string): string {
    return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/**
 * What a provider's auto-naming would produce: the logical name, `-` and 7 random-looking hex digits. Given the field's
 * `maxLength` (the provider's `tfbridge.AutoName(field, maxLength, "-")`), a name that cannot fit is refused as the
 * bridge refuses it in the provider's Check, at preview (pulumi-terraform-bridge info/autonaming.go wraps
 * pulumi/pulumi resource.NewUniqueName's error). `lowercase`: the mapping's transform lowers the name first
 * (tfbridge.AutoNameTransform with strings.ToLower).
 */
export function autoName(name: string, limit?: { type: string; maxLength: number; lowercase?: boolean }): string {
    const prefix = `${limit?.lowercase ? name.toLowerCase() : name}-`;
    if (limit && prefix.length + 7 > limit.maxLength) {
        throw new Error(`could not make instance of '${limit.type}': name '${prefix}' plus 7 random chars is longer than maximum length ${limit.maxLength}`);
    }
    return `${prefix}${shortHash(name)}`;
}

/**
 * The name a bridged resource gets from its `namePrefix`: the prefix, a UTC timestamp to 4 digits of fractional
 * seconds without its dot (`Format("20060102150405.0000")`), and an 8-hex-digit counter: 26 characters after the
 * prefix (terraform-plugin-sdk helper/id PrefixedUniqueId, which create.Name calls when only a prefix is set); a fixed
 * time and the name's hash here.
 */
export function prefixedUniqueId(prefix: string, name: string): string {
    return `${prefix}202612010000000000${shortHash(name, 8)}`;
}

/**
 * ECR's words for a ServerException, as the AWS CLI printed an answer of ECR's (alexjurkiewicz/ecr-scan-image#19,
 * DescribeImageScanFindings: "An internal server error has occured", ECR's spelling kept).
 */
export const ECR_SERVER_ERROR = "An internal server error has occured";

/**
 * IAM's words for a caller no identity-based policy allows `action` (e.g. `ecr:DescribeImages`, `kms:GetPublicKey`),
 * the caller being the deploying role's session: "User: <principal ARN> is not authorized to perform: <action> on
 * resource: <resource ARN> because no identity-based policy allows the <action> action". The form: IAM User Guide,
 * "Troubleshoot access denied error messages" (an implicit deny says "because no <type> policy allows the <action>
 * action"). A real one, KMS's GetPublicKey, HTTP 400: "AccessDeniedException: User: arn:aws:iam::<account>:user/
 * signatory is not authorized to perform: kms:GetPublicKey on resource: arn:aws:kms:<region>:<account>:key/<id>
 * because no identity-based policy allows the kms:GetPublicKey action ... status code: 400" (ecadlabs/signatory#388;
 * the same in #366). Services send it as an AccessDeniedException's message.
 */
export function iamNotAuthorized(action: string, resource: string, refusedBy: IamRefuser = "no identity-based policy"): string {
    return `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/deployer/session is not authorized to perform: ${action} on resource: ${resource} ${IAM_REFUSALS[refusedBy](action)}`;
}

/** IAM's denial (iamNotAuthorized) for a stand-in's `deny` setting once set: `true` for IAM's default refuser, else the refuser it names. */
export function iamDenied(action: string, resource: string, deny: true | IamRefuser): string {
    return iamNotAuthorized(action, resource, deny === true ? undefined : deny);
}

/**
 * How IAM's sentence ends for what refused the request (IAM User Guide, "Troubleshoot access denied error messages",
 * its examples): no identity-based policy allowing it; an SCP of the account's organization, "with an explicit deny in
 * a service control policy" (always so worded, even for an implicit denial; a real one with "on resource:" before it:
 * "AccessDeniedException: User: arn:aws:sts::{account-id}:assumed-role/{role-arn} is not authorized to perform:
 * waf-regional:GetWebACLForResource on resource: arn:aws:waf-regional:... with an explicit deny in a service control
 * policy", kubernetes-sigs/aws-load-balancer-controller#2322); a permissions boundary without an Allow for it,
 * "because no permissions boundary allows the <action> action".
 */
const IAM_REFUSALS = {
    "no identity-based policy": (action: string) => `because no identity-based policy allows the ${action} action`,
    "service control policy": () => "with an explicit deny in a service control policy",
    "permissions boundary": (action: string) => `because no permissions boundary allows the ${action} action`,
};

/** What refused a request, as a stand-in words IAM's denial (iamNotAuthorized). */
export type IamRefuser = keyof typeof IAM_REFUSALS;

/**
 * ECR's words for a repository a registry does not have (DescribeImages' RepositoryNotFoundException, StatusCode 400, as
 * a real answer carried them: turbot/steampipe-plugin-aws#1938; the registry API's NAME_UNKNOWN in the same words),
 * naming the registry: its account, `registryId` (the deployer's unless told).
 */
export function ecrRepositoryNotFound(repository: string, registryId = FAKE_ACCOUNT_ID): string {
    return `The repository with name '${repository}' does not exist in the registry with id '${registryId}'`;
}
