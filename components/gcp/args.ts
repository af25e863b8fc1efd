import * as pulumi from "@pulumi/pulumi";
import { ImageSource, ImageVerificationPolicy, ServiceSettings } from "../image";

export { ImageSource, ServiceSettings };

/** Where Cloud Run accepts requests from. */
export const CLOUD_RUN_INGRESS = ["all", "internal", "internal-and-cloud-load-balancing"] as const;
export type CloudRunIngress = (typeof CLOUD_RUN_INGRESS)[number];

/*
 * The args are what the package schema is inferred from (multicloud/): plain interfaces, each property documented
 * (the doc comment becomes its description in every language). `pulumi.Input` where a value goes to a resource
 * as it is, so a caller may pass another resource's output; plain values where the component branches on them.
 */

export interface CloudRunGcsServiceArgs {
    /** The stack, e.g. `dev`: part of the registry's (unless imageRegistriesOf names another stack's), service account's and secrets' names. */
    environment: string;
    /** Production hardening: deletion protection, versioning, no force-destroy, no public invoker unless allowed. */
    isProduction: boolean;
    /** The GCP project everything is created in. */
    project: string;
    /** The GCP region of the registry, the service and the bucket: one Cloud Run offers the project (its locations list is asked before anything is registered). */
    region: string;
    /** Labels on every labelled resource, e.g. project, environment and managed-by: at most 63 (the provider adds goog-pulumi-provisioned, GCP takes 64), keys and values of lowercase letters, digits, _ or - (at most 63; a key starts with a letter), as GCP requires; others are refused before anything is registered. */
    labels: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Where the service image comes from: build it from source (Cloud Run runs linux/amd64) or use one built elsewhere, by digest. */
    image: ImageSource;
    /** CPU limit of an instance, e.g. `1` or `2`. */
    cpu: pulumi.Input<string>;
    /** Memory limit of an instance, e.g. `512Mi`. */
    memory: pulumi.Input<string>;
    /** Instances kept running (0 scales to zero). */
    minInstances: pulumi.Input<number>;
    /** Instances Cloud Run may start at most. */
    maxInstances: pulumi.Input<number>;
    /** Requests one instance handles at once. */
    concurrency: pulumi.Input<number>;
    /** Request timeout, in seconds. */
    requestTimeoutSeconds: number;
    /** Where requests may come from: `all`, `internal` or `internal-and-cloud-load-balancing`. */
    ingress: string;
    /**
     * Proxies in front of the service that each append to X-Forwarded-For; the rate limit's client is the element this
     * many from the right. Default: 2 with `internal-and-cloud-load-balancing` (an external Application Load Balancer
     * appends `<client>,<load balancer>`), else 1 (Cloud Run's front end).
     */
    trustedProxyHops?: number;
    /** Let anyone invoke the service (its invoker IAM check off): a dev convenience, refused in production unless allowPublicInvokerInProd. */
    publicInvoker: boolean;
    /** Allow publicInvoker in a production stack. Default false. */
    allowPublicInvokerInProd?: boolean;
    /** The service's settings, handed to the container as environment variables. */
    service: ServiceSettings;
    /**
     * The database connection string (DATABASE_URL), kept in Secret Manager and handed to the container by reference
     * only. A secret input: the package's SDKs send it as a secret (a top-level input, the only kind they wrap).
     */
    databaseUrl?: pulumi.Input<string>;
    /** Alert thresholds and who is told. */
    alerts: ServiceAlerts;
    /** Images Artifact Registry keeps (the newest ones, and always the stable revision's image). */
    imagesToKeep: number;
    /** Who may push to and pull from the stack's own repository; none by default. */
    registryAccess?: RegistryAccess;
    /** IAM members (`serviceAccount:<email>`) granted roles/run.invoker on the service itself: a release's probes; none by default. */
    releaseInvokers?: string[];
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
    /** Canary: `percent` of traffic to the latest revision, the rest to `stableRevision`. Unset: all traffic to the latest revision. */
    canary?: CloudRunCanary;
    /**
     * Any new value deploys the same settings as a new revision (a template annotation): for a revision that failed to
     * start for a cause that has passed, which an `up` with unchanged settings does not deploy again. Unset: none.
     */
    redeploy?: string;
}

/** The service's alerts: 5xx ratio, p95 latency, resource use and a failing uptime check. */
export interface ServiceAlerts {
    /** Alert when 5xx responses exceed this share of requests, in percent. */
    errorRatePercent: number;
    /** Alert when the p95 request latency exceeds this, in milliseconds. */
    p95LatencyMs: number;
    /** Alert when container CPU or memory utilization (p99 across instances) or the instance count exceeds this share of its limit (`maxInstances` for instances), in percent. Default 90. */
    utilizationPercent?: number;
    /** Requests in 5 minutes below which the 5xx-ratio and p95-latency alerts do not judge them (the release's `minRequests`). Default 100. */
    minRequests?: number;
    /** Send alerts to this e-mail address. */
    email?: string;
    /** What to do, last in the documentation (and so the notification) of each alert policy. Default: none. */
    runbook?: string;
}

/** Where Cloud Run sends traffic during a canary or rollback. */
export interface CloudRunCanary {
    /** The revision that keeps the rest of the traffic (and whose image Artifact Registry keeps): one Cloud Run has and does not report not ready; unset: no canary. */
    stableRevision?: string;
    /** Percent of traffic to the latest revision: 0 holds on (or rolls back to) the stable revision, 100 promotes the latest. */
    percent: number;
    /**
     * The revision the percent goes to; unset: the latest. A release records it, so a `pulumi up` from a newer checkout
     * mid-release creates a revision that gets no traffic until a release judges it.
     */
    candidateRevision?: string;
}

export const OBJECT_PREFIX = "events/";
export const CONTAINER_PORT = 8080;
/** The reference service's Cloud Run entry point inside the Lambda-based image (see app/README.md). */
export const SERVER_COMMAND = { commands: ["node"], args: ["/var/task/server.js"] } as const;
/** Artifact Analysis: automatic scanning of pushed images, and the occurrences API the image gate reads (image.verify). */
export const SCANNING_APIS = ["containerscanning", "containeranalysis"] as const;
export const REQUIRED_APIS = ["run", "artifactregistry", "storage", "iam", "monitoring", "secretmanager", "cloudquotas"] as const;

/** IAM members (`serviceAccount:<email>`) granted on the stack's own Artifact Registry repository. */
export interface RegistryAccess {
    /** Push (roles/artifactregistry.writer): the image workflow, a promotion into this stack. */
    writers?: string[];
    /** Pull (roles/artifactregistry.reader): a promotion out of this stack. */
    readers?: string[];
}
