import { Region } from "@pulumi/aws/types/enums";

/**
 * AWS regions a stack can deploy to: its Function URL (the API's endpoint) and the program's ARNs, console links and
 * ECR hosts, which are the commercial partition's (`arn:aws:`, `console.aws.amazon.com`, `amazonaws.com`), decide it.
 */

/**
 * The regions the AWS provider knows. A name of a region's shape that is none (us-moon-1) passes the provider too, as
 * it skips its region check by default (@pulumi/aws provider.js: skipRegionValidation ?? true), and the `up` fails when
 * the provider first calls STS there (no such host), naming no setting, with the GCP side already under way.
 */
const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(Region));

export const UNKNOWN_REGION = "must be an AWS region such as ap-northeast-1, one of @pulumi/aws's Region values (a region newer than them needs a newer @pulumi/aws)";

export function isKnownAwsRegion(region: string): boolean {
    return KNOWN_REGIONS.has(region);
}

/**
 * Where Lambda has no Function URLs (Lambda developer guide, "Creating and managing Lambda function URLs": "Function
 * URLs are not supported in the following AWS Regions"): CreateFunctionUrlConfig would fail the `up` after the
 * functions, the state machine and the alarms were made.
 */
export const REGIONS_WITHOUT_FUNCTION_URLS = [
    "ap-south-2",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-east-2",
    "ca-west-1",
    "eu-south-2",
    "eu-central-2",
    "il-central-1",
    "me-central-1",
] as const;

/**
 * The partition of a region outside the commercial one (`aws-cn`, `aws-us-gov`, the European Sovereign Cloud's
 * `aws-eusc` with hosts under amazonaws.eu, an isolated one), else undefined.
 */
export function nonCommercialPartition(region: string): string | undefined {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    if (region.startsWith("eusc-")) return "aws-eusc";
    return /^[a-z]{2}-iso/.test(region) ? "an isolated partition" : undefined;
}

/** Why the AWS side cannot be deployed to `region`, or undefined when it can; `orElse` is the other way out offered. */
export function awsRegionProblem(region: string, orElse?: string): string | undefined {
    const partition = nonCommercialPartition(region);
    if (partition) {
        return `is in ${partition}, where this program cannot deploy: its ARNs, console links and ECR hosts are the commercial partition's (arn:aws:), and Lambda has no Function URLs there`;
    }
    if ((REGIONS_WITHOUT_FUNCTION_URLS as readonly string[]).includes(region)) {
        return `is a region where Lambda has no Function URLs (Lambda developer guide, function URLs), which the API is served from: choose another region${orElse ? `, or ${orElse}` : ""}`;
    }
    return undefined;
}
