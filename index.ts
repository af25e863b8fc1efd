/**
 * The composition root: read the stack's settings (failing before anything is registered when they are bad),
 * then build each enabled cloud from them. Pulumi calls the exported function; its result is the stack outputs.
 */
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import type { Region as AwsRegion } from "@pulumi/aws/types/enums";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { LambdaEcrPipeline } from "./components/aws";
import { CloudRunGcsService } from "./components/gcp";
import { labelValue } from "./components/gcp/resourceIds";
import { COMPONENT_NAMES } from "./components/names";
import { CloudCheckTargets, cloudCheckProblems } from "./components/cloudChecks";
import { stackImageVerification } from "./components/stackImageVerification";
import { rollbackRunbook } from "./components/pageRunbook";
import { PROJECT_NAMESPACE, SettingsError, StackSettings, loadStackSettings } from "./config";
import { projectRoot } from "./config/projectRoot";

const SERVICE_SOURCE = path.join(projectRoot(), "app");

export = async () => {
    const settings = loadStackSettings();
    const labels = commonLabels(settings);
    const labelsOnGcp = gcpLabels(labels);
    const awsProvider = settings.aws.enabled ? new AwsProvider("aws", { region: settings.providers["aws:region"] as AwsRegion, defaultTags: { tags: labels } }) : undefined;
    const gcpProvider = settings.gcp.enabled ? gcpProviderFor(settings, labelsOnGcp) : undefined;
    const problems = await cloudCheckProblems(cloudCheckTargets(settings, awsProvider, gcpProvider));
    if (problems.length > 0) throw new SettingsError(settings.stack, problems);
    return {
        aws: awsProvider ? deployToAws(settings, labels, awsProvider) : undefined,
        gcp: gcpProvider ? deployToGcp(settings, labelsOnGcp, gcpProvider) : undefined,
    };
};

/** What the clouds are asked about the stack's settings before anything is registered, each value named by its key. */
function cloudCheckTargets(settings: StackSettings, awsProvider: AwsProvider | undefined, gcpProvider: GcpProvider | undefined): CloudCheckTargets {
    const setting = <T>(key: string, value: T | undefined) => (value === undefined ? undefined : { value, at: `${PROJECT_NAMESPACE}:${key}` });
    const verify = stackImageVerification(settings);
    const { aws, gcp, providers } = settings;
    return {
        aws: awsProvider && {
            provider: awsProvider,
            region: providers["aws:region"],
            architecture: aws.architecture,
            image: setting("aws.image", aws.image),
            imagesOfThisAccountOnly: true,
            reservedConcurrency: setting("aws.reservedConcurrency", aws.reservedConcurrency),
        },
        gcp: gcpProvider && {
            provider: gcpProvider,
            project: providers["gcp:project"]!,
            region: providers["gcp:region"],
            regionAt: "gcp:region",
            image: setting("gcp.image", gcp.image),
            stableRevision: setting("gcp.canary.stableRevision", gcp.canary?.stableRevision),
            scale: { maxInstances: setting("gcp.maxInstances", gcp.maxInstances)!, cpu: gcp.cpu, memory: gcp.memory },
        },
        verify: verify && { policy: verify, signingKeyAt: `${PROJECT_NAMESPACE}:image.verify.signingKey` },
    };
}

/** project, environment and managed-by on every taggable resource (GCP label values are lowercase). */
function commonLabels(settings: StackSettings): Record<string, string> {
    return { project: pulumi.getProject(), environment: settings.stack.toLowerCase(), "managed-by": "pulumi" };
}

/** The labels as GCP takes their values (a stack `prod.eu` is `prod-eu`); AWS tags keep them as they are. */
function gcpLabels(labels: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, labelValue(value)]));
}

/**
 * What both clouds' pages take from the release: the page and the release's rollback share the figures for resource
 * use and for enough requests to judge a rate, and a page about the version that serves ends with the rollback runbook.
 */
function pagingAsTheReleaseJudges(settings: StackSettings) {
    return { utilizationPercent: settings.release.maxUtilizationPercent, minRequests: settings.release.minRequests, runbook: rollbackRunbook() };
}

function deployToAws(settings: StackSettings, tags: Record<string, string>, provider: AwsProvider) {
    const { aws: awsSettings, service } = settings;
    const pipeline = new LambdaEcrPipeline(
        COMPONENT_NAMES.aws,
        {
            environment: settings.stack,
            region: settings.providers["aws:region"],
            isProduction: settings.isProduction,
            tags,
            image: awsSettings.image ? { prebuilt: awsSettings.image } : { build: { context: SERVICE_SOURCE } },
            architecture: awsSettings.architecture,
            memoryMb: awsSettings.memoryMb,
            timeoutSeconds: awsSettings.timeoutSeconds,
            reservedConcurrency: awsSettings.reservedConcurrency,
            functionUrl: awsSettings.functionUrl,
            service: serviceEnvironment(service),
            pipeline: awsSettings.pipeline,
            alarms: { ...awsSettings.alarms, ...pagingAsTheReleaseJudges(settings) },
            imagesToKeep: awsSettings.imagesToKeep,
            imageWaitMinutes: settings.image.waitMinutes,
            imagePromotedFrom: settings.image.promoteFrom,
            imageRegistriesOf: settings.image.registriesOf,
            imageVerification: stackImageVerification(settings),
            canary: awsSettings.canary && { ...awsSettings.canary, workerStableVersion: settings.release.workerStableVersion, workerCandidateVersion: settings.release.workerCandidateVersion },
            permissionsBoundary: awsSettings.permissionsBoundary,
        },
        { providers: { aws: provider } },
    );
    return {
        apiUrl: pipeline.apiUrl,
        stateMachineArn: pipeline.stateMachineArn,
        bucketName: pipeline.bucketName,
        repositoryUrl: pipeline.repositoryUrl,
        imageDigest: pipeline.imageDigest,
        apiFunctionName: pipeline.apiFunctionName,
        apiVersion: pipeline.apiVersion,
        apiAlarmNames: pipeline.apiAlarmNames,
        workerFunctionName: pipeline.workerFunctionName,
        workerVersion: pipeline.workerVersion,
        pipelineAlarmNames: pipeline.pipelineAlarmNames,
        alarmTopicArn: pipeline.alarmTopicArn,
        dashboardUrl: pipeline.dashboardUrl,
        adminToken: pipeline.adminToken,
    };
}

/**
 * The GCP provider's zone: none, as nothing here is zonal. Left unset, the SDK would fill it from the machine's
 * GOOGLE_ZONE, GCLOUD_ZONE or CLOUDSDK_COMPUTE_ZONE (@pulumi/gcp provider.js: `args.zone ?? getEnv(...)`), a provider
 * change in that shell's previews. An output of nothing passes that `??` and is sent as no zone at all. An empty
 * string would not do: the provider refuses it ("expected a non-empty string", terraform-provider-google provider.go,
 * ValidateEmptyStrings).
 */
const noZone = () => pulumi.output<string | undefined>(undefined) as pulumi.Output<string>;

function gcpProviderFor(settings: StackSettings, labels: Record<string, string>): GcpProvider {
    return new GcpProvider("gcp", { project: settings.providers["gcp:project"]!, region: settings.providers["gcp:region"], zone: noZone(), defaultLabels: labels });
}

function deployToGcp(settings: StackSettings, labels: Record<string, string>, provider: GcpProvider) {
    const { gcp: gcpSettings, service } = settings;
    const project = settings.providers["gcp:project"]!;
    const region = settings.providers["gcp:region"];
    const cloudRun = new CloudRunGcsService(
        COMPONENT_NAMES.gcp,
        {
            environment: settings.stack,
            isProduction: settings.isProduction,
            project,
            region,
            labels,
            image: gcpSettings.image ? { prebuilt: gcpSettings.image } : { build: { context: SERVICE_SOURCE } },
            cpu: gcpSettings.cpu,
            memory: gcpSettings.memory,
            minInstances: gcpSettings.minInstances,
            maxInstances: gcpSettings.maxInstances,
            concurrency: gcpSettings.concurrency,
            requestTimeoutSeconds: gcpSettings.requestTimeoutSeconds,
            ingress: gcpSettings.ingress,
            trustedProxyHops: gcpSettings.trustedProxyHops,
            publicInvoker: gcpSettings.publicInvoker,
            allowPublicInvokerInProd: gcpSettings.allowPublicInvokerInProd,
            service: serviceEnvironment(service),
            databaseUrl: settings.databaseUrl === undefined ? undefined : pulumi.secret(settings.databaseUrl),
            alerts: { ...gcpSettings.alerts, ...pagingAsTheReleaseJudges(settings) },
            imagesToKeep: gcpSettings.imagesToKeep,
            registryAccess: gcpSettings.registryAccess,
            releaseInvokers: gcpSettings.releaseInvokers,
            imageWaitMinutes: settings.image.waitMinutes,
            imagePromotedFrom: settings.image.promoteFrom,
            imageRegistriesOf: settings.image.registriesOf,
            imageVerification: stackImageVerification(settings),
            canary: gcpSettings.canary,
            redeploy: gcpSettings.redeploy,
        },
        { providers: { gcp: provider } },
    );
    return {
        serviceUrl: cloudRun.serviceUrl,
        bucketName: cloudRun.bucketName,
        serviceAccountEmail: cloudRun.serviceAccountEmail,
        imageDigest: cloudRun.imageDigest,
        serviceName: cloudRun.serviceName,
        latestRevision: cloudRun.latestRevision,
        candidateUrl: cloudRun.candidateUrl,
        dashboardUrl: cloudRun.dashboardUrl,
        alertChannel: cloudRun.alertChannel,
        adminToken: cloudRun.adminToken,
    };
}

function serviceEnvironment(service: StackSettings["service"]) {
    return {
        cacheMaxEntries: service.cache.maxEntries,
        cacheTtlSeconds: service.cache.ttlSeconds,
        batchSize: service.batchSize,
        retentionDays: service.retentionDays,
        adminFeatures: service.adminFeatures,
        debug: service.debug,
        logLevel: service.logLevel,
        storage: service.storage,
    };
}
