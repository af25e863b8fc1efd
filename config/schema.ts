import { z } from "zod";
import {
    CLOUD_RUN_CPUS,
    CLOUD_RUN_MAX_CONCURRENCY,
    CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS,
    CLOUD_RUN_MEMORY_PATTERN,
    CLOUD_RUN_IMAGE_REF_PATTERN,
    CLOUDWATCH_RETENTION_DAYS,
    ECR_IMAGE_REF_PATTERN,
    MANAGED_POLICY_ARN_PATTERN,
    MANAGED_POLICY_ARN_RULE,
    INLINE_MAP_MAX_CONCURRENCY,
    LAMBDA_MEMORY_MB,
    LAMBDA_TIMEOUT_SECONDS,
    LAMBDA_RESERVED_CONCURRENCY_MIN,
    LAMBDA_P95_DURATION_MS,
    CLOUD_RUN_P95_LATENCY_MS,
    IMAGES_TO_KEEP,
} from "./cloudLimits";
import { REDEPLOY_VALUE, REDEPLOY_VALUE_RULE } from "../components/gcp/redeploy";
import { DEFAULT_CLOUD_RUN_REQUEST_TIMEOUT_SECONDS, DEFAULT_LAMBDA_TIMEOUT_SECONDS, RELEASE_PROBE_TIMEOUT_MS } from "./requestLimits";
import { isKnownAwsRegion, UNKNOWN_REGION } from "../components/aws/regions";
import { GCP_REGION_ID, NOT_A_GCP_REGION } from "../components/gcp/regionId";
import { DEFAULT_REGIONS } from "./defaultRegions";
import { GCP_PROJECT_ID, GCP_PROJECT_ID_PART } from "./gcpProjectId";
import { DEFAULT_MIN_REQUESTS } from "../components/requestFloor";

const count = (min: number, max: number) => {
    const message = `must be a whole number from ${min} to ${max}`;
    return z.int({ error: message }).min(min, { error: message }).max(max, { error: message });
};
/** A whole number with no maximum of the cloud's own (a quota decides, checked where it is known). */
const countFrom = (min: number) => {
    const message = `must be a whole number, ${min} or more`;
    return z.int({ error: message }).min(min, { error: message });
};
/**
 * A number that may have a fraction. `pulumi config set --path <key> 2.5` stores the text "2.5": the CLI makes YAML
 * numbers of whole numbers only, and booleans of true and false (pulumi/pulumi sdk/go/common/resource/config/object.go,
 * coerce; `--type float` would store a number), so a fraction set as the README says arrives as text and is taken
 * as the number it writes.
 */
const fractional = (schema: z.ZodNumber) => z.preprocess((value) => (typeof value === "string" && /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : value), schema);
/** A rate or a use that rolls back or pages when passed: none passes 100 %, so 100 would never fire. */
const thresholdPercent = (() => {
    const message = "must be from 0 to below 100 (percent): no rate or use passes 100 %, so a threshold of 100 could never fire";
    return fractional(z.number({ error: message }).min(0, { error: message }).lt(100, { error: message }));
})();
/** A share of errors the new version's must stay under: above 0 (nothing is under 0 %) and below 100. */
const errorsUnderPercent = (() => {
    const message = "must be above 0 and below 100 (percent): the new version's errors must stay under it, and none are under 0 %";
    return fractional(z.number({ error: message }).gt(0, { error: message }).lt(100, { error: message }));
})();
/**
 * An address mail can reach. SNS's Subscribe and Cloud Monitoring's email_address label take any string (neither API
 * reference gives a length, nor do the providers check one), but the confirmation or verification mail goes out over
 * SMTP, which carries at most 64 octets before the @ (RFC 5321 4.5.3.1.1) and a path of 256 with its < and > (4.5.3.1.3,
 * so 254 for the address: RFC 3696 erratum 1690); z.email's pattern bounds neither. z.email takes ASCII only, so a
 * character is an octet.
 */
const email = z
    .email({ error: "must be an e-mail address" })
    .max(254, { error: "must be at most 254 characters: SMTP carries no longer address (RFC 5321 4.5.3.1.3, a path of 256 octets with its < and >)" })
    .refine((address) => address.lastIndexOf("@") <= 64, {
        error: "must have at most 64 characters before the @: SMTP carries no longer local part (RFC 5321 4.5.3.1.1)",
    });
/** What Lambda runs: an ECR image in the stack's own account and region (the region is checked across keys). */
const lambdaImage = z.string().max(512).regex(ECR_IMAGE_REF_PATTERN, {
    error:
        "must be an ECR image pinned by digest, <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<64 hex digits>, " +
        "in this stack's account and aws:region, built for aws.architecture (linux/arm64 for arm64, linux/amd64 for x86_64)",
});
/** What Cloud Run runs: Artifact Registry, gcr.io or Docker Hub, linux/amd64. */
const cloudRunImage = z.string().max(512).regex(CLOUD_RUN_IMAGE_REF_PATTERN, {
    error:
        "must be a linux/amd64 image pinned by digest in Artifact Registry (<region>-docker.pkg.dev/<project>/<repository>/<image>@sha256:...), " +
        "Container Registry (gcr.io/<project>/<image>@sha256:...) or Docker Hub (docker.io/<namespace>/<image>@sha256:...)",
});

/**
 * A whole number as its decimal text: `pulumi config set --path <key> 7` stores a YAML number (the CLI's coerce, as
 * for fractions above), where a setting names something by digits: a Lambda version, a Cloud Run CPU count.
 */
const wholeNumberAsText = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? String(value) : value);
/** A published Lambda version, as the release command and the README's manual rollback set it (a number). */
export const lambdaVersion = z.preprocess(
    wholeNumberAsText,
    z.string().regex(/^[1-9][0-9]{0,9}$/, { error: "must be a published Lambda version number such as \"7\"" }),
);
/**
 * A browser origin the Function URL allows: scheme://host[:port] and nothing after it, as a browser's Origin header
 * is (an entry with a path or a trailing slash never matches), within Lambda's 253 characters (API reference, Cors).
 */
const corsOrigin = z
    .url({ protocol: /^https?$/, error: "must be an http(s) origin such as https://app.example.com" })
    .max(253, { error: "must be at most 253 characters, Lambda's limit for an allowed origin" })
    .refine((url) => !URL.canParse(url) || new URL(url).origin === url, { error: "must be a bare origin, scheme://host[:port] with nothing after it, such as https://app.example.com" });
export const cloudRunRevision = z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: "must be a Cloud Run revision name such as \"api-00007-abc\"" });
/**
 * A version the release command records while it moves traffic, and sets to "" when it is done: the release only
 * sets keys (`pulumi config set --path` semantics, release/configChanges.ts), so "" is how a finished release says "none".
 */
const recordedWhileReleasing = <T extends z.ZodType>(version: T) => z.preprocess((value) => (value === "" ? undefined : value), version.optional());

export const serviceSchema = z.strictObject({
    cache: z
        .strictObject({
            maxEntries: count(1, 1_000_000),
            ttlSeconds: count(1, 86_400),
        }),
    batchSize: count(1, 1000),
    retentionDays: z.literal(CLOUDWATCH_RETENTION_DAYS, {
        error: `must be a CloudWatch retention period: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`,
    }),
    adminFeatures: z.boolean(),
    debug: z.boolean(),
    logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** How long the service gives its object store (app/README.md); unset deadlines follow the timeouts (storageDeadlines.ts). */
    storage: z
        .strictObject({
            attemptTimeoutMs: count(50, 120_000).optional(),
            maxAttempts: count(1, 10).default(3),
            deadlineMs: count(100, 600_000).optional(),
        })
        .prefault({}),
});

export const awsSchema = z.strictObject({
    enabled: z.boolean().default(true),
    memoryMb: count(LAMBDA_MEMORY_MB.min, LAMBDA_MEMORY_MB.max).default(512),
    timeoutSeconds: count(LAMBDA_TIMEOUT_SECONDS.min, LAMBDA_TIMEOUT_SECONDS.max).default(DEFAULT_LAMBDA_TIMEOUT_SECONDS),
    architecture: z.enum(["x86_64", "arm64"]).default("arm64"),
    /** Unset: the functions share the account's unreserved concurrency. */
    reservedConcurrency: countFrom(LAMBDA_RESERVED_CONCURRENCY_MIN).optional(),
    functionUrl: z
        .strictObject({
            authType: z.enum(["AWS_IAM", "NONE"]).default("AWS_IAM"),
            corsOrigins: z.array(corsOrigin).max(100).default([]),
        })
        .prefault({}),
    pipeline: z.strictObject({ maxConcurrency: count(1, INLINE_MAP_MAX_CONCURRENCY).default(10) }).prefault({}),
    alarms: z
        .strictObject({
            errorRatePercent: thresholdPercent.default(5),
            p95DurationMs: count(LAMBDA_P95_DURATION_MS.min, LAMBDA_P95_DURATION_MS.max).default(2000),
            email: email.optional(),
        })
        .prefault({}),
    imagesToKeep: count(IMAGES_TO_KEEP.min, IMAGES_TO_KEEP.max).default(10),
    /** An image built elsewhere; nothing is built or looked up when it is set. */
    image: lambdaImage.optional(),
    /**
     * The permissions boundary every role of the stack carries, which a deploy role that may only write bounded roles
     * requires: deployments/ sets it in each stack's ESC environment. Unset: no boundary.
     */
    permissionsBoundary: z.string().regex(MANAGED_POLICY_ARN_PATTERN, { error: MANAGED_POLICY_ARN_RULE }).optional(),
    canary: z
        .strictObject({
            stableVersion: lambdaVersion.optional(),
            weightPercent: z.int().min(0).max(100).default(0),
            /** Written by the release command: the version the weight goes to (not a newer one an update publishes meanwhile). */
            candidateVersion: recordedWhileReleasing(lambdaVersion),
        })
        .optional(),
});

/** The release's load when release.verify leaves it unset: the go-live checklist's 50 req/s, for 30 s. */
export const PROBE_LOAD_DEFAULTS = { minRequestsPerSecond: 50, seconds: 30 };

/** The release's default release.maxUtilizationPercent: releaseSchema's, and reservationUseIssues' where it is unset. */
export const DEFAULT_MAX_UTILIZATION_PERCENT = 90;

/** A p95 the release's probe can measure: an answer after its request timeout is counted as no answer, not as latency. */
const probeLatency = (() => {
    const message = `must be a whole number of ms from 1 to ${RELEASE_PROBE_TIMEOUT_MS - 1}: the probe counts an answer after ${RELEASE_PROBE_TIMEOUT_MS / 1000} s as no answer, never as latency, so a higher p95 could never fail`;
    return z.int({ error: message }).min(1, { error: message }).max(RELEASE_PROBE_TIMEOUT_MS - 1, { error: message });
})();

/**
 * A service account's ID, the part before `@`: 6-30 characters like a project ID's, but IAM's own rule
 * (CreateServiceAccount accountId, `[a-z]([-a-z0-9]*[a-z0-9])`), so it is written apart from GCP_PROJECT_ID_PART.
 */
const SERVICE_ACCOUNT_ID_PART = "[a-z][a-z0-9-]{4,28}[a-z0-9]";

/**
 * A service account as an IAM member, as deployments/ names the image workflow's, the promotion's and the release's.
 */
export const serviceAccountMember = z.string().regex(new RegExp(String.raw`^serviceAccount:${SERVICE_ACCOUNT_ID_PART}@${GCP_PROJECT_ID_PART}\.iam\.gserviceaccount\.com$`), {
    error: "must be serviceAccount:<account>@<project>.iam.gserviceaccount.com",
});

const memberList = z
    .array(serviceAccountMember)
    .max(10)
    .refine((members) => new Set(members).size === members.length, { error: "must not name a member twice" })
    .default([]);

/** The Cloud Run service's size and scale where a stack sets none: gcpSchema's defaults, and crossFieldIssues' where they are unset. */
export const CLOUD_RUN_DEFAULTS = { cpu: "1", memory: "512Mi", minInstances: 0, maxInstances: 3 } as const;

export const gcpSchema = z.strictObject({
    enabled: z.boolean().default(true),
    cpu: z.preprocess(wholeNumberAsText, z.enum(CLOUD_RUN_CPUS)).default(CLOUD_RUN_DEFAULTS.cpu),
    memory: z
        .string()
        .regex(CLOUD_RUN_MEMORY_PATTERN, { error: "must be a memory size such as 512Mi or 2Gi" })
        .default(CLOUD_RUN_DEFAULTS.memory),
    // No maximum of Cloud Run's own: a service's is what the region's CPU and memory quotas allow at its size ("About
    // maximum instances"), which a quota increase raises past 1,000; the quotas are checked before the service is
    // registered (components/accountLimitChecks.ts, components/gcp/cloudRunQuota.ts).
    minInstances: countFrom(0).default(CLOUD_RUN_DEFAULTS.minInstances),
    maxInstances: countFrom(1).default(CLOUD_RUN_DEFAULTS.maxInstances),
    concurrency: count(1, CLOUD_RUN_MAX_CONCURRENCY).default(80),
    requestTimeoutSeconds: count(1, CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS).default(DEFAULT_CLOUD_RUN_REQUEST_TIMEOUT_SECONDS),
    ingress: z.enum(["all", "internal", "internal-and-cloud-load-balancing"]).default("all"),
    /** Proxies that each append to X-Forwarded-For before the service; unset: 2 behind a load balancer's ingress, else 1. */
    trustedProxyHops: count(0, 10).optional(),
    /** Let anyone invoke the service (Cloud Run's invoker IAM check off): a dev convenience, refused in prod unless allowPublicInvokerInProd. */
    publicInvoker: z.boolean().default(false),
    allowPublicInvokerInProd: z.boolean().default(false),
    alerts: z
        .strictObject({
            errorRatePercent: thresholdPercent.default(5),
            p95LatencyMs: count(CLOUD_RUN_P95_LATENCY_MS.min, CLOUD_RUN_P95_LATENCY_MS.max).default(2000),
            email: email.optional(),
        })
        .prefault({}),
    imagesToKeep: count(IMAGES_TO_KEEP.min, IMAGES_TO_KEEP.max).default(10),
    /**
     * Who may push to (writers) and pull from (readers) the stack's Artifact Registry repository, granted on the
     * repository itself: deployments/ creates these accounts (the image workflow's, the promotion's) and refuses to
     * run while a stack file lacks them.
     */
    registryAccess: z
        .strictObject({
            writers: memberList,
            readers: memberList,
        })
        .prefault({}),
    /**
     * Who may invoke the service (roles/run.invoker on the service itself): the release account of a released stack,
     * whose probes call the new revision. deployments/ creates it and refuses to run while a stack file differs.
     */
    releaseInvokers: memberList,
    image: cloudRunImage.optional(),
    /** Any new value deploys the same settings as a new revision (after a revision failed for a cause that has passed). */
    redeploy: z
        .string()
        .regex(REDEPLOY_VALUE, { error: REDEPLOY_VALUE_RULE })
        .optional(),
    canary: z
        .strictObject({
            stableRevision: cloudRunRevision.optional(),
            percent: z.int().min(0).max(100).default(0),
            /** Written by the release command: the revision the percent goes to (not a newer one an update creates meanwhile). */
            candidateRevision: recordedWhileReleasing(cloudRunRevision),
        })
        .optional(),
});

/** Percent of traffic on the new version at each release step: rising, ending at 100 (the release promotes there). */
export const releaseStepsSchema = z
    .array(z.int({ error: "must be a whole percent from 1 to 100" }).min(1, { error: "must be a whole percent from 1 to 100" }).max(100, { error: "must be a whole percent from 1 to 100" }))
    .min(1, { error: "must list at least one step" })
    .max(20, { error: "must list at most 20 steps" })
    .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]), { error: "must rise strictly, such as [10, 50, 100]" })
    .refine((steps) => steps[steps.length - 1] === 100, { error: "must end at 100 (the last step puts all traffic on the new version)" });

/** The release command (`npm run release`, docs/releases.md): its steps, how long each is judged, what counts as evidence. */
export const releaseSchema = z.strictObject({
    steps: releaseStepsSchema.default([10, 50, 100]),
    /** How long each step is watched before it may pass. */
    bakeMinutes: count(1, 1440).default(10),
    /** Fewer requests on the new version in a bake window is no evidence: the step neither passes nor fails on it. */
    minRequests: count(1, 10_000_000).default(DEFAULT_MIN_REQUESTS),
    /** How long one step may wait for enough requests before the release stops, held where it is. */
    maxWaitMinutes: count(1, 1440).default(60),
    /** Written by the release command when it rolls back: the versions it refused, so a rerun does not release them again. */
    rolledBack: z.strictObject({ awsVersion: lambdaVersion.optional(), gcpRevision: cloudRunRevision.optional() }).optional(),
    /** Written by the release command: the pipeline worker's version its `live` alias keeps until a promotion (the API's is aws.canary.stableVersion). */
    workerStableVersion: lambdaVersion.optional(),
    /** Written by the release command: the worker's version its canary weight goes to (the API's is aws.canary.candidateVersion). */
    workerCandidateVersion: recordedWhileReleasing(lambdaVersion),
    /** The new version alone, before any traffic moves (the go-live checklist's figures): a smoke test, then a bounded load. */
    verify: z
        .strictObject({
            healthP95Ms: probeLatency.default(100),
            apiP95Ms: probeLatency.default(500),
            /** Requests per second the new version must sustain through the probe. */
            minRequestsPerSecond: count(1, 1000).default(PROBE_LOAD_DEFAULTS.minRequestsPerSecond),
            /** The checklist's "errors under 1 %": at or above it fails, so 0 would refuse every version. */
            errorRatePercent: errorsUnderPercent.default(1),
            /** How long the load lasts. The load comes from one client, so it must stay within the service's per-client limit (probeLoadIssues). */
            seconds: count(5, 300).default(PROBE_LOAD_DEFAULTS.seconds),
        })
        .prefault({}),
    /** Consecutive failed health checks of the new version during a bake that roll it back. */
    healthFailures: count(1, 100).default(3),
    /** Resource use above this is a breach: Lambda concurrency against its reservation, Cloud Run CPU and memory utilization. */
    maxUtilizationPercent: thresholdPercent.default(DEFAULT_MAX_UTILIZATION_PERCENT),
});

/** How long `pulumi up` waits for a missing image unless image.waitMinutes says otherwise. */
export const DEFAULT_IMAGE_WAIT_MINUTES = 20;

/** Where the service image comes from when it is built from app/ (see docs/images.md). */
export const imageSchema = z.strictObject({
    /** How long `pulumi up` waits for a missing image to be pushed (`pulumi up` never builds). */
    waitMinutes: count(0, 120).default(DEFAULT_IMAGE_WAIT_MINUTES),
    /** The stack whose images this one runs, copied by digest (`npm run image -- promote <from> <stack>`); unset: the image workflow builds this stack's own. */
    promoteFrom: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, { error: "must be a stack name (lowercase letters, digits and -)" }).optional(),
    /**
     * The stack whose registries this one runs its images from, by the same content tag, instead of registries of its
     * own (review stacks: `dev`, whose images image.yml builds on every push to main). It must deploy to the same AWS
     * account and region and GCP project and region.
     */
    registriesOf: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, { error: "must be a stack name (lowercase letters, digits and -)" }).optional(),
    /** Deploy only images signed and attested by the image workflow (docs/images.md); required in production. */
    verify: z
        .strictObject({
            /** The cosign key image.yml signs with, in AWS KMS: `awskms:///alias/<name>` (its region: aws:region unless an ARN says). */
            signingKey: z.string().regex(/^awskms:\/\/\/\S+$/, { error: "must be a cosign AWS KMS key reference: awskms:///alias/<name>" }),
            /** The workflow whose SLSA provenance is accepted, as GitHub names it (the OIDC token's job_workflow_ref). */
            workflow: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[A-Za-z0-9_.-]+\.ya?ml@refs\/[A-Za-z0-9_./-]+$/, {
                error: "must be <owner>/<repo>/.github/workflows/<file>.yml@refs/heads/<branch>",
            }),
            /** The least severe finding of the registry's scan that refuses an image: CRITICAL (default), HIGH, MEDIUM or LOW. */
            refuseSeverity: z.enum(["CRITICAL", "HIGH", "MEDIUM", "LOW"]).default("CRITICAL"),
        })
        .optional(),
});

/**
 * What the cost estimate assumes (`npm run plan -- <stack> --cost`, the pull-request comment; review/cost/): the traffic
 * each enabled cloud serves in a month. Nothing is deployed from it.
 */
export const costSchema = z.strictObject({
    assumedTraffic: z
        .strictObject({
            /** API requests per month, on each enabled cloud (Function URL and Cloud Run alike). */
            requestsPerMonth: count(0, 100_000_000_000).default(1_000_000),
            /** Mean time one API request runs, in ms. */
            avgDurationMs: count(1, 3_600_000).default(200),
            /** Log written per API request or worker key, in KiB. */
            logKiBPerRequest: count(0, 1024).default(1),
            /** Pipeline executions per month; each processes a full batch (service.batchSize keys). */
            pipelineRunsPerMonth: count(0, 10_000_000).default(100),
            /** Mean time the worker takes per key, in ms. */
            workerDurationMs: count(1, 900_000).default(1000),
            /** Objects kept in each cloud's bucket, in GiB. */
            storedGiB: fractional(z.number({ error: "must be a number of GiB from 0 to 1000000" }).min(0, { error: "must be a number of GiB from 0 to 1000000" }).max(1_000_000, { error: "must be a number of GiB from 0 to 1000000" })).default(10),
        })
        .prefault({}),
});

/** Everything under the project's namespace in a stack file (`multicloud-service:<key>`). */
export const projectSettingsSchema = z.strictObject({
    service: serviceSchema,
    image: imageSchema.prefault({}),
    aws: awsSchema.prefault({}),
    gcp: gcpSchema.prefault({}),
    release: releaseSchema.prefault({}),
    cost: costSchema.prefault({}),
    /** A secret (`pulumi config set --secret`): handed to the service through a secret store only. */
    databaseUrl: z.string().min(1).max(4096).optional(),
});

/** The provider settings the program reads, under their own namespaces. */
export const providerSettingsSchema = z.object({
    "aws:region": z
        .string()
        .refine(isKnownAwsRegion, { error: UNKNOWN_REGION })
        .default(DEFAULT_REGIONS.aws),
    "gcp:region": z
        .string()
        .regex(GCP_REGION_ID, { error: NOT_A_GCP_REGION })
        .default(DEFAULT_REGIONS.gcp),
    "gcp:project": z
        .string()
        .regex(GCP_PROJECT_ID, { error: "must be a Google Cloud project ID (6-30 lowercase letters, digits, hyphens)" })
        .optional(),
});

export type ServiceSettings = z.infer<typeof serviceSchema>;
export type AwsSettings = z.infer<typeof awsSchema>;
export type GcpSettings = z.infer<typeof gcpSchema>;
export type ReleaseSettings = z.infer<typeof releaseSchema>;
export type CostSettings = z.infer<typeof costSchema>;
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;
