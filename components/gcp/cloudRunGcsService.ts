import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ArgProblem, exactlyOneImageSource, gcpLabelProblems, known, oneOf, plainValues, rejectBadArgs, thresholdPercent, wholeNumberFrom, wholeNumberIn } from "../argChecks";
import { serviceNameProblem } from "../componentNames";
import {
    CLOUD_RUN_CPUS,
    CLOUD_RUN_MAX_CONCURRENCY,
    CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS,
    CLOUD_RUN_P95_LATENCY_MS,
    IMAGES_TO_KEEP,
    cloudRunMemoryPairProblem,
    memoryMiB,
} from "../../config/cloudLimits";
import { dependsOnResources } from "../dependsOnResources";
import { LOG_LEVELS } from "../image";
import { COMPONENT_TOKENS, aliasFormerToken } from "../tokens";
import { servingApis } from "./apiActivation";
import { CLOUD_RUN_INGRESS, CloudRunGcsServiceArgs, REQUIRED_APIS, SCANNING_APIS } from "./args";
import { checkedMaxInstances } from "./cloudRunQuota";
import { createCloudRunService } from "./cloudRunService";
import { createServiceDashboard } from "./dashboard";
import { checkingCloudRunImage } from "./cloudRunImagePlatform";
import { createImageRegistry, prebuiltRepositoryWith } from "./imageRegistry";
import { createServiceMonitoring } from "./monitoring";
import { grantPrebuiltImageReader } from "./prebuiltImageAccess";
import { enableProjectServices } from "./projectServices";
import { ContainerSecret, createContainerSecret } from "./secrets";
import { memberNamePart, secretId, serviceAccountDisplayName, serviceAccountId } from "./resourceIds";
import { waitForNewAccount } from "./accountPropagation";
import { afterNewGrant } from "./grantPropagation";
import { REDEPLOY_VALUE, REDEPLOY_VALUE_RULE } from "./redeploy";
import { servingLatestRevision } from "./revisionReadiness";
import { stableRevisionDigest } from "./rollbackTarget";
import { createRuntimeAccount } from "./runtimeAccount";
import { createStorageBucket } from "./storageBucket";
import { CANDIDATE_TAG } from "./traffic";
import { CHECKLIST_TARGETS } from "../dashboardTargets";
import { DEFAULT_MIN_REQUESTS } from "../requestFloor";
import { accessTokenAskedOf } from "../preflight";
import { gcpRegionIdProblem } from "./regionId";

/**
 * The service on GCP: Artifact Registry with the service image, a Cloud Run v2 service with its own service
 * account (no keys), a GCS bucket it alone may use, secrets by reference, alert policies and an uptime check.
 */
export class CloudRunGcsService extends pulumi.ComponentResource {
    /** The Cloud Run service's URL. */
    public readonly serviceUrl: pulumi.Output<string>;
    /** The GCS bucket the service stores objects in (under `events/`). */
    public readonly bucketName: pulumi.Output<string>;
    /** E-mail of the service's own service account (no keys), the only one with access to the bucket. */
    public readonly serviceAccountEmail: pulumi.Output<string>;
    /** The image the service runs: `<repository>@sha256:<digest>`. */
    public readonly imageRef: pulumi.Output<string>;
    /** The image's digest, `sha256:<hex>`. */
    public readonly imageDigest: pulumi.Output<string>;
    /** The Cloud Run service's name: what `npm run release` reads. */
    public readonly serviceName: pulumi.Output<string>;
    /** The service's latest ready revision: what `npm run release` reads. */
    public readonly latestRevision: pulumi.Output<string>;
    /** The latest revision's own URL (its `candidate` tag) while a stable revision is kept; "" otherwise: what `npm run release` probes. */
    public readonly candidateUrl: pulumi.Output<string>;
    /** The stack's Cloud Monitoring dashboard in the console: the checklist's figures with the alerts' thresholds drawn. */
    public readonly dashboardUrl: pulumi.Output<string>;
    /** The alert e-mail's notification channel (projects/<project>/notificationChannels/<id>), "" without one: where `npm run release` checks that Cloud Monitoring holds it verified. */
    public readonly alertChannel: pulumi.Output<string>;
    /** The admin endpoints' bearer token (a secret), when admin features are on. */
    public readonly adminToken?: pulumi.Output<string>;

    constructor(name: string, args: CloudRunGcsServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        rejectBadArgs("CloudRunGcsService", name, cloudRunGcsServiceArgProblems(name, args));
        super(COMPONENT_TOKENS.CloudRunGcsService.token, name, {}, aliasFormerToken(COMPONENT_TOKENS.CloudRunGcsService.former, opts));
        const { project, labels } = args;
        const apiNames = [...REQUIRED_APIS, ...(args.imageVerification ? SCANNING_APIS : [])];
        const askedToken = accessTokenAskedOf(this.getProvider("gcp:organizations/getClientConfig:getClientConfig"));
        const accessToken = askedToken ? pulumi.secret(askedToken) : organizations.getClientConfigOutput({ parent: this }).accessToken;
        // Nothing is created before a prebuilt image is known to be one Cloud Run runs: the APIs, which everything else
        // waits for, and the admin token wait for the registry's check, which needs only the deployer's token.
        const prebuiltChecked = checkingCloudRunImage(args.image.prebuilt, prebuiltRepositoryWith(new Promise((resolve) => pulumi.unsecret(accessToken).apply(resolve))));
        const checked = pulumi.output(prebuiltChecked.then((): pulumi.Resource[] => []));
        const enabled = enableProjectServices(`${name}-api`, project, this, apiNames, checked);
        const projectNumber = organizations.getProjectOutput({ projectId: project }, { parent: this }).number;
        // Everything that needs an API waits until it serves the project, not only until it is enabled.
        const apis = servingApis(enabled, apiNames, { id: project, number: projectNumber }, args.region, accessToken);
        // As a dependsOn, `apis` carries every API's service: a resource that needs one API waits on all of them.
        const apiId = (which: (typeof apiNames)[number]) => apis.apply(() => enabled[apiNames.indexOf(which)].id);
        const opts_ = { parent: this, dependsOn: apis };

        const registryApi = apiId("artifactregistry");
        const scanningApi = args.imageVerification ? apiId("containeranalysis") : undefined;
        // A stable revision a rollback cannot take (one Cloud Run does not have, or reports not ready) stops the `up`
        // before the registry's cleanup policy drops its keep rule and before the service's traffic moves onto it, in
        // every stack (one on another stack's registries has no cleanup policy of its own to ask it): one read, one refusal.
        const stable = args.canary?.stableRevision;
        const stableDigest = stable ? stableRevisionDigest({ project, region: args.region, revision: stable }, accessToken, this) : pulumi.output(undefined);
        const { image } = createImageRegistry(`${name}-registry`, { ...args, registryApi, scanningApi, accessToken, projectNumber, prebuiltChecked, stableDigest }, opts_);
        const prebuiltAccess = grantPrebuiltImageReader(`${name}-prebuilt-reader`, { ...args, projectNumber }, opts_);
        const { account, member, email, createdAt: memberCreatedAt } = createRuntimeAccount(
            `${name}-runtime`,
            { project, accountId: serviceAccountId(`${name}-${args.environment}`), displayName: serviceAccountDisplayName(`Runtime identity of ${name} (${args.environment})`) },
            opts_,
        );
        const { bucket, access: bucketGrant, readableName: readableBucketName } = createStorageBucket(`${name}-objects`, { ...args, retentionDays: args.service.retentionDays, member, memberCreatedAt }, opts_);

        const secretValues: { env: string; value: pulumi.Input<string>; id: string }[] = [];
        if (args.databaseUrl !== undefined) secretValues.push({ env: "DATABASE_URL", value: args.databaseUrl, id: "database-url" });
        let adminToken: pulumi.Output<string> | undefined;
        if (args.service.adminFeatures) {
            const password = new random.RandomPassword(`${name}-admin-token`, { length: 48, special: false }, { parent: this, dependsOn: checked });
            adminToken = pulumi.secret(password.result);
            secretValues.push({ env: "ADMIN_TOKEN", value: adminToken, id: "admin-token" });
        }
        const secrets: ContainerSecret[] = [];
        const secretGrants: pulumi.Resource[] = [];
        for (const s of secretValues) {
            const created = createContainerSecret(
                `${name}-${s.id}`,
                { project, secretId: secretId(`${name}-${args.environment}-${s.id}`), env: s.env, value: s.value, member, memberCreatedAt, labels, isProduction: args.isProduction },
                opts_,
            );
            secrets.push(created.secret);
            secretGrants.push(created.access, created.version);
        }

        // Max instances the region's Cloud Run quota cannot hold fail here, before the service is registered.
        const maxInstances = checkedMaxInstances({
            project,
            projectNumber,
            region: args.region,
            maxInstances: args.maxInstances,
            cpu: args.cpu,
            memory: args.memory,
            ready: apiId("cloudquotas"),
            accessToken,
        });
        const service = createCloudRunService(
            name,
            { ...args, maxInstances, imageRef: prebuiltAccess.readableImage(image.ref), bucketName: readableBucketName, serviceAccountEmail: email, secrets, stableRevisionChecked: stableDigest },
            // Its instances' /ready lists the bucket: the first revision starts only after the grant is made.
            { parent: this, dependsOn: apis.apply(() => dependsOnResources([bucketGrant, ...secretGrants, ...prebuiltAccess.grants])) },
        );

        // The release's probes call the new revision with their own ID token. Granted on the service: Cloud Run does
        // not recognize resource attributes in IAM Conditions (IAM docs, "Resource attributes for IAM Conditions"), so
        // a project-wide grant would let the release call every service in the project
        // (deployments/releaseInvokers.ts). Each grant only adds its member (IamMember, not IamBinding).
        const releaseInvokerGrants = (args.releaseInvokers ?? []).map((member) => {
            const grantName = `${name}-invoker-${memberNamePart(member)}`;
            const grant = new cloudrunv2.ServiceIamMember(grantName, { project, location: args.region, name: service.name, role: "roles/run.invoker", member }, { parent: this });
            return { grantName, grant };
        });

        // Uptime checks probe the public run.app host from Google's checkers, outside the project's network: with
        // internal ingress every probe is refused, and the alert would fire forever. Only `all` gets one.
        let uptimeCheck: { invokerGrant: cloudrunv2.ServiceIamMember; serviceCreateTime: pulumi.Output<string> } | undefined;
        if ((args.ingress ?? "all") === "all") {
            // The checker's identity is Monitoring's service agent, which Google creates "at some point after you
            // activate and use the API" (IAM docs, "Service agents"); IAM refuses a grant to an account that does not
            // exist yet, so the agent is created first (Service Usage's generateServiceIdentity), and a grant made the
            // moment it exists is refused too: the grant waits for it to be known (accountPropagation.ts). The member is
            // the address Google's uptime-check docs name for authenticated checks of Cloud Run.
            const monitoringAgent = new projects.ServiceIdentity(
                `${name}-monitoring-agent`,
                { project, service: "monitoring.googleapis.com" },
                { parent: this, dependsOn: apis },
            );
            const agentMember = pulumi.interpolate`serviceAccount:service-${projectNumber}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`;
            const agentKnown = waitForNewAccount(`${name}-monitoring-agent-propagation`, { agent: monitoringAgent.id, member: agentMember }, { parent: this });
            const invokerGrant = new cloudrunv2.ServiceIamMember(
                `${name}-uptime-invoker`,
                { project, location: args.region, name: service.name, role: "roles/run.invoker", member: agentKnown(agentMember) },
                { parent: this, dependsOn: [monitoringAgent] },
            );
            uptimeCheck = { invokerGrant, serviceCreateTime: service.createTime };
        }
        const utilizationPercent = args.alerts.utilizationPercent ?? CHECKLIST_TARGETS.utilizationPercent;
        const dashboard = createServiceDashboard(
            `${name}-dashboard`,
            { project, environment: args.environment, serviceName: service.name, errorRatePercent: args.alerts.errorRatePercent, p95LatencyMs: args.alerts.p95LatencyMs, utilizationPercent, maxInstances },
            opts_,
        );
        const { channels } = createServiceMonitoring(
            name,
            {
                project,
                environment: args.environment,
                serviceName: service.name,
                serviceUrl: service.uri,
                projectNumber,
                errorRatePercent: args.alerts.errorRatePercent,
                p95LatencyMs: args.alerts.p95LatencyMs,
                minRequests: args.alerts.minRequests ?? DEFAULT_MIN_REQUESTS,
                utilizationPercent,
                maxInstances,
                email: args.alerts.email,
                runbook: args.alerts.runbook,
                dashboardUrl: dashboard.url,
                uptimeCheck,
                labels,
            },
            opts_,
        );

        this.serviceUrl = service.uri;
        this.bucketName = bucket.name;
        // Once other services know it: a consumer's own grant to it is refused before that, as the bucket's would be.
        this.serviceAccountEmail = email;
        this.imageRef = image.ref;
        this.imageDigest = image.digest;
        this.serviceName = service.name;
        this.latestRevision = servingLatestRevision(service);
        // The release probes the candidate URL right after its `up`: a new invoker grant has IAM's propagation time
        // first (the `up` that made it waits; the grants' waits run side by side), or its first probe is answered 403
        // and the release stops, moving no traffic.
        const candidateUrl = service.trafficStatuses.apply((statuses) => statuses?.find((s) => s.tag === CANDIDATE_TAG)?.uri ?? "");
        const afterInvokerGrants = releaseInvokerGrants.map(({ grantName, grant }) =>
            afterNewGrant(candidateUrl, [service.createTime], grant, () => "the release's first probe: its invoker grant is new", { name: `${grantName}-made`, parent: this }),
        );
        this.candidateUrl = pulumi.all([candidateUrl, ...afterInvokerGrants]).apply(([url]) => url);
        this.dashboardUrl = dashboard.url;
        this.alertChannel = channels[0]?.name ?? pulumi.output("");
        this.adminToken = adminToken;
        this.registerOutputs({
            serviceUrl: this.serviceUrl,
            bucketName: this.bucketName,
            serviceAccountEmail: this.serviceAccountEmail,
            imageDigest: this.imageDigest,
            imageRef: this.imageRef,
            serviceName: this.serviceName,
            latestRevision: this.latestRevision,
            candidateUrl: this.candidateUrl,
            dashboardUrl: this.dashboardUrl,
            alertChannel: this.alertChannel,
            adminToken: this.adminToken,
        });
    }
}

/** The name's and the args' problems the component refuses before registering anything (the package's construct asks first). */
export function cloudRunGcsServiceArgProblems(name: string, args: CloudRunGcsServiceArgs): (ArgProblem | undefined)[] {
    return [serviceNameProblem(name), ...badArgs(args), publicInProductionProblem(args)];
}

function publicInProductionProblem(args: CloudRunGcsServiceArgs): ArgProblem | undefined {
    if (!args.publicInvoker || !args.isProduction || args.allowPublicInvokerInProd) return undefined;
    return { propertyPath: "publicInvoker", reason: "must be false: a public service (invoker IAM check off) is refused in a production stack unless allowPublicInvokerInProd is set" };
}

/** What a caller of another language can get wrong that TypeScript's types would have caught. */
function badArgs(args: CloudRunGcsServiceArgs): (ArgProblem | undefined)[] {
    return [
        ...plainValues(args, ["environment", "isProduction", "project", "region", "image", "requestTimeoutSeconds", "ingress", "trustedProxyHops", "publicInvoker", "allowPublicInvokerInProd", "service", "alerts", "imagesToKeep", "imageWaitMinutes", "imagePromotedFrom", "imageRegistriesOf", "canary", "redeploy"]),
        exactlyOneImageSource("image", args.image),
        // A package caller's region bypasses the stacks' settings schema, which holds the same rule.
        gcpRegionIdProblem("region", args.region),
        ...gcpLabelProblems("labels", args.labels),
        oneOf("ingress", args.ingress, CLOUD_RUN_INGRESS),
        wholeNumberIn("trustedProxyHops", args.trustedProxyHops, 0, 10),
        args.redeploy === undefined || (typeof args.redeploy === "string" && REDEPLOY_VALUE.test(args.redeploy)) ? undefined : { propertyPath: "redeploy", reason: `${REDEPLOY_VALUE_RULE} (got ${JSON.stringify(args.redeploy)})` },
        oneOf("service.logLevel", args.service?.logLevel, LOG_LEVELS),
        // What Cloud Run and Artifact Registry refuse at create, after the resources before them were made; the stacks'
        // settings hold the same limits (config/schema.ts).
        known(args.cpu) ? oneOf("cpu", args.cpu, CLOUD_RUN_CPUS) : undefined,
        cloudRunMemoryProblem(args.cpu, args.memory),
        // No maximum of Cloud Run's own: the region's quotas decide (config/schema.ts), checked by checkedMaxInstances.
        wholeNumberFrom("minInstances", args.minInstances, 0),
        wholeNumberFrom("maxInstances", args.maxInstances, 1),
        known(args.minInstances) && known(args.maxInstances) && (args.minInstances as number) > (args.maxInstances as number)
            ? { propertyPath: "minInstances", reason: `must not exceed maxInstances (${args.maxInstances}) (got ${args.minInstances})` }
            : undefined,
        wholeNumberIn("concurrency", args.concurrency, 1, CLOUD_RUN_MAX_CONCURRENCY),
        wholeNumberIn("requestTimeoutSeconds", args.requestTimeoutSeconds, 1, CLOUD_RUN_MAX_REQUEST_TIMEOUT_SECONDS),
        thresholdPercent("alerts.errorRatePercent", args.alerts?.errorRatePercent),
        thresholdPercent("alerts.utilizationPercent", args.alerts?.utilizationPercent),
        wholeNumberFrom("alerts.minRequests", args.alerts?.minRequests, 1),
        wholeNumberIn("alerts.p95LatencyMs", args.alerts?.p95LatencyMs, CLOUD_RUN_P95_LATENCY_MS.min, CLOUD_RUN_P95_LATENCY_MS.max),
        wholeNumberIn("imagesToKeep", args.imagesToKeep, IMAGES_TO_KEEP.min, IMAGES_TO_KEEP.max),
    ];
}

/** Cloud Run's memory for the CPU count (its vCPU and memory table), when both are known. */
function cloudRunMemoryProblem(cpu: unknown, memory: unknown): ArgProblem | undefined {
    if (!known(memory)) return undefined;
    const mib = typeof memory === "string" ? memoryMiB(memory) : undefined;
    if (mib === undefined) return { propertyPath: "memory", reason: `must be a memory limit such as "512Mi" or "2Gi" (got ${JSON.stringify(memory)})` };
    const pair = cloudRunMemoryPairProblem(cpu, memory);
    return pair ? { propertyPath: "memory", reason: `${pair} (got ${JSON.stringify(memory)})` } : undefined;
}
