import * as ecr from "@pulumi/aws/ecr";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as iam from "@pulumi/aws/iam";
import * as lambda from "@pulumi/aws/lambda";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as sfn from "@pulumi/aws/sfn";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createPipelineAlarms } from "./alarms";
import { checkMapConcurrency } from "./accountConcurrency";
import { createPipelineDashboard } from "./dashboard";
import { LOG_LEVELS, serviceEnvironment, workerEnvironment } from "../image";
import { ArgProblem, exactlyOneImageSource, oneOf, plainValues, rejectBadArgs, stringMatching, thresholdPercent, wholeNumberFrom, wholeNumberIn } from "../argChecks";
import { pipelineNameProblem } from "../componentNames";
import {
    IMAGES_TO_KEEP,
    INLINE_MAP_MAX_CONCURRENCY,
    LAMBDA_MEMORY_MB,
    LAMBDA_P95_DURATION_MS,
    LAMBDA_RESERVED_CONCURRENCY_MIN,
    LAMBDA_TIMEOUT_SECONDS,
    MANAGED_POLICY_ARN_PATTERN,
    MANAGED_POLICY_ARN_RULE,
} from "../../config/cloudLimits";
import { awsRegionProblem, isKnownAwsRegion, UNKNOWN_REGION } from "./regions";
import { COMPONENT_TOKENS, aliasFormerToken } from "../tokens";
import { ADMIN_TOKEN_HEADER, CORS_ALLOW_HEADERS, FUNCTION_URL_AUTH_TYPES, IMAGE_COMMANDS, LAMBDA_ARCHITECTURES, LambdaArchitecture, LambdaEcrPipelineArgs, PREFIXES } from "./args";
import { aliasRouting } from "./canary";
import { apiPolicy, stateMachinePolicy, workerPolicy } from "./iamPolicies";
import { serviceLogGroup } from "./logGroup";
import { createServiceRole } from "./serviceRole";
import { createImageRepository, imageTagOfVersion, lifecyclePolicy } from "./imageRepository";
import { createPipelineBucket } from "./pipelineBucket";
import { refuseSecondPipelineOf } from "./pipelinesPerEnvironment";
import { createPipelineFunction } from "./pipelineFunction";
import { aliasVersionOnceStableImagesMatch, aliasVersionOnceStableUsable } from "./publishedVersion";
import { createHealthCheck } from "./healthCheck";
import { pipelineDefinition } from "./stateMachineDefinition";
import { keptInProduction } from "../keptInProduction";
import { CHECKLIST_TARGETS } from "../dashboardTargets";
import { DEFAULT_MIN_REQUESTS } from "../requestFloor";
import { refusedEcrRepositoryName } from "../names";
import { accountIdAskedOf } from "../preflight";

/**
 * The service on AWS: an ECR repository with the service image, an HTTP API function behind a Function URL
 * and a pipeline worker from that one image, a Step Functions state machine that fans a batch of S3 keys out
 * to the worker, least-privilege roles, log groups with retention, and alarms.
 */
export class LambdaEcrPipeline extends pulumi.ComponentResource {
    /** The API's Function URL (the `live` alias). */
    public readonly apiUrl: pulumi.Output<string>;
    /** ARN of the Step Functions state machine that runs the pipeline. */
    public readonly stateMachineArn: pulumi.Output<string>;
    /** The S3 bucket: uploads under `input/`, the worker's results under `results/`. */
    public readonly bucketName: pulumi.Output<string>;
    /** URL of the ECR repository holding the service image. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The image both functions run: `<repository>@sha256:<digest>`. */
    public readonly imageRef: pulumi.Output<string>;
    /** The image's digest, `sha256:<hex>`. */
    public readonly imageDigest: pulumi.Output<string>;
    /** The API function's name: what `npm run release` reads. */
    public readonly apiFunctionName: pulumi.Output<string>;
    /** The API function's newest published version: what `npm run release` reads. */
    public readonly apiVersion: pulumi.Output<string>;
    /** Names of the API function's alarms: what `npm run release` reads. */
    public readonly apiAlarmNames: pulumi.Output<string[]>;
    /** The worker function's name: where `npm run release` finds the worker it releases with the API. */
    public readonly workerFunctionName: pulumi.Output<string>;
    /** The worker function's newest published version: what `npm run release` records as stable and promotes. */
    public readonly workerVersion: pulumi.Output<string>;
    /** Names of the worker's and the state machine's alarms: gates of `npm run release` too. */
    public readonly pipelineAlarmNames: pulumi.Output<string[]>;
    /** The SNS topic every alarm notifies: where `npm run release` checks that someone has confirmed a subscription. */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** The stack's CloudWatch dashboard in the console: the checklist's figures with the alarms' thresholds drawn. */
    public readonly dashboardUrl: pulumi.Output<string>;
    /** The admin endpoints' bearer token (a secret), when admin features are on. */
    public readonly adminToken?: pulumi.Output<string>;

    constructor(name: string, args: LambdaEcrPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        rejectBadArgs("LambdaEcrPipeline", name, lambdaEcrPipelineArgProblems(name, args));
        refuseSecondPipelineOf(name, args.environment);
        super(COMPONENT_TOKENS.LambdaEcrPipeline.token, name, {}, aliasFormerToken(COMPONENT_TOKENS.LambdaEcrPipeline.former, opts));
        const tags = args.tags;
        const askedAccountId = accountIdAskedOf(this.getProvider("aws:index/getCallerIdentity:getCallerIdentity"));
        const accountId = askedAccountId ? pulumi.output(askedAccountId) : getCallerIdentityOutput({}, { parent: this }).accountId;

        const { repository, repositoryName, repositoryUrl, image } = createImageRepository(`${name}-repository`, { ...args, tags, accountId }, this);
        const bucket = createPipelineBucket(`${name}-bucket`, { isProduction: args.isProduction, retentionDays: args.service.retentionDays, tags }, this);
        const adminSecret = args.service.adminFeatures ? this.createAdminToken(name, args) : undefined;

        const common = {
            imageRef: image.ref,
            region: args.region,
            architecture: args.architecture as LambdaArchitecture,
            memoryMb: args.memoryMb,
            timeoutSeconds: args.timeoutSeconds,
            retentionDays: args.service.retentionDays,
            logDeletionProtection: args.isProduction,
            logLevel: args.service.logLevel,
            accountId,
            permissionsBoundary: args.permissionsBoundary,
            tags,
        };
        const worker = createPipelineFunction(
            `${name}-worker`,
            {
                ...common,
                command: IMAGE_COMMANDS.worker,
                // Only what worker.handler reads: no admin settings (it has no admin routes, and no token to check).
                environment: workerEnvironment(args.service, { backend: "s3", bucketName: bucket.bucket, objectPrefix: PREFIXES.input }),
                policy: (logGroupArn) => bucket.arn.apply((bucketArn) => workerPolicy({ bucketArn, logGroupArn })),
                // Follows the API's canary weight between its own stable version (one a rollback can take) and the one just published.
                routing: (version, fnName) =>
                    aliasVersionOnceStableUsable(
                        aliasRouting(version, args.canary && { stableVersion: args.canary.workerStableVersion, weightPercent: args.canary.weightPercent, candidateVersion: args.canary.workerCandidateVersion }),
                        args.region,
                        fnName,
                        { version: args.canary?.workerStableVersion, setting: "release.workerStableVersion" },
                        this,
                    ),
            },
            this,
        );

        const { stateMachine, logGroup: stateMachineLogGroup } = this.createStateMachine(name, args, worker.alias.arn, accountId);

        const api = createPipelineFunction(
            `${name}-api`,
            {
                ...common,
                command: IMAGE_COMMANDS.api,
                reservedConcurrency: args.reservedConcurrency,
                environment: {
                    ...serviceEnvironment(args.service, { backend: "s3", bucketName: bucket.bucket, objectPrefix: PREFIXES.input }),
                    STATE_MACHINE_ARN: stateMachine.arn,
                    // The version's, not the secret's: the function waits for the value, which a first admin
                    // request would otherwise find missing (ResourceNotFoundException for AWSCURRENT, a 500).
                    ...(adminSecret ? { ADMIN_TOKEN_SECRET_ARN: adminSecret.version.secretArn } : {}),
                },
                policy: (logGroupArn) =>
                    pulumi
                        .all([bucket.arn, stateMachine.arn, adminSecret?.secret.arn])
                        .apply(([bucketArn, stateMachineArn, adminTokenSecretArn]) => apiPolicy({ bucketArn, stateMachineArn, logGroupArn, adminTokenSecretArn })),
                // Its alias moves only onto a stable version a rollback can take, and once both stable versions run one image
                // (the worker's alias cannot wait for that comparison: the state machine needs it).
                routing: (version, fnName) =>
                    aliasVersionOnceStableImagesMatch(
                        aliasVersionOnceStableUsable(aliasRouting(version, args.canary), args.region, fnName, { version: args.canary?.stableVersion, setting: "aws.canary.stableVersion" }, this),
                        args.region,
                        { name: fnName, stableVersion: args.canary?.stableVersion },
                        { name: worker.fn.name, stableVersion: args.canary?.workerStableVersion },
                        this,
                    ),
            },
            this,
        );

        const url = new lambda.FunctionUrl(
            `${name}-api`,
            {
                functionName: api.fn.name,
                qualifier: api.alias.name,
                authorizationType: args.functionUrl.authType,
                cors: args.functionUrl.corsOrigins.length
                    ? { allowOrigins: args.functionUrl.corsOrigins, allowMethods: ["GET", "PUT", "POST", "HEAD", "DELETE"], allowHeaders: [...CORS_ALLOW_HEADERS, ...(args.service.adminFeatures ? [ADMIN_TOKEN_HEADER] : [])], maxAge: 600 }
                    : undefined,
            },
            { parent: this },
        );
        if (args.functionUrl.authType === "NONE") {
            // A public URL needs both grants since October 2025: the URL invoke and the function invoke through it. On
            // the alias itself (not its name as text), after the URL: AddPermission on a qualifier CreateAlias has not
            // made yet answers ResourceNotFound, and the URL's create adds grants of its own to the same policy.
            const grant = { function: api.fn.name, qualifier: api.alias.name, principal: "*" };
            const afterUrl = { parent: this, dependsOn: [url] };
            new lambda.Permission(`${name}-api-public-url`, { ...grant, action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "NONE" }, afterUrl);
            new lambda.Permission(`${name}-api-public-invoke`, { ...grant, action: "lambda:InvokeFunction", invokedViaFunctionUrl: true }, afterUrl);
        }

        // Another stack's repository keeps its own lifecycle policy.
        if (repository) this.holdBackRollbackImage(name, args, repository, repositoryName, image.tag === "prebuilt" ? undefined : image.tag, { api: api.fn.name, worker: worker.fn.name }, image.digest);

        const healthCheck = createHealthCheck(
            name,
            { apiAliasArn: api.alias.arn, region: args.region, accountId, retentionDays: args.service.retentionDays, logDeletionProtection: args.isProduction, permissionsBoundary: args.permissionsBoundary, tags },
            this,
        );
        const utilizationPercent = args.alarms.utilizationPercent ?? CHECKLIST_TARGETS.utilizationPercent;
        // The functions as the alarms and the dashboard watch them.
        const watchedApi = { label: "api", functionName: api.fn.name, logGroup: api.logGroup.name, http: true, reservedConcurrency: args.reservedConcurrency };
        const watchedWorker = { label: "worker", functionName: worker.fn.name, logGroup: worker.logGroup.name, http: false };
        const dashboard = createPipelineDashboard(
            `${name}-dashboard`,
            {
                environment: args.environment,
                region: args.region,
                functions: [watchedApi, watchedWorker],
                stateMachineArn: stateMachine.arn,
                healthCheckArn: healthCheck.stateMachine.arn,
                errorRatePercent: args.alarms.errorRatePercent,
                p95DurationMs: args.alarms.p95DurationMs,
                utilizationPercent,
            },
            this,
        );
        const alarms = createPipelineAlarms(
            name,
            {
                functions: [{ ...watchedApi, healthCheck: { stateMachineArn: healthCheck.stateMachine.arn, logGroup: healthCheck.logGroup.name, scheduleGroup: healthCheck.group.name } }, watchedWorker],
                stateMachineArn: stateMachine.arn,
                stateMachineLogGroup: stateMachineLogGroup.name,
                environment: args.environment,
                dashboardUrl: dashboard.url,
                errorRatePercent: args.alarms.errorRatePercent,
                p95DurationMs: args.alarms.p95DurationMs,
                minRequests: args.alarms.minRequests ?? DEFAULT_MIN_REQUESTS,
                utilizationPercent,
                email: args.alarms.email,
                runbook: args.alarms.runbook,
                accountId,
                tags,
                isProduction: args.isProduction,
            },
            this,
        );

        this.apiUrl = url.functionUrl;
        this.stateMachineArn = stateMachine.arn;
        this.bucketName = bucket.bucket;
        this.repositoryUrl = repositoryUrl;
        this.imageRef = image.ref;
        this.imageDigest = image.digest;
        this.apiFunctionName = api.fn.name;
        this.apiVersion = api.fn.version;
        this.apiAlarmNames = pulumi.all(alarms.byFunction.api.map((alarm) => alarm.name));
        this.workerFunctionName = worker.fn.name;
        this.workerVersion = worker.fn.version;
        this.pipelineAlarmNames = pulumi.all(alarms.alarms.filter((alarm) => !alarms.byFunction.api.includes(alarm)).map((alarm) => alarm.name));
        this.alarmTopicArn = alarms.topic.arn;
        this.dashboardUrl = dashboard.url;
        this.adminToken = adminSecret?.token;
        this.registerOutputs({
            apiUrl: this.apiUrl,
            stateMachineArn: this.stateMachineArn,
            bucketName: this.bucketName,
            repositoryUrl: this.repositoryUrl,
            imageDigest: this.imageDigest,
            imageRef: this.imageRef,
            apiFunctionName: this.apiFunctionName,
            apiVersion: this.apiVersion,
            apiAlarmNames: this.apiAlarmNames,
            workerFunctionName: this.workerFunctionName,
            workerVersion: this.workerVersion,
            pipelineAlarmNames: this.pipelineAlarmNames,
            alarmTopicArn: this.alarmTopicArn,
            dashboardUrl: this.dashboardUrl,
            adminToken: this.adminToken,
        });
    }

    /** The lifecycle policy, keeping the image of the stable version while a canary or rollback points at it. */
    private holdBackRollbackImage(
        name: string,
        args: LambdaEcrPipelineArgs,
        repository: ecr.Repository,
        repositoryName: string,
        runningTag: string | undefined,
        functionNames: { api: pulumi.Output<string>; worker: pulumi.Output<string> },
        runningDigest: pulumi.Output<string>,
    ) {
        const stable = args.canary?.stableVersion;
        const stableTag = stable ? imageTagOfVersion(functionNames.api, stable, repositoryName, args.region, this) : pulumi.output(undefined);
        // The worker's stable version is recorded on its own (release/firstDeploy.ts records the worker's running version
        // whenever the state has none, beside an API stable version set earlier; by hand both are set apart), so its
        // image is kept on its own: set alone it may run another image than the API's (set with it, a mismatch stops
        // the up: aliasVersionOnceStableImagesMatch), a rollback puts the state machine's Map on it, and a version whose
        // image ECR expired fails every invocation (Lambda: State Failed, StateReasonCode ImageDeleted).
        const workerStable = args.canary?.workerStableVersion;
        const workerStableTag = workerStable
            ? imageTagOfVersion(functionNames.worker, workerStable, repositoryName, args.region, this, "release.workerStableVersion")
            : pulumi.output(undefined);
        const keep = (tag: string | undefined, workerTag: string | undefined, digest: string) => [
            ...(runningTag ? [{ tag: runningTag, why: "the image this deployment runs", digest }] : []),
            ...(tag ? [{ tag, why: "the rollback target: the image of the stable version" }] : []),
            ...(workerTag ? [{ tag: workerTag, why: "the worker's rollback target: the image of its stable version" }] : []),
        ];
        // Kept with a production repository, as its cleanup rules keep the rollback image: retained on delete, never
        // protected. It names the running image, so each new image changes it, and the provider replaces it on any
        // change (terraform-provider-aws ecr/lifecycle_policy.go: `policy` ForceNew, no Update), which protect refuses.
        // Delete before replace: a repository has one policy, deleted by the repository's name, so replacing it
        // create-first would delete the new one. pulumi-aws's mapping sets this too (provider/resources.go); it is
        // stated here so the policy does not depend on that default.
        new ecr.LifecyclePolicy(
            `${name}-repository`,
            { repository: repository.name, policy: pulumi.all([stableTag, workerStableTag, runningDigest]).apply(([tag, workerTag, digest]) => JSON.stringify(lifecyclePolicy(args.imagesToKeep, keep(tag, workerTag, digest)))) },
            { parent: this, retainOnDelete: keptInProduction(args.isProduction).retainOnDelete, deleteBeforeReplace: true },
        );
    }

    private createStateMachine(name: string, args: LambdaEcrPipelineArgs, workerAliasArn: pulumi.Output<string>, accountId: pulumi.Output<string>) {
        const opts = { parent: this };
        const logGroup = serviceLogGroup(`${name}-pipeline`, `/aws/vendedlogs/states/${name}-`, { retentionDays: args.service.retentionDays, deletionProtection: args.isProduction, tags: args.tags }, opts);
        const role = createServiceRole(`${name}-pipeline`, "states.amazonaws.com", { accountId, permissionsBoundary: args.permissionsBoundary, tags: args.tags }, opts);
        const rolePolicy = new iam.RolePolicy(
            `${name}-pipeline`,
            { role: role.id, policy: workerAliasArn.apply((arn) => JSON.stringify(stateMachinePolicy({ workerAliasArn: arn }))) },
            opts,
        );
        const stateMachine = new sfn.StateMachine(
            `${name}-pipeline`,
            {
                type: "STANDARD",
                roleArn: role.arn,
                // Read before the definition is registered, so that a Map larger than the account's pool is said at once.
                definition: pulumi
                    .all([workerAliasArn, args.timeoutSeconds, pulumi.output(args.reservedConcurrency).apply((r) => checkMapConcurrency(args.region, args.pipeline.maxConcurrency, r))])
                    .apply(([arn, workerTimeoutSeconds]) => JSON.stringify(pipelineDefinition({ workerAliasArn: arn, maxConcurrency: args.pipeline.maxConcurrency, workerTimeoutSeconds }))),
                loggingConfiguration: { logDestination: pulumi.interpolate`${logGroup.arn}:*`, includeExecutionData: !args.isProduction, level: args.isProduction ? "ERROR" : "ALL" },
                tracingConfiguration: { enabled: true },
                tags: args.tags,
            },
            { parent: this, dependsOn: [rolePolicy] },
        );
        return { stateMachine, logGroup };
    }

    /** A per-stack bearer token for the admin endpoints, kept in Secrets Manager; the function gets its ARN only. */
    private createAdminToken(name: string, args: LambdaEcrPipelineArgs) {
        const opts = { parent: this };
        const password = new random.RandomPassword(`${name}-admin-token`, { length: 48, special: false }, opts);
        const secret = new secretsmanager.Secret(
            `${name}-admin-token`,
            { description: `Bearer token of the ${args.environment} admin endpoints`, recoveryWindowInDays: args.isProduction ? 30 : 0, tags: args.tags },
            { ...opts, ...keptInProduction(args.isProduction) },
        );
        const version = new secretsmanager.SecretVersion(`${name}-admin-token`, { secretId: secret.id, secretString: password.result }, opts);
        return { secret, version, token: pulumi.secret(password.result) };
    }
}

/** The name's and the args' problems the component refuses before registering anything (the package's construct asks first). */
export function lambdaEcrPipelineArgProblems(name: string, args: LambdaEcrPipelineArgs): (ArgProblem | undefined)[] {
    return [pipelineNameProblem(name), ...badArgs(args)];
}

/** What a caller of another language can get wrong that TypeScript's types would have caught. */
function badArgs(args: LambdaEcrPipelineArgs): (ArgProblem | undefined)[] {
    return [
        ...plainValues(args, ["environment", "region", "isProduction", "image", "architecture", "functionUrl", "service", "pipeline", "alarms", "imagesToKeep", "imageWaitMinutes", "imagePromotedFrom", "imageRegistriesOf", "canary", "permissionsBoundary"]),
        exactlyOneImageSource("image", args.image),
        oneOf("architecture", args.architecture, LAMBDA_ARCHITECTURES),
        oneOf("functionUrl.authType", args.functionUrl?.authType, FUNCTION_URL_AUTH_TYPES),
        oneOf("service.logLevel", args.service?.logLevel, LOG_LEVELS),
        regionProblem(args.region),
        repositoryNameProblem(args),
        // What Lambda, Step Functions and ECR refuse at create, after the resources before them were made; the
        // stacks' settings hold the same limits (config/schema.ts).
        wholeNumberIn("memoryMb", args.memoryMb, LAMBDA_MEMORY_MB.min, LAMBDA_MEMORY_MB.max),
        wholeNumberIn("timeoutSeconds", args.timeoutSeconds, LAMBDA_TIMEOUT_SECONDS.min, LAMBDA_TIMEOUT_SECONDS.max),
        wholeNumberFrom("reservedConcurrency", args.reservedConcurrency, LAMBDA_RESERVED_CONCURRENCY_MIN),
        wholeNumberIn("pipeline.maxConcurrency", args.pipeline?.maxConcurrency, 1, INLINE_MAP_MAX_CONCURRENCY),
        thresholdPercent("alarms.errorRatePercent", args.alarms?.errorRatePercent),
        thresholdPercent("alarms.utilizationPercent", args.alarms?.utilizationPercent),
        wholeNumberFrom("alarms.minRequests", args.alarms?.minRequests, 1),
        wholeNumberIn("alarms.p95DurationMs", args.alarms?.p95DurationMs, LAMBDA_P95_DURATION_MS.min, LAMBDA_P95_DURATION_MS.max),
        wholeNumberIn("imagesToKeep", args.imagesToKeep, IMAGES_TO_KEEP.min, IMAGES_TO_KEEP.max),
        // A boundary the provider's check refuses fails the first role, after the repository and bucket were made.
        stringMatching("permissionsBoundary", args.permissionsBoundary, MANAGED_POLICY_ARN_PATTERN, MANAGED_POLICY_ARN_RULE),
    ];
}

/**
 * An `environment` (or `imageRegistriesOf`) that makes an ECR repository name ECR refuses: CreateRepository (or, for
 * another stack's repository, the image's lookup) fails after the resources that do not wait on it were made. The
 * stacks' names are checked as settings (config/parse.ts).
 */
function repositoryNameProblem(args: LambdaEcrPipelineArgs): ArgProblem | undefined {
    const [propertyPath, stack] = args.imageRegistriesOf !== undefined ? ["imageRegistriesOf", args.imageRegistriesOf] : ["environment", args.environment];
    if (typeof stack !== "string") return undefined;
    const repository = refusedEcrRepositoryName(pulumi.getProject(), stack);
    return repository === undefined ? undefined : { propertyPath, reason: `makes the ECR repository name ${JSON.stringify(repository)}, which ECR refuses (lowercase letters and digits, joined by ., _, __ or -) (got ${JSON.stringify(stack)})` };
}

/** A region the AWS provider does not know, without Function URLs or outside the commercial partition, as the stacks refuse it. */
function regionProblem(region: unknown): ArgProblem | undefined {
    if (typeof region !== "string") return undefined;
    const problem = isKnownAwsRegion(region) ? awsRegionProblem(region) : UNKNOWN_REGION;
    return problem ? { propertyPath: "region", reason: problem } : undefined;
}
