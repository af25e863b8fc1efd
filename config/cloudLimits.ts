/** Limits the clouds themselves enforce, so that a bad value fails at validation, not half-way through `pulumi up`. */
import { GCP_PROJECT_ID_PART } from "./gcpProjectId";

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** An Inline Map state runs at most 40 iterations at once (Step Functions docs, Map state, inline mode): more cannot happen. */
export const INLINE_MAP_MAX_CONCURRENCY = 40;

export const LAMBDA_MEMORY_MB = { min: 128, max: 10240 } as const;
export const LAMBDA_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;
/**
 * A function's reserved concurrency has no maximum of Lambda's own (PutFunctionConcurrency: "Minimum value of 0"): the
 * account's concurrency limit, which a quota increase raises past 10,000, is checked before the function is
 * registered (components/aws/accountConcurrency.ts).
 */
export const LAMBDA_RESERVED_CONCURRENCY_MIN = 0;
/** A p95 alarm's threshold: no invocation lasts longer than Lambda's longest timeout. */
export const LAMBDA_P95_DURATION_MS = { min: 1, max: LAMBDA_TIMEOUT_SECONDS.max * 1000 } as const;
/** Images a registry's cleanup keeps. */
export const IMAGES_TO_KEEP = { min: 1, max: 1000 } as const;

/**
 * Cloud Run's whole-CPU values (its vCPU and memory table, "Configure CPU limits for services"), allowed under either
 * billing; the service bills by request (cpuIdle). The fractions below 1 the table also has are not offered.
 */
export const CLOUD_RUN_CPUS = ["1", "2", "4", "6", "8"] as const;
export type CloudRunCpu = (typeof CLOUD_RUN_CPUS)[number];

/**
 * Cloud Run's memory bounds per CPU count (MiB). The second-generation execution environment needs at least
 * 512 MiB; above 4 GiB needs 2 CPUs, above 8 GiB 4 CPUs, above 16 GiB 6 CPUs, above 24 GiB 8 CPUs; 4 CPUs need at
 * least 2 GiB, 6 and 8 CPUs at least 4 GiB (cloud.google.com/run/docs/configuring/services/cpu, "vCPU and memory table").
 */
export const CLOUD_RUN_MEMORY_MIB_BY_CPU: Record<CloudRunCpu, { min: number; max: number }> = {
    "1": { min: 512, max: 4096 },
    "2": { min: 512, max: 8192 },
    "4": { min: 2048, max: 16384 },
    "6": { min: 4096, max: 24576 },
    "8": { min: 4096, max: 32768 },
};

/** `512Mi`, `2Gi` and the like, as Cloud Run writes memory limits. */
export const CLOUD_RUN_MEMORY_PATTERN = /^([1-9][0-9]*)(Mi|Gi)$/;

export function memoryMiB(memory: string): number | undefined {
    const match = CLOUD_RUN_MEMORY_PATTERN.exec(memory);
    if (!match) return undefined;
    return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

/** Why Cloud Run refuses `memory` with `cpu` (its cpu/memory pairs), or undefined when it takes them or either is no limit. */
export function cloudRunMemoryPairProblem(cpu: unknown, memory: unknown): string | undefined {
    const mib = typeof memory === "string" ? memoryMiB(memory) : undefined;
    // Only a CPU Cloud Run has: a key looked up by any other value could be an object's, or Object.prototype's.
    const bounds = (CLOUD_RUN_CPUS as readonly unknown[]).includes(cpu) ? CLOUD_RUN_MEMORY_MIB_BY_CPU[cpu as CloudRunCpu] : undefined;
    if (mib === undefined || !bounds || (mib >= bounds.min && mib <= bounds.max)) return undefined;
    return `must be between ${bounds.min}Mi and ${bounds.max}Mi with ${cpu} CPU (Cloud Run's cpu/memory pairs)`;
}

export const CLOUD_RUN_MAX_CONCURRENCY = 1000;
export const CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS = 3600;
/** A p95 alert's threshold: no request lasts longer than Cloud Run's longest request timeout. */
export const CLOUD_RUN_P95_LATENCY_MS = { min: 1, max: CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS * 1000 } as const;

/**
 * How long the service drains after SIGTERM on Cloud Run (its DRAIN_TIMEOUT_MS, set by components/gcp/cloudRunService.ts,
 * which a spec keeps equal): Cloud Run kills the instance 10 s after SIGTERM. The service refuses to start with a
 * storage deadline that does not end within the drain.
 */
export const CLOUD_RUN_DRAIN_MS = 8000;


/** An image in ECR, pinned by digest: what Lambda can run. Groups: account, region. */
export const ECR_IMAGE_REF_PATTERN = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/[a-z0-9][a-z0-9._\-/]*@sha256:[0-9a-f]{64}$/;

/**
 * An IAM managed policy's ARN, as a role's permissions boundary, which CreateRole and PutRolePermissionsBoundary take
 * from any managed policy, the account's own or AWS managed (`arn:aws:iam::aws:policy/...`; IAM API reference,
 * PutRolePermissionsBoundary). The partition as the AWS provider's ARN check takes it (`aws` and `-<letters>` parts:
 * terraform-provider-aws internal/verify/validate.go partitionRegexp `^aws(-[a-z]+)*$`, which iam/role.go's
 * permissions_boundary runs at preview, before anything of the role is made); the account 12 digits or `aws`; then the
 * path and name a managed policy can have (IAM API model, boto/botocore data/iam/2010-05-08/service-2.json:
 * policyPathType `((/[A-Za-z0-9\.,\+@=_-]+)*)/` of 1 to 512, policyNameType `[\w+=,.@-]+` of 1 to 128). The lookahead
 * holds the path to 512: the last `/` is within its first 512 characters. IAM's own 2048 (arnType) is then never reached.
 */
export const MANAGED_POLICY_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:iam::(?:\d{12}|aws):policy(?=.{0,511}\/[^/]*$)\/(?:[A-Za-z0-9.,+@=_-]+\/)*[\w+=,.@-]{1,128}$/;
export const MANAGED_POLICY_ARN_RULE =
    "must be the ARN of an IAM managed policy, arn:<partition>:iam::<12-digit account, or aws>:policy/[<path>/]<name>, its path letters, digits " +
    "and .,+@=_- between slashes (at most 512 characters) and its name letters, digits and +=,.@_- (at most 128), as IAM's CreatePolicy takes them";

/**
 * Registries Cloud Run deploys from: Artifact Registry, Container Registry (gcr.io) and Docker Hub, by digest. gcr.io's
 * first part is looser than a project ID on purpose: it is a domain-scoped project's domain there too
 * (`gcr.io/example.com/my-project/...`, Artifact Registry docs, "Repository and image names").
 */
export const CLOUD_RUN_IMAGE_REF_PATTERN = new RegExp(
    String.raw`^(?:[a-z0-9-]+-docker\.pkg\.dev\/${GCP_PROJECT_ID_PART}\/[a-z0-9._-]+|(?:[a-z]+\.)?gcr\.io\/[a-z][a-z0-9-.]{4,61}|(?:docker\.io|index\.docker\.io)\/[a-z0-9._-]+)\/[a-z0-9][a-z0-9._\-/]*@sha256:[0-9a-f]{64}$`,
);
