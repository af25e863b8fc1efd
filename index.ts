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
import { accountLimitProblems } from "./components/accountLimitChecks";
import { prebuiltImageProblems } from "./components/prebuiltImageChecks";
import { stackImageVerification } from "./components/stackImageVerification";
import { signingKeyProblems } from "./components/signingKeyChecks";
import { stableRevisionProblems } from "./components/stableRevisionChecks";
import { SettingsError, SettingsProblem, StackSettings, loadStackSettings } from "./config";
import { projectRoot } from "./config/projectRoot";

const SERVICE_SOURCE = path.join(projectRoot(), "app");

export = async () => {
    const settings = loadStackSettings();
    const labels = commonLabels(settings);
    const labelsOnGcp = gcpLabels(labels);
    const awsProvider = settings.aws.enabled ? new AwsProvider("aws", { region: settings.providers["aws:region"] as AwsRegion, defaultTags: { tags: labels } }) : undefined;
    const gcpProvider = settings.gcp.enabled ? gcpProviderFor(settings, labelsOnGcp) : undefined;
    await checkAgainstTheClouds(settings, [
        prebuiltImageProblems(settings, { aws: awsProvider, gcp: gcpProvider }),
        accountLimitProblems(settings, gcpProvider),
        signingKeyProblems(settings),
        stableRevisionProblems(settings, gcpProvider),
    ]);
    return {
        aws: awsProvider ? deployToAws(settings, labels, awsProvider) : undefined,
        gcp: gcpProvider ? deployToGcp(settings, labelsOnGcp, gcpProvider) : undefined,
    };
};

/**
 * The checks of the settings against the clouds, each run to its end: their settings problems are reported together,
 * and a check that could not run (a cloud not answering) is said beside them rather than hiding them.
 */
async function checkAgainstTheClouds(settings: StackSettings, checks: Promise<SettingsProblem[]>[]): Promise<void> {
    const results = await Promise.allSettled(checks);
    const problems = results.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
    const others = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (problems.length === 0) {
        if (others.length === 0) return;
        others.slice(1).forEach(couldNotCheck);
        throw others[0];
    }
    others.forEach(couldNotCheck);
    throw new SettingsError(settings.stack, problems);
}

function couldNotCheck(err: unknown): void {
    void pulumi.log.error(`a check of the settings against the clouds could not run: ${err instanceof Error ? err.message : String(err)}`);
}

/** project, environment and managed-by on every taggable resource (GCP label values are lowercase). */
function commonLabels(settings: StackSettings): Record<string, string> {
    return { project: pulumi.getProject(), environment: settings.stack.toLowerCase(), "managed-by": "pulumi" };
}

/** The labels as GCP takes their values (a stack `prod.eu` is `prod-eu`); AWS tags keep them as they are. */
function gcpLabels(labels: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, labelValue(value)]));
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
            // The page and the release's rollback on resource use share one figure.
            alarms: { ...awsSettings.alarms, utilizationPercent: settings.release.maxUtilizationPercent },
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
            alerts: { ...gcpSettings.alerts, utilizationPercent: settings.release.maxUtilizationPercent },
            imagesToKeep: gcpSettings.imagesToKeep,
            registryAccess: gcpSettings.registryAccess,
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
