import * as pulumi from "@pulumi/pulumi";
import { ImageBuildSpec, ServiceSettingsArgs } from "../image";

export { ServiceSettingsArgs };

export type CloudRunIngress = "all" | "internal" | "internal-and-cloud-load-balancing";

export interface CloudRunGcsServiceArgs {
    /** The stack, e.g. `dev`. */
    environment: string;
    /** Production hardening: deletion protection, versioning, no force-destroy, no public invoker unless allowed. */
    isProduction: boolean;
    project: string;
    region: string;
    /** project, environment and managed-by: pulumi (lowercase values, as GCP labels require). */
    labels: Record<string, string>;
    /** Build from source (Cloud Run runs linux/amd64) or use an image built elsewhere, by digest. */
    image: { build: Omit<ImageBuildSpec, "platform"> } | { prebuilt: string };
    cpu: string;
    memory: string;
    minInstances: number;
    maxInstances: number;
    concurrency: number;
    requestTimeoutSeconds: number;
    ingress: CloudRunIngress;
    /** Let allUsers invoke the service: a dev convenience, refused in prod unless allowPublicInvokerInProd. */
    publicInvoker: boolean;
    allowPublicInvokerInProd: boolean;
    service: ServiceSettingsArgs;
    /** Secret settings, kept in Secret Manager and handed to the container by reference only. */
    secrets?: { databaseUrl?: pulumi.Input<string> };
    alerts: { errorRatePercent: number; p95LatencyMs: number; email?: string };
    imagesToKeep: number;
    /** How long `pulumi up` waits for the image workflow to push a missing image when it cannot build it. Default 20. */
    imageWaitMinutes?: number;
    /** Canary: `percent` of traffic to the latest revision, the rest to `stableRevision`. */
    canary?: { stableRevision?: string; percent: number };
}

export const OBJECT_PREFIX = "events/";
export const CONTAINER_PORT = 8080;
/** The reference service's Cloud Run entry point inside the Lambda-based image (see app/README.md). */
export const SERVER_COMMAND = { commands: ["node"], args: ["/var/task/server.js"] } as const;
export const REQUIRED_APIS = ["run", "artifactregistry", "storage", "iam", "monitoring", "secretmanager"] as const;
