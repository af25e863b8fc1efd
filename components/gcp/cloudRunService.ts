import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as pulumi from "@pulumi/pulumi";
import { serviceEnvironment } from "../image";
import { CONTAINER_PORT, CloudRunGcsServiceArgs, CloudRunIngress, OBJECT_PREFIX, SERVER_COMMAND } from "./args";
import { REDEPLOY_ANNOTATION } from "./redeploy";
import { ContainerSecret } from "./secrets";
import { trafficSplit } from "./traffic";

const INGRESS: Record<CloudRunIngress, string> = {
    all: "INGRESS_TRAFFIC_ALL",
    internal: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
};

export interface CloudRunServiceArgs extends Omit<CloudRunGcsServiceArgs, "image" | "databaseUrl" | "registryAccess" | "releaseInvokers" | "alerts" | "imagesToKeep"> {
    imageRef: pulumi.Input<string>;
    bucketName: pulumi.Input<string>;
    serviceAccountEmail: pulumi.Input<string>;
    secrets: ContainerSecret[];
    /** Resolves once the canary's stable revision is one a rollback can take (stableRevisionDigest); the traffic split waits for it. */
    stableRevisionChecked: pulumi.Output<unknown>;
}

/**
 * The X-Forwarded-For element the service takes for the client, counted from the right: Cloud Run's front end appends
 * the caller's address, and an external Application Load Balancer in front appends `<client>,<load balancer>` (Cloud
 * Load Balancing docs, "X-Forwarded-For header"), so behind one the client is the second from the right.
 */
export function trustedProxyHops(ingress: string, configured: number | undefined): number {
    return configured ?? (ingress === "internal-and-cloud-load-balancing" ? 2 : 1);
}

/** Set only where it is not 1, the service's own default on Cloud Run: a service deployed before keeps its revision. */
function proxyHopsEnvironment(hops: number): { TRUSTED_PROXY_HOPS?: string } {
    return hops === 1 ? {} : { TRUSTED_PROXY_HOPS: String(hops) };
}

/**
 * How long the server drains in-flight requests after SIGTERM. Cloud Run kills the instance 10 s after SIGTERM;
 * the service's own default (10 s) would be cut off by that SIGKILL mid-answer, so the drain ends 2 s before it.
 */
export const DRAIN_TIMEOUT_MS = 8000;

const MiB = 1024 * 1024;
/** The service's own default for bytes of request bodies held at once (app/src/settings.ts). */
const SERVICE_DEFAULT_BODY_BYTES_IN_FLIGHT = 64 * MiB;
/** The service's own default for how long a request body may take to arrive. */
const SERVICE_DEFAULT_BODY_TIMEOUT_MS = 30_000;

/**
 * What the instance's size allows: request bodies held at once take an eighth of its memory (the bench measured
 * 64 MiB in flight at about 160 MB of RSS), never below the service's default, which a 512Mi instance holds; and a
 * body must arrive within the request timeout, after which Cloud Run answers for the service anyway.
 */
export function bodyLimits(memory: string, requestTimeoutSeconds: number): { MAX_BODY_BYTES_IN_FLIGHT: string; BODY_TIMEOUT_MS: string } {
    const mib = Number(/^(\d+)/.exec(memory)?.[1] ?? 512) * (memory.endsWith("Gi") ? 1024 : 1);
    return {
        MAX_BODY_BYTES_IN_FLIGHT: String(Math.max(SERVICE_DEFAULT_BODY_BYTES_IN_FLIGHT, Math.floor(mib / 8) * MiB)),
        BODY_TIMEOUT_MS: String(Math.min(SERVICE_DEFAULT_BODY_TIMEOUT_MS, requestTimeoutSeconds * 1000)),
    };
}

/**
 * The Cloud Run v2 service: the image by digest with the HTTP server entry point, settings as env, secrets by
 * reference, probes on /ready and /health, scaling and concurrency from settings, second-generation runtime.
 */
export function createCloudRunService(name: string, args: CloudRunServiceArgs, opts: pulumi.CustomResourceOptions) {
    const service = new cloudrunv2.Service(
        name,
        {
            project: args.project,
            location: args.region,
            ingress: INGRESS[args.ingress as CloudRunIngress],
            deletionProtection: args.isProduction,
            // A public service turns the invoker IAM check off rather than granting allUsers the invoker role: domain
            // restricted sharing (iam.allowedPolicyMemberDomains), which Google enforces by default on organizations
            // made since 3 May 2024, refuses allUsers in any IAM policy, and this is Google's recommended way to a
            // public service, the one for projects under that constraint (Cloud Run docs, "Allowing public
            // (unauthenticated) access").
            invokerIamDisabled: args.publicInvoker,
            labels: args.labels,
            // Instance bounds at the service level, as Google recommends: the minimum is divided among the revisions
            // the traffic split sends requests to, so a revision that is only tagged (a candidate at 0 %, or one
            // rolled back and still tagged) keeps no idle instances; a revision-level minimum starts on every
            // revision that is in the split, even at 0 %, or tagged (Cloud Run docs, "Set minimum instances for
            // services": "Revisions and minimum instances").
            scaling: { minInstanceCount: args.minInstances, maxInstanceCount: args.maxInstances },
            template: {
                serviceAccount: args.serviceAccountEmail,
                executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                maxInstanceRequestConcurrency: args.concurrency,
                timeout: `${args.requestTimeoutSeconds}s`,
                // The service-level maximum counts only revisions in the split; this one also bounds a tagged candidate.
                scaling: { maxInstanceCount: args.maxInstances },
                labels: args.labels,
                // Only when set: a service deployed without it keeps its revision.
                ...(args.redeploy === undefined ? {} : { annotations: { [REDEPLOY_ANNOTATION]: args.redeploy } }),
                containers: [
                    {
                        image: args.imageRef,
                        commands: [...SERVER_COMMAND.commands],
                        args: [...SERVER_COMMAND.args],
                        ports: { containerPort: CONTAINER_PORT },
                        resources: { limits: { cpu: args.cpu, memory: args.memory }, cpuIdle: true, startupCpuBoost: true },
                        envs: [
                            ...Object.entries({
                                ...serviceEnvironment(args.service, { backend: "gcs", bucketName: args.bucketName, objectPrefix: OBJECT_PREFIX }),
                                DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
                                // Cloud Run sets no project variable: the service's log lines name their request's trace in it.
                                GOOGLE_CLOUD_PROJECT: args.project,
                                ...proxyHopsEnvironment(trustedProxyHops(args.ingress, args.trustedProxyHops)),
                            }).map(([name, value]) => ({ name, value })),
                            ...(["MAX_BODY_BYTES_IN_FLIGHT", "BODY_TIMEOUT_MS"] as const).map((name) => ({
                                name,
                                value: pulumi.output(args.memory).apply((memory) => bodyLimits(memory, args.requestTimeoutSeconds)[name]),
                            })),
                            ...args.secrets.map((s) => ({ name: s.env, valueSource: { secretKeyRef: { secret: s.secret.secretId, version: s.version } } })),
                        ],
                        // An instance is started once /ready (its bucket reachable) answers, within 240 s, the most Cloud Run
                        // allows for failureThreshold x periodSeconds: on a new stack the runtime identity's bucket grant may take about 2 minutes
                        // to take effect (IAM, "Access change propagation"), and a revision that never starts fails the `up`.
                        startupProbe: { httpGet: { path: "/ready", port: CONTAINER_PORT }, periodSeconds: 2, failureThreshold: 120, timeoutSeconds: 1 },
                        livenessProbe: { httpGet: { path: "/health", port: CONTAINER_PORT }, periodSeconds: 15, failureThreshold: 3, timeoutSeconds: 2 },
                    },
                ],
            },
            traffics: args.stableRevisionChecked.apply(() => trafficSplit(args.canary)),
        },
        opts,
    );
    return service;
}
