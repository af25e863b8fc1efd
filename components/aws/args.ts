import * as pulumi from "@pulumi/pulumi";
import { ImageBuildSpec, ServiceSettingsArgs } from "../image";

export { ServiceSettingsArgs };

export type LambdaArchitecture = "x86_64" | "arm64";

export interface LambdaEcrPipelineArgs {
    /** The stack, e.g. `dev`. */
    environment: string;
    /** The provider's region, for messages naming the ECR repository. */
    region: string;
    /** Production hardening: no force-delete, bucket versioning, secrets kept 30 days after deletion. */
    isProduction: boolean;
    /** project, environment and managed-by: pulumi (the caller decides the values). */
    tags: Record<string, string>;
    /** Build from source (the platform follows `architecture`) or use an image built elsewhere, by digest. */
    image: { build: Omit<ImageBuildSpec, "platform"> } | { prebuilt: string };
    architecture: LambdaArchitecture;
    memoryMb: number;
    timeoutSeconds: number;
    /** Reserved concurrency of the API function; unset shares the account's pool. */
    reservedConcurrency?: number;
    functionUrl: { authType: "AWS_IAM" | "NONE"; corsOrigins: string[] };
    service: ServiceSettingsArgs;
    pipeline: { maxConcurrency: number };
    alarms: { errorRatePercent: number; p95DurationMs: number; email?: string };
    imagesToKeep: number;
    /** How long `pulumi up` waits for the image workflow to push a missing image when it cannot build it. Default 20. */
    imageWaitMinutes?: number;
    /** Canary: `weightPercent` of the API alias goes to the new version, the rest to `stableVersion`. */
    canary?: { stableVersion?: string; weightPercent: number };
}

export const PREFIXES = { input: "input/", results: "results/" } as const;
export const ALIAS_NAME = "live";
/**
 * Request headers a browser may send to the Function URL. With AWS_IAM the request is SigV4-signed, which adds
 * x-amz-date, x-amz-content-sha256 and (temporary credentials) x-amz-security-token to authorization.
 */
export const CORS_ALLOW_HEADERS = ["content-type", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"] as const;
export const IMAGE_COMMANDS = { api: ["api.handler"], worker: ["worker.handler"] } as const;

export type Tags = pulumi.Input<Record<string, pulumi.Input<string>>>;
