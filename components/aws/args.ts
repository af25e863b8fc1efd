import * as pulumi from "@pulumi/pulumi";
import { ImageSource, ImageVerificationPolicy, ServiceSettings } from "../image";

export { ImageSource, ServiceSettings };

/** The architectures Lambda runs; each builds the image for its platform. */
export const LAMBDA_ARCHITECTURES = ["x86_64", "arm64"] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];
/** How callers authenticate to the Function URL. */
export const FUNCTION_URL_AUTH_TYPES = ["AWS_IAM", "NONE"] as const;

/*
 * The args are what the package schema is inferred from (multicloud/): plain interfaces, each property documented
 * (the doc comment becomes its description in every language). `pulumi.Input` where a value goes to a resource
 * as it is, so a caller may pass another resource's output; plain values where the component branches on them.
 */

export interface LambdaEcrPipelineArgs {
    /** The stack, e.g. `dev`: part of the ECR repository's name (`<project>-<environment>`, unless imageRegistriesOf names another stack's) and of descriptions. */
    environment: string;
    /** The AWS region of the provider: ECR and Lambda are read there and ARNs name it; one without Function URLs, outside the commercial partition, or other than the provider's, is refused. */
    region: string;
    /** Production hardening: no force-delete, bucket versioning, protected repository and bucket, secrets kept 30 days after deletion. */
    isProduction: boolean;
    /** Tags on every taggable resource, e.g. project, environment and managed-by. */
    tags: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Where the service image comes from: build it from source (for `architecture`'s platform) or use one built elsewhere, by digest. */
    image: ImageSource;
    /** The functions' architecture: `x86_64` or `arm64`. */
    architecture: string;
    /** Memory of each function, in MB. */
    memoryMb: pulumi.Input<number>;
    /** Timeout of each function, in seconds. */
    timeoutSeconds: pulumi.Input<number>;
    /** Reserved concurrency of the API function; unset shares the account's pool. */
    reservedConcurrency?: pulumi.Input<number>;
    /** The API function's URL: how callers authenticate and which browser origins may call it. */
    functionUrl: FunctionUrlSettings;
    /** The service's settings, handed to the functions as environment variables. */
    service: ServiceSettings;
    /** The Step Functions pipeline that fans a batch of S3 keys out to the worker. */
    pipeline: PipelineSettings;
    /** Alarm thresholds and who is told. */
    alarms: PipelineAlarms;
    /** Images ECR keeps (the newest ones, and always the stable version's image). */
    imagesToKeep: number;
    /** How long `pulumi up` waits, in minutes, for a missing image to be pushed (`pulumi up` never builds). Default 20. */
    imageWaitMinutes?: number;
    /** The stack whose images this one runs, copied by digest (`npm run image -- promote`); unset: the image workflow pushes this stack's own. For messages only. */
    imagePromotedFrom?: string;
    /**
     * The stack whose registries hold this one's images (same account, project and regions): no registry of its own is
     * created, and the image of this source's content tag is looked up in that stack's. Unset: this stack's own.
     */
    imageRegistriesOf?: string;
    /** Run only an image whose cosign signature, provenance and SBOM verify (the stack's `image.verify`); unset: no check. */
    imageVerification?: ImageVerificationPolicy;
    /** Canary: `weightPercent` of the API alias goes to the new version, the rest to `stableVersion`. Unset: all traffic to the new version. */
    canary?: LambdaCanary;
    /**
     * The managed policy (its ARN) the functions' and the state machine's roles carry as their permissions boundary, as
     * a deploy role that may only write bounded roles requires (deployments/workloadRoles.ts); unset: no boundary.
     */
    permissionsBoundary?: string;
}

/** The API function's URL. */
export interface FunctionUrlSettings {
    /** `AWS_IAM` (callers sign requests with SigV4) or `NONE` (public). */
    authType: string;
    /** Browser origins allowed by CORS; empty allows none. */
    corsOrigins: string[];
}

/** The Step Functions pipeline. */
export interface PipelineSettings {
    /** Worker invocations a run makes at once. */
    maxConcurrency: number;
}

/** The pipeline's alarms: per function error rate, p95 duration and throttles; the API's /health check and its concurrency when reserved; failed runs. */
export interface PipelineAlarms {
    /** Alarm when errors exceed this share of invocations, in percent. */
    errorRatePercent: number;
    /** Alarm when a function's p95 duration exceeds this, in milliseconds. */
    p95DurationMs: number;
    /** Alarm when the API function's concurrent executions exceed this share of `reservedConcurrency`, in percent (no alarm without a reservation). Default 90. */
    utilizationPercent?: number;
    /** Invocations of the API in 5 minutes below which its error-rate and p95 alarms do not judge them (the release's `minRequests`). Default 100. */
    minRequests?: number;
    /** Subscribe this e-mail address to the alarm topic. */
    email?: string;
    /** What to do, last in the description (and so the e-mail) of each alarm about the version that serves. Default: none. */
    runbook?: string;
}

/** Where the API alias sends traffic during a canary or rollback. */
export interface LambdaCanary {
    /** The published version that keeps the rest of the traffic (and whose image ECR keeps): one the function has and Lambda does not report Failed; unset: no canary. */
    stableVersion?: string;
    /** Percent of traffic to the new version: 0 holds on (or rolls back to) the stable version, 100 promotes the new one. */
    weightPercent: number;
    /**
     * The version the weight goes to; unset: the version this update publishes. A release records it, so a `pulumi up`
     * from a newer checkout mid-release publishes a version that gets no traffic until a release judges it.
     */
    candidateVersion?: string;
    /** The worker's version its alias keeps (the worker's versions are numbered on their own): one that runs stableVersion's image, which ECR keeps too, and that Lambda does not report Failed; unset: the worker follows its newest version. */
    workerStableVersion?: string;
    /** The worker's version its share of the weight goes to, like candidateVersion; unset: its newest. */
    workerCandidateVersion?: string;
}

export const PREFIXES = { input: "input/", results: "results/" } as const;
export const ALIAS_NAME = "live";
/**
 * Request headers a browser may send to the Function URL. With AWS_IAM the request is SigV4-signed, which adds
 * x-amz-date, x-amz-content-sha256 and (temporary credentials) x-amz-security-token to authorization.
 */
export const CORS_ALLOW_HEADERS = ["content-type", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] as const;
/**
 * The header a request presents the admin token in behind the Function URL's AWS_IAM auth, whose signature takes
 * Authorization (app/src/app.ts, presentedAdminToken): allowed to browsers where admin features are on.
 */
export const ADMIN_TOKEN_HEADER = "x-admin-token";
export const IMAGE_COMMANDS = { api: ["api.handler"], worker: ["worker.handler"] } as const;

export type Tags = pulumi.Input<Record<string, pulumi.Input<string>>>;
