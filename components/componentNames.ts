import type { ArgProblem } from "./argChecks";
import { CANDIDATE_TAG } from "./gcp/traffic";

/*
 * A component's name is the start of its children's names, and the providers make the cloud's names of the children
 * without an explicit one from them (the logical name, "-" and 7 random characters; pulumi-aws and pulumi-gcp's
 * autonaming). The program names its components `pipeline` and `service`; a package caller names them anything, and a
 * name these children cannot carry failed the update at the child's Check or create, after the children before it.
 */

/**
 * LambdaEcrPipeline's name: letters, digits and `-`, a letter or digit first, at most 47 characters, and not one of
 * S3's reserved prefixes. Its IAM roles are `<name>-pipeline-<7>` and IAM names take 64 characters (pulumi-aws
 * AutoName("name", 64), refused at Check); its health check's schedule and schedule group, each `<name>-health-<7>`, fit
 * Scheduler's 64 too (botocore scheduler model, Name max 64); its functions and state machine take letters, digits, `-` and `_` only
 * (terraform-provider-aws validFunctionName, sfn state_machine.go); its bucket, lowercased, takes no `_`, begins with a
 * letter or digit and not with `xn--`, `sthree-` or `amzn-s3-demo-` (Amazon S3 User Guide, "General purpose bucket
 * naming rules").
 */
export function pipelineNameProblem(name: string): ArgProblem | undefined {
    return nameProblem(name, {
        pattern: /^[A-Za-z0-9][A-Za-z0-9-]*$/,
        rule: "letters, digits and '-', beginning with a letter or digit",
        maxLength: 47,
        longest: "its IAM roles' names, <name>-pipeline and 7 random characters, at most 64",
        reserved: /^(xn--|sthree-|amzn-s3-demo-)/i,
        why: `must not begin with "xn--", "sthree-" or "amzn-s3-demo-", which S3 refuses in bucket names (its bucket's name is the name, lowercased, then -bucket and 7 random characters)`,
    });
}

/**
 * Cloud Run refuses a traffic tag and service name longer than 46 characters together (they make the tagged URL's DNS
 * label): "traffic tag '...' and service name '...' together are too long. Combined traffic tag and service name cannot
 * exceed 46 characters." (Cloud Run's answer as gcloud printed it, quoted in PolicyEngine/policyengine-api#3729; not
 * in Cloud Run's reference docs). The service carries CANDIDATE_TAG whenever a stable revision is kept (traffic.ts).
 */
const CLOUD_RUN_TAG_AND_SERVICE_MAX = 46;
/** `<name>-` and 7 random characters (pulumi-gcp's autonaming). */
const AUTONAME_SUFFIX = 8;
const SERVICE_NAME_MAX = CLOUD_RUN_TAG_AND_SERVICE_MAX - CANDIDATE_TAG.length - AUTONAME_SUFFIX;

/**
 * CloudRunGcsService's name: lowercase letters, digits and `-`, a letter first, at most 29 characters, without
 * "google". Its Cloud Run service is `<name>-<7>`, which must begin with a letter and have fewer than 50 characters
 * (Cloud Run Admin API v2, services.create: serviceId), and with its `candidate` tag at most 46 (above); its bucket is `<name>-objects-<7>`, not lowercased by the
 * provider (pulumi-gcp AutoName("name", 222)), and Cloud Storage takes lowercase names that neither begin with "goog"
 * nor contain "google" or a close misspelling such as "g00gle" (Cloud Storage, "Bucket names").
 */
export function serviceNameProblem(name: string): ArgProblem | undefined {
    return nameProblem(name, {
        pattern: /^[a-z][a-z0-9-]*$/,
        rule: "lowercase letters, digits and '-', beginning with a letter",
        maxLength: SERVICE_NAME_MAX,
        longest: `its Cloud Run service's name, <name> and 7 random characters, which Cloud Run takes with its "${CANDIDATE_TAG}" traffic tag only within ${CLOUD_RUN_TAG_AND_SERVICE_MAX} characters together ("Combined traffic tag and service name cannot exceed ${CLOUD_RUN_TAG_AND_SERVICE_MAX} characters.")`,
        reserved: /^goog|google|g00gle/,
        why: `must not begin with "goog" or hold "google" or "g00gle", which Cloud Storage refuses in bucket names (its bucket's name is the name, then -objects and 7 random characters)`,
    });
}

interface NameRule {
    pattern: RegExp;
    rule: string;
    maxLength: number;
    longest: string;
    /** What the name must not match (a bucket's reserved prefixes or words), and why. */
    reserved: RegExp;
    why: string;
}

function nameProblem(name: string, r: NameRule): ArgProblem | undefined {
    const reason = !r.pattern.test(name)
        ? `must be ${r.rule}`
        : name.length > r.maxLength
          ? `must be at most ${r.maxLength} characters, for ${r.longest}`
          : r.reserved.test(name)
            ? r.why
            : undefined;
    return reason ? { propertyPath: "name", reason: `${reason} (got ${JSON.stringify(name)})` } : undefined;
}
