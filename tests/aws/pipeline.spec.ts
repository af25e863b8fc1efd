import * as assert from "assert";
import { atReservedDomain } from "../../components/alertAddress";
import * as pulumi from "@pulumi/pulumi";
import { MockCloud, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { isSecretInput, isUnknownInput, revealSecrets } from "../../scripts/offline/registeredInputs";
import { LambdaEcrPipeline } from "../../components/aws";
import { artifactDigest, imageArtifact, imageIndex, indexEntries } from "../../scripts/offline/fakeRegistry";
import { deployPipeline, pipelineArgs } from "./fixtures";
import { stackServiceSettings } from "../harness/componentArgs";
import { failedUpdate } from "../harness/failedUpdate";
import { regExpText } from "../harness/regExpText";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";

const TAGS = (stack: string) => ({ project: "multicloud-service", environment: stack, "managed-by": "pulumi" });
const TAGGABLE = [
    "aws:ecr/repository:Repository",
    "aws:lambda/function:Function",
    "aws:s3/bucket:Bucket",
    "aws:sfn/stateMachine:StateMachine",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:sns/topic:Topic",
    "aws:secretsmanager/secret:Secret",
    "aws:scheduler/scheduleGroup:ScheduleGroup",
];

/**
 * The service's wiring (app/src/bootstrap.ts) with a store in memory: its routes as an entry point with `env` registers
 * them. Required untyped: app/ is type-checked by its own tsconfig, whose rules the root's (noImplicitReturns) differ from.
 */
function serviceBootstrap(entry: string, env: Record<string, string>): { app: { routes: { method: string; path: string }[] } } {
    const { bootstrap } = require("../../app/src/bootstrap");
    const { MemoryStore } = require("../../app/src/storage/memoryStore");
    return bootstrap(entry, env, new MemoryStore());
}

describe("LambdaEcrPipeline (the component alone, under mocks)", () => {
    it("a region the AWS provider does not know, one without Function URLs, or one outside the commercial partition is refused before anything is registered (as the stacks refuse it)", async () => {
        // A caller of the package (`pulumi package add`) has no stack settings to check it. Before: the component went
        // ahead, and CreateFunctionUrlConfig failed the up after the functions, the state machine and the alarms.
        for (const [region, why] of [
            ["ap-south-2", /^LambdaEcrPipeline "pipeline" has bad args: region is a region where Lambda has no Function URLs .*: choose another region$/],
            ["cn-north-1", /^LambdaEcrPipeline "pipeline" has bad args: region is in aws-cn, where this program cannot deploy/],
            // Before: the component went ahead, and the provider (which skips its region check by default) failed the
            // up at its first call to a host that does not exist.
            ["us-moon-1", /^LambdaEcrPipeline "pipeline" has bad args: region must be an AWS region such as ap-northeast-1, one of @pulumi\/aws's Region values/],
        ] as const) {
            let cloud: MockCloud | undefined;
            const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { region })));
            await assert.rejects(run, (err: Error) => (assert.match(err.message, why), true));
            assert.deepStrictEqual(cloud?.resources.map((r) => r.type), [], `${region}: registered before the refusal`);
        }
    });

    // The stacks' names are checked as settings (config/parse.ts stackNameProblems); a package caller's environment was
    // not, and CreateRepository refused the name after the resources that do not wait on it were made.
    it("an environment that makes an ECR repository name ECR refuses is named before anything is registered", async () => {
        let cloud: MockCloud | undefined;
        const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { environment: "prod eu" })));
        await assert.rejects(run, (err: Error) => (assert.match(err.message, /^LambdaEcrPipeline "pipeline" has bad args: environment makes the ECR repository name "multicloud-service-prod eu", which ECR refuses .* \(got "prod eu"\)$/), true));
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        await runUnderMocks({ stack: "dev" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { environment: "Prod_EU" })));
    });

    // docs/package.md says a project has one per environment; before, a second of another name registered its children,
    // and its dashboard (PutDashboard creates and overwrites alike) took the first's over without an error.
    it("a second pipeline of the same environment in one program is refused before it registers anything, naming both; another environment is fine", async () => {
        let cloud: MockCloud | undefined;
        const program = () => [new LambdaEcrPipeline("pipeline", pipelineArgs("dev")), new LambdaEcrPipeline("orders", pipelineArgs("dev", { imageRegistriesOf: "dev" }))];
        await assert.rejects(runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, program), (err: Error) => {
            assert.match(err.message, /^LambdaEcrPipeline "orders" has environment "dev", as LambdaEcrPipeline "pipeline" has: both would name their CloudWatch dashboard multicloud-service-dev .*Give each its own environment$/);
            return true;
        });
        assert.deepStrictEqual(cloud!.resources.filter((r) => r.name.startsWith("orders")), []);
        await runUnderMocks({ stack: "dev" }, () => [new LambdaEcrPipeline("pipeline", pipelineArgs("dev")), new LambdaEcrPipeline("orders", pipelineArgs("dev", { environment: "dev-orders" }))]);
    });

    // A package caller names the component; its children's cloud names are made from that name. Before: a name too
    // long for the IAM roles failed at their Check, and one with `_` or a reserved prefix at the bucket's create
    // (S3 refuses them), after the children before them were made.
    it("a name the children's cloud names cannot carry is named before anything is registered; uppercase is fine (the bucket's name is lowercased)", async () => {
        const refused: [string, RegExp][] = [
            ["my_pipeline", /name must be letters, digits and '-', beginning with a letter or digit \(got "my_pipeline"\)/],
            ["-pipeline", /name must be letters, digits and '-', beginning with a letter or digit/],
            ["p".repeat(48), /name must be at most 47 characters, for its IAM roles' names, <name>-pipeline and 7 random characters, at most 64/],
            ["xn--pipeline", /name must not begin with "xn--", "sthree-" or "amzn-s3-demo-", which S3 refuses in bucket names \(its bucket's name is the name, lowercased, then -bucket and 7 random characters\)/],
            ["Sthree-pipeline", /name must not begin with "xn--", "sthree-" or "amzn-s3-demo-"/],
        ];
        for (const [name, reason] of refused) {
            let cloud: MockCloud | undefined;
            const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new LambdaEcrPipeline(name, pipelineArgs("dev")));
            await assert.rejects(run, (err: Error) => (assert.match(err.message, new RegExp(`^LambdaEcrPipeline "${regExpText(name)}" has bad args: ${reason.source}`)), true));
            assert.deepStrictEqual(cloud?.resources.map((r) => r.type), [], name);
        }
        const longest = await runUnderMocks({ stack: "dev" }, () => new LambdaEcrPipeline(`Orders-${"p".repeat(40)}`, pipelineArgs("dev")));
        // The health check's schedule is autonamed `<logical name>-<7>`, and Scheduler takes 64 (botocore scheduler model, Name).
        const schedule = longest.cloud.one("aws:scheduler/schedule:Schedule");
        assert.ok(schedule.name.length + 8 <= 64, `${schedule.name} and its 8 autoname characters`);
        // So is its schedule group (botocore scheduler model, ScheduleGroupName max 64).
        const group = longest.cloud.one("aws:scheduler/scheduleGroup:ScheduleGroup");
        assert.ok(group.outputs.name.length <= 64, group.outputs.name);
    });

    // A caller of the package has no stack settings to hold these to the clouds' limits. Before: Lambda refused the
    // memory at CreateFunction, after the bucket, the roles, the repository and the log groups were made.
    it("sizes and thresholds the clouds refuse are named before anything is registered, as the stacks' settings name them", async () => {
        let cloud: MockCloud | undefined;
        const args = pipelineArgs("dev", { memoryMb: 100, timeoutSeconds: 901, pipeline: { maxConcurrency: 41 }, alarms: { errorRatePercent: 100, p95DurationMs: 2000 }, imagesToKeep: 0 });
        const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => new LambdaEcrPipeline("pipeline", args));
        await assert.rejects(run, (err: Error) => {
            assert.strictEqual(
                err.message,
                'LambdaEcrPipeline "pipeline" has bad args: memoryMb must be a whole number from 128 to 10240 (got 100); timeoutSeconds must be a whole number from 1 to 900 (got 901); pipeline.maxConcurrency must be a whole number from 1 to 40 (got 41); alarms.errorRatePercent must be a number from 0 to below 100 (percent) (got 100); imagesToKeep must be a whole number from 1 to 1000 (got 0)',
            );
            return true;
        });
        assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        await assert.rejects(
            runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { reservedConcurrency: -1 }))),
            /bad args: reservedConcurrency must be a whole number, 0 or more \(got -1\)$/,
        );
        await assert.rejects(
            runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { alarms: { errorRatePercent: 5, p95DurationMs: 2000, utilizationPercent: 100 } }))),
            /bad args: alarms\.utilizationPercent must be a number from 0 to below 100 \(percent\) \(got 100\)$/,
        );
        // A boundary whose partition the AWS provider's ARN check refuses (config/cloudLimits.ts MANAGED_POLICY_ARN_PATTERN)
        // would fail the first role's Check after the repository and bucket were made.
        await assert.rejects(
            runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { permissionsBoundary: "arn:aws-:iam::123456789012:policy/boundary" }))),
            /bad args: permissionsBoundary must be the ARN of an IAM managed policy, .* \(got "arn:aws-:iam::123456789012:policy\/boundary"\)$/,
        );
        // One from another resource is refused once, as any output the component branches on (plainValues).
        await assert.rejects(
            runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { permissionsBoundary: pulumi.output("arn:aws:iam::123456789012:policy/b") as unknown as string }))),
            /bad args: permissionsBoundary must be a plain value, not an output of another resource$/,
        );
        const bounded = await runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { permissionsBoundary: "arn:aws-us-gov:iam::123456789012:policy/boundary" })));
        const roles = bounded.cloud.ofType("aws:iam/role:Role");
        assert.ok(roles.length > 0 && roles.every((r) => r.inputs.permissionsBoundary === "arn:aws-us-gov:iam::123456789012:policy/boundary"), JSON.stringify(roles.map((r) => r.inputs.permissionsBoundary)));
        // A reservation of 0 runs nothing: no concurrency alarm (its threshold would be 0 of 0), as the dashboard draws no line.
        const none = await runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { reservedConcurrency: 0 })));
        assert.deepStrictEqual(none.cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.endsWith("-concurrency")), []);
        // No maximum of Lambda's own: an account whose quota was raised to 20,000 may reserve 12,000.
        await runUnderMocks({ stack: "prod", setup: (c) => (c.awsApis.concurrencyLimit = 20_000) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { reservedConcurrency: 12_000 })));
        // A size from another resource is not known while the program runs: it is left to Lambda.
        await runUnderMocks({ stack: "dev" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { memoryMb: pulumi.output(1024) })));
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(stack, () => {
            it("ECR: immutable tags, scan on push, KMS encryption, lifecycle keeping the last N and expiring untagged after a day", async () => {
                const { cloud } = await deployPipeline(stack);
                const repo = cloud.one("aws:ecr/repository:Repository");
                assert.strictEqual(repo.inputs.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION", "content tags immutable; cosign's .sig/.att excluded");
                assert.deepStrictEqual(repo.inputs.imageTagMutabilityExclusionFilters.map((f: { filter: string }) => f.filter), ["sha256-*.sig", "sha256-*.att"]);
                assert.deepStrictEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
                assert.deepStrictEqual(repo.inputs.encryptionConfigurations, [{ encryptionType: "KMS" }]);
                assert.strictEqual(repo.inputs.forceDelete, stack !== "prod");
                const rules = JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
                // The image this deployment runs is kept by a rule of its own, however many builds follow.
                assert.deepStrictEqual(rules[0].selection, { tagStatus: "tagged", tagPatternList: [cloud.imageLookups().ecr!.tag], countType: "imageCountMoreThan", countNumber: 1 });
                // cosign's .sig and .att: the running image's always, then two per kept image, outside "keep the last N".
                const { repositoryName, tag } = cloud.imageLookups().ecr!;
                const digest = cloud.registry.find(repositoryName, tag);
                assert.match(String(digest), /^sha256:[0-9a-f]{64}$/, "the registry holds the image the stack runs");
                assert.strictEqual(rules[1].selection.tagPatternList[0], `${digest!.replace(":", "-")}.*`);
                assert.deepStrictEqual(rules[2].selection, { tagStatus: "tagged", tagPatternList: ["sha256-*"], countType: "imageCountMoreThan", countNumber: 2 * ((stack === "prod" ? 20 : 5) + 1) });
                assert.deepStrictEqual(rules[3].selection, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 });
                assert.deepStrictEqual(rules[4].selection, { tagStatus: "tagged", tagPatternList: ["c-*"], countType: "imageCountMoreThan", countNumber: stack === "prod" ? 20 : 5 });
            });

            it("the image: asked of ECR by its content tag (DescribeImages, after the repository exists), run by digest", async () => {
                const { cloud, fn } = await deployPipeline(stack);
                const lookup = cloud.awsApis.requests.find((r) => r.action === "DescribeImages")!;
                assert.strictEqual(lookup.action, "DescribeImages");
                assert.strictEqual(lookup.body.repositoryName, `multicloud-service-${stack}`);
                assert.match(lookup.body.imageIds[0].imageTag, /^c-[0-9a-f]{24}$/);
                const digest = cloud.registry.find(`multicloud-service-${stack}`, lookup.body.imageIds[0].imageTag);
                for (const label of ["api", "worker"] as const) {
                    assert.strictEqual(fn(label).inputs.imageUri, `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/multicloud-service-${stack}@${digest}`);
                    assert.strictEqual(fn(label).inputs.packageType, "Image");
                }
                assert.ok(!cloud.resources.some((r) => r.type.startsWith("docker:")), "nothing is built");
            });

            it("an image not pushed yet: the preview shows the functions' image as not known yet; nothing is built", async () => {
                const { cloud, fn } = await deployPipeline(stack, {}, "none");
                assert.ok(cloud.awsApis.requests.some((r) => r.action === "DescribeImages"));
                assert.ok(!cloud.resources.some((r) => r.type.startsWith("docker:")));
                for (const label of ["api", "worker"] as const) assert.ok(isUnknownInput(fn(label).inputs.imageUri), `${label}: image not known yet`);
            });

            it("two functions from one image, differing in image command, with settings from the stack", async () => {
                const { fn } = await deployPipeline(stack);
                assert.strictEqual(fn("api").inputs.imageUri, fn("worker").inputs.imageUri);
                assert.deepStrictEqual(fn("api").inputs.imageConfig, { commands: ["api.handler"] });
                assert.deepStrictEqual(fn("worker").inputs.imageConfig, { commands: ["worker.handler"] });
                for (const label of ["api", "worker"] as const) {
                    const f = fn(label).inputs;
                    assert.strictEqual(f.memorySize, stack === "prod" ? 1024 : 512);
                    assert.strictEqual(f.timeout, stack === "prod" ? 60 : 30);
                    assert.deepStrictEqual(f.architectures, ["arm64"]);
                    assert.strictEqual(f.publish, true);
                    assert.deepStrictEqual(f.tracingConfig, { mode: "Active" });
                    assert.strictEqual(f.loggingConfig.logFormat, "JSON");
                    // With the JSON format Lambda filters the function's own lines by their "level", at INFO unless
                    // told otherwise (Lambda developer guide, "Log-level filtering"): dev's debug lines were dropped.
                    assert.strictEqual(f.loggingConfig.applicationLogLevel, stack === "prod" ? "INFO" : "DEBUG");
                    const env = f.environment.variables;
                    assert.strictEqual(env.STORAGE_BACKEND, "s3");
                    assert.strictEqual(env.OBJECT_PREFIX, "input/");
                    assert.match(env.BUCKET_NAME, /^pipeline-bucket-[0-9a-f]{7}$/);
                    assert.strictEqual(env.DEBUG, String(stack !== "prod"));
                    assert.strictEqual(env.LOG_LEVEL, stack === "prod" ? "info" : "debug");
                }
                const api = fn("api").inputs.environment.variables;
                assert.strictEqual(api.CACHE_MAX_ENTRIES, stack === "prod" ? "50000" : "10000");
                assert.strictEqual(api.CACHE_TTL_SECONDS, stack === "prod" ? "7200" : "3600");
                assert.strictEqual(api.BATCH_SIZE, stack === "prod" ? "500" : "100");
                assert.strictEqual(api.RETENTION_DAYS, stack === "prod" ? "90" : "30");
                assert.strictEqual(api.ADMIN_FEATURES_ENABLED, String(stack !== "prod"));
                // The worker gets only what worker.handler reads: with admin settings and no token it would fail
                // its own settings check on every invocation.
                assert.deepStrictEqual(Object.keys(fn("worker").inputs.environment.variables).sort(), ["BUCKET_NAME", "DEBUG", "LOG_LEVEL", "OBJECT_PREFIX", "STORAGE_BACKEND"]);
                assert.strictEqual(fn("api").inputs.reservedConcurrentExecutions, stack === "prod" ? 100 : undefined);
                assert.match(fn("api").inputs.environment.variables.STATE_MACHINE_ARN, /^arn:aws:states:ap-northeast-1:123456789012:stateMachine:pipeline-pipeline-/);
                assert.strictEqual(fn("worker").inputs.environment.variables.STATE_MACHINE_ARN, undefined);
            });

            it("a live alias on the published version; the Function URL (IAM auth) and the state machine use it", async () => {
                const { cloud } = await deployPipeline(stack);
                for (const label of ["api", "worker"]) {
                    const alias = cloud.one("aws:lambda/alias:Alias", `pipeline-${label}`);
                    assert.strictEqual(alias.inputs.name, "live");
                    assert.strictEqual(alias.inputs.functionVersion, "1");
                }
                const url = cloud.one("aws:lambda/functionUrl:FunctionUrl");
                assert.strictEqual(url.inputs.qualifier, "live");
                assert.strictEqual(url.inputs.authorizationType, "AWS_IAM");
                assert.strictEqual(url.inputs.cors, undefined);
                assert.deepStrictEqual(cloud.ofType("aws:lambda/permission:Permission"), [], "no public invoke grants");
                const definition = JSON.parse(cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-pipeline").inputs.definition);
                const task = definition.States.ProcessKeys.ItemProcessor.States.ProcessKey;
                assert.match(task.Parameters.FunctionName, /:function:pipeline-worker-[0-9a-f]{7}:live$/);
            });

            it("S3: public access blocked, KMS encryption, TLS-only policy, results expiring after the retention period", async () => {
                const { cloud } = await deployPipeline(stack);
                const pab = cloud.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
                assert.deepStrictEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
                const sse = cloud.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs;
                assert.strictEqual(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
                // Without a bucket key every object's read and write is a KMS call of its own, billed and counted against
                // KMS's request quota (Amazon S3 User Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys").
                assert.strictEqual(sse.rules[0].bucketKeyEnabled, true, "an S3 Bucket Key for SSE-KMS");
                // ACLs off, so only the policies decide who reads an object: "Bucket owner enforced (default) – ACLs are
                // disabled, and the bucket owner automatically owns and has full control over every object in the bucket"
                // (Amazon S3 User Guide, "Controlling ownership of objects and disabling ACLs for your bucket"). The other
                // two settings enable ACLs again.
                assert.strictEqual(cloud.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule.objectOwnership, "BucketOwnerEnforced");
                const policy = JSON.parse(cloud.one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
                assert.deepStrictEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
                assert.strictEqual(policy.Statement[0].Effect, "Deny");
                const lifecycle = cloud.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules;
                const results = lifecycle.find((r: any) => r.id === "expire-results");
                assert.deepStrictEqual(results.filter, { prefix: "results/" });
                assert.deepStrictEqual(results.expiration, { days: stack === "prod" ? 90 : 30 });
                // The parts of an upload never completed are stored, and billed, until aborted; no listing shows them.
                const abort = lifecycle.find((r: any) => r.id === "abort-incomplete-uploads");
                assert.deepStrictEqual([abort.status, abort.filter, abort.abortIncompleteMultipartUpload], ["Enabled", { prefix: "" }, { daysAfterInitiation: 1 }]);
                // How long a results/ object really stays, by S3's lifecycle semantics: in a versioned bucket its
                // expiration leaves a noncurrent version, which goes by the shortest noncurrent expiration that matches it.
                const retention = stack === "prod" ? 90 : 30;
                const noncurrentDays = (key: string) =>
                    Math.min(...lifecycle.filter((r: any) => r.noncurrentVersionExpiration && key.startsWith(r.filter.prefix)).map((r: any) => r.noncurrentVersionExpiration.noncurrentDays));
                if (stack === "prod") {
                    assert.ok(retention + noncurrentDays("results/x") <= retention + 1, `results/ objects are stored ${retention + noncurrentDays("results/x")} days, not about ${retention}`);
                    assert.strictEqual(noncurrentDays("input/x"), retention, "other noncurrent versions are kept the retention period");
                }
                const versioning = cloud.ofType("aws:s3/bucketVersioning:BucketVersioning");
                assert.strictEqual(versioning.length, stack === "prod" ? 1 : 0);
                if (stack === "prod") assert.strictEqual(versioning[0].inputs.versioningConfiguration.status, "Enabled");
                assert.strictEqual(cloud.one("aws:s3/bucket:Bucket").inputs.forceDestroy, stack !== "prod");
            });

            it("log groups for each function and the state machine, with the retention period; functions log to their own", async () => {
                const { cloud, fn } = await deployPipeline(stack);
                const groups = cloud.ofType("aws:cloudwatch/logGroup:LogGroup");
                assert.deepStrictEqual(groups.map((g) => g.name).sort(), ["pipeline-api", "pipeline-health", "pipeline-pipeline", "pipeline-worker"]);
                for (const g of groups) assert.strictEqual(g.inputs.retentionInDays, stack === "prod" ? 90 : 30);
                assert.strictEqual(fn("api").inputs.loggingConfig.logGroup, cloud.one("aws:cloudwatch/logGroup:LogGroup", "pipeline-api").outputs.name);
                assert.strictEqual(fn("worker").inputs.loggingConfig.logGroup, cloud.one("aws:cloudwatch/logGroup:LogGroup", "pipeline-worker").outputs.name);
                assert.match(cloud.one("aws:cloudwatch/logGroup:LogGroup", "pipeline-pipeline").inputs.namePrefix, /^\/aws\/vendedlogs\/states\//);
                // Named from the prefix, as the provider names them: /aws/lambda/pipeline-api-<timestamp><counter>.
                assert.match(cloud.one("aws:cloudwatch/logGroup:LogGroup", "pipeline-api").outputs.name, /^\/aws\/lambda\/pipeline-api-\d{18}[0-9a-f]{8}$/);
            });

            it("log groups: CloudWatch Logs' deletion protection on in prod, so a destroy or a replacement cannot cut the promised retention short", async () => {
                // Left unset, a log group has none (pulumi-aws cloudwatch/logGroup.d.ts, deletionProtectionEnabled: "Defaults to
                // `false`"): a `pulumi destroy`, or a replacement (namePrefix is ForceNew: terraform-provider-aws
                // internal/service/logs/group.go), deletes the group and every line in it at once, though prod promises
                // `service.retentionDays` (90) of logs, as its bucket and secrets are kept (keptInProduction). Explicit false
                // elsewhere: once set, switching it off "requires explicitly specifying `false` rather than removing this argument".
                const { cloud } = await deployPipeline(stack);
                const groups = cloud.ofType("aws:cloudwatch/logGroup:LogGroup");
                assert.strictEqual(groups.length, 4);
                for (const g of groups) assert.strictEqual(g.inputs.deletionProtectionEnabled, stack === "prod", `${g.name}: deletionProtectionEnabled`);
            });

            it("alarms: error rate above 5 %, p95 above 2 s, any throttle per function; /health failing 3 minutes in a row; concurrency above 90 % of a reservation; any failed execution; to one SNS topic", async () => {
                const { cloud, component } = await deployPipeline(stack);
                const alarms = cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
                assert.deepStrictEqual(alarms.map((a) => a.name).sort(), [
                    // prod reserves 100 for the API; dev reserves none, and shares a pool it cannot tell its own part of.
                    ...(stack === "prod" ? ["pipeline-api-concurrency"] : []),
                    "pipeline-api-error-rate",
                    "pipeline-api-health",
                    "pipeline-api-health-stopped",
                    "pipeline-api-health-unstarted",
                    "pipeline-api-p95-duration",
                    "pipeline-api-throttles",
                    "pipeline-failed-executions",
                    "pipeline-worker-error-rate",
                    "pipeline-worker-p95-duration",
                    "pipeline-worker-throttles",
                ]);
                const byName = (n: string) => alarms.find((a) => a.name === n)!.inputs;
                const errorRate = byName("pipeline-api-error-rate");
                assert.strictEqual(errorRate.threshold, 5);
                // The API's failed requests: Lambda's Errors and the 5xx it answered itself (a successful invocation to Lambda).
                assert.strictEqual(errorRate.metricQueries.find((q: any) => q.id === "errorRate").expression, "IF(invocations > 0, 100 * (errors + FILL(serverErrors, 0)) / invocations, 0)");
                assert.deepStrictEqual(
                    errorRate.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.metric.namespace, q.metric.metricName, q.metric.stat, Object.keys(q.metric.dimensions).join(",")]),
                    [
                        ["AWS/Lambda", "Errors", "Sum", "FunctionName,Resource"],
                        ["AWS/Lambda", "Invocations", "Sum", "FunctionName,Resource"],
                        ["multicloud-service", "ServerErrors", "Sum", "FunctionName,Resource"],
                    ],
                );
                // The worker answers no HTTP: Lambda's Errors are all its failures.
                assert.strictEqual(byName("pipeline-worker-error-rate").metricQueries.find((q: any) => q.returnData).expression, "IF(invocations > 0, 100 * errors / invocations, 0)");
                assert.strictEqual(byName("pipeline-worker-p95-duration").extendedStatistic, "p95");
                assert.strictEqual(byName("pipeline-api-p95-duration").threshold, 2000);
                // One 5-minute period over its threshold alarms: the release's alarm gate reads these alarms, and with a
                // second period a bad version would fire its alarm only after 10 minutes, release.bakeMinutes' default.
                for (const n of ["pipeline-api-error-rate", "pipeline-api-p95-duration", "pipeline-api-throttles", "pipeline-worker-error-rate", "pipeline-failed-executions", ...(stack === "prod" ? ["pipeline-api-concurrency"] : [])]) {
                    const alarm = byName(n);
                    assert.deepStrictEqual([alarm.period ?? alarm.metricQueries.find((q: any) => q.metric).metric.period, alarm.evaluationPeriods], [300, 1], n);
                }
                assert.strictEqual(byName("pipeline-worker-throttles").threshold, 0);
                assert.strictEqual(byName("pipeline-failed-executions").metricName, "ExecutionsFailed");
                // The runbook's "health fails 3 times": a failed check in each of 3 minutes in a row, one check a minute.
                const health = byName("pipeline-api-health");
                assert.deepStrictEqual(
                    [health.namespace, health.metricName, health.statistic, health.period, health.evaluationPeriods, health.datapointsToAlarm, health.threshold],
                    ["AWS/States", "ExecutionsFailed", "Sum", 60, 3, 3, 0],
                );
                assert.strictEqual(health.dimensions.StateMachineArn, cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-health").outputs.arn);
                assert.ok((await valueOf(component.apiAlarmNames)).some((n: string) => n.startsWith("pipeline-api-health")), "a gate of the release too");
                if (stack === "prod") {
                    // The release's rollback gate's figure (release/metrics/cloudWatch.ts): a reservation is the function's, counted by FunctionName alone.
                    const concurrency = byName("pipeline-api-concurrency");
                    assert.deepStrictEqual([concurrency.namespace, concurrency.metricName, concurrency.statistic, Object.keys(concurrency.dimensions)], ["AWS/Lambda", "ConcurrentExecutions", "Maximum", ["FunctionName"]]);
                    assert.strictEqual(concurrency.threshold, 90);
                    assert.ok((await valueOf(component.apiAlarmNames)).some((n: string) => n.startsWith("pipeline-api-concurrency")), "a gate of the release too");
                }
                const topicArn = cloud.one("aws:sns/topic:Topic").outputs.arn;
                for (const a of alarms) assert.deepStrictEqual(a.inputs.alarmActions, [topicArn]);
                // The health alarm's watchdog: Scheduler drops a start it cannot make, and a health alarm that sees no
                // failed check stays OK. 10 minutes without a started check notify the topic through INSUFFICIENT_DATA,
                // and the alarm is no gate of the release (a stopped check says nothing of the version released).
                const stopped = byName("pipeline-api-health-stopped");
                assert.deepStrictEqual(
                    [stopped.namespace, stopped.metricName, stopped.statistic, stopped.period, stopped.evaluationPeriods, stopped.comparisonOperator, stopped.threshold, stopped.treatMissingData, stopped.insufficientDataActions],
                    ["AWS/States", "ExecutionsStarted", "Sum", 60, 10, "LessThanThreshold", 1, "missing", [topicArn]],
                );
                assert.strictEqual(stopped.dimensions.StateMachineArn, health.dimensions.StateMachineArn);
                // The checks Scheduler tried to start and could not (a role it cannot assume, StartExecution refused or
                // throttled, the state machine missing): no execution starts, so the health alarm stays OK and the
                // watchdog stays in the INSUFFICIENT_DATA it began in. Scheduler's own metrics of the health check's
                // schedule group say so from the first minute (EventBridge Scheduler User Guide, "Monitoring ... with
                // Amazon CloudWatch": namespace AWS/Scheduler, dimension ScheduleGroup).
                const unstarted = byName("pipeline-api-health-unstarted");
                const group = cloud.one("aws:scheduler/scheduleGroup:ScheduleGroup", "pipeline-health");
                assert.deepStrictEqual(
                    unstarted.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.metric.namespace, q.metric.metricName, q.metric.stat, q.metric.period, q.metric.dimensions]),
                    ["TargetErrorCount", "TargetErrorThrottledCount", "InvocationDroppedCount"].map((metric) => ["AWS/Scheduler", metric, "Sum", 300, { ScheduleGroup: group.outputs.name }]),
                );
                assert.strictEqual(unstarted.metricQueries.find((q: any) => q.returnData).expression, "FILL(targetErrors, 0) + FILL(targetThrottled, 0) + FILL(dropped, 0)");
                assert.deepStrictEqual(
                    [unstarted.evaluationPeriods, unstarted.comparisonOperator, unstarted.threshold, unstarted.treatMissingData, unstarted.alarmActions, unstarted.okActions],
                    [1, "GreaterThanThreshold", 0, "notBreaching", [topicArn], [topicArn]],
                );
                const gates = [...(await valueOf(component.apiAlarmNames)), ...(await valueOf(component.pipelineAlarmNames))];
                for (const notGate of ["pipeline-api-health-stopped", "pipeline-api-health-unstarted"]) assert.ok(!gates.some((n: string) => n.startsWith(notGate)), gates.join(", "));
                assert.strictEqual(gates.length, alarms.length - 2, "every other alarm is a gate");
                // Each alarms above its threshold, never at it or below (a flipped operator pages a healthy service and
                // keeps quiet for a slow one, and the release reads an alarm as a breach); a function that ran nothing
                // in a period is not breaching (an idle worker would page, or sit in INSUFFICIENT_DATA).
                for (const a of alarms.filter((a) => a.name !== "pipeline-api-health-stopped")) {
                    assert.strictEqual(a.inputs.comparisonOperator, "GreaterThanThreshold", a.name);
                    assert.strictEqual(a.inputs.treatMissingData, "notBreaching", a.name);
                }
                // dev, the review stacks and prod share the account: the description (in the alarm's e-mail) names the stack.
                for (const a of alarms) assert.match(a.inputs.alarmDescription, new RegExp(`^multicloud-service \\(${stack}\\) (api|worker|pipeline): `), a.name);
                assert.deepStrictEqual(cloud.ofType("aws:sns/topicSubscription:TopicSubscription"), []);
            });

            it("the API's error-rate and p95 alarms judge a 5-minute window only on at least release.minRequests invocations (100): one failed or slow request among the health checks of a quiet night pages no one", async () => {
                // The health check alone is 5 invocations of the alias in 5 minutes: one 5xx of a caller's among them is
                // 1 of 6, 17 % (over 5 %), and one slow request is the p95 of 6. The release judges neither rate on
                // fewer than release.minRequests requests (release/gates.ts), and its alarm gate reads these alarms.
                const judged = (inputs: any) => inputs.metricQueries?.find((q: any) => q.returnData)?.expression;
                const { cloud } = await deployPipeline(stack);
                const alarm = (name: string) => cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", name).inputs;
                assert.strictEqual(judged(alarm("pipeline-api-error-rate")), "IF(invocations >= 100, errorRate, 0)");
                assert.strictEqual(judged(alarm("pipeline-api-p95-duration")), "IF(invocations >= 100, p95, 0)");
                const p95 = alarm("pipeline-api-p95-duration").metricQueries.filter((q: any) => q.metric).map((q: any) => [q.id, q.metric.metricName, q.metric.stat, q.metric.period]);
                assert.deepStrictEqual(p95, [["invocations", "Invocations", "Sum", 300], ["p95", "Duration", "p95", 300]]);
                // The stack's own release.minRequests, as the release judges it.
                const { cloud: other } = await deployPipeline(stack, { alarms: { errorRatePercent: 5, p95DurationMs: 2000, minRequests: 40 } });
                assert.strictEqual(judged(other.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-api-error-rate").inputs), "IF(invocations >= 40, errorRate, 0)");
            });

            it("the health check's schedule is in a schedule group of its own, tagged, which its unstarted-check alarm watches: not the account's default group, which every stack's schedules share", async () => {
                const { cloud } = await deployPipeline(stack);
                const group = cloud.one("aws:scheduler/scheduleGroup:ScheduleGroup");
                assert.strictEqual(group.name, "pipeline-health");
                assert.match(group.outputs.name, /^pipeline-health-[0-9a-z]{7}$/, "autonamed: no name another stack (a review stack) could hold");
                assert.strictEqual(group.outputs.arn, `arn:aws:scheduler:ap-northeast-1:${FAKE_ACCOUNT_ID}:schedule-group/${group.outputs.name}`);
                assert.deepStrictEqual(group.inputs.tags, TAGS(stack));
                const schedule = cloud.one("aws:scheduler/schedule:Schedule");
                assert.strictEqual(schedule.inputs.groupName, group.outputs.name);
                assert.notStrictEqual(schedule.inputs.groupName, "default");
            });

            it("tags every taggable resource with project, environment and managed-by", async () => {
                const { cloud } = await deployPipeline(stack);
                for (const type of TAGGABLE) {
                    const resources = cloud.ofType(type);
                    for (const r of resources) assert.deepStrictEqual(r.inputs.tags, TAGS(stack), `${type} ${r.name}`);
                }
            });

            it("outputs: API URL, state machine ARN, bucket, repository URL and image digest", async () => {
                const { component } = await deployPipeline(stack);
                assert.match(await valueOf(component.apiUrl), /^https:\/\/[0-9a-f]{32}\.lambda-url\.ap-northeast-1\.on\.aws\/$/);
                assert.match(await valueOf(component.stateMachineArn), /^arn:aws:states:/);
                assert.match(await valueOf(component.bucketName), /^pipeline-bucket-/);
                assert.match(await valueOf(component.repositoryUrl), /\.dkr\.ecr\./);
                assert.match(await valueOf(component.imageDigest), /^sha256:[0-9a-f]{64}$/);
            });
        });
    }

    it("the admin token: generated, kept in Secrets Manager, the function gets only the ARN, the output is secret", async () => {
        const { cloud, fn, component } = await deployPipeline("dev");
        const version = cloud.one("aws:secretsmanager/secretVersion:SecretVersion");
        assert.ok(isSecretInput(version.inputs.secretString), "the token is stored as a secret");
        const env = fn("api").inputs.environment.variables;
        assert.strictEqual(env.ADMIN_TOKEN_SECRET_ARN, cloud.one("aws:secretsmanager/secret:Secret").outputs.arn);
        // Before: from the secret alone, so the function could be created, and asked, before the secret had a value.
        const isVersion = (urn: string) => urn.endsWith(`aws:secretsmanager/secretVersion:SecretVersion::${version.name}`);
        assert.ok((fn("api").propertyDependencies.environment ?? []).some(isVersion), "the function waits for the secret's value");
        assert.ok(!JSON.stringify(revealSecrets(fn("api").inputs.environment)).includes(revealSecrets(version.inputs.secretString)), "the token is not in the environment");
        assert.ok(component.adminToken && (await pulumi.isSecret(component.adminToken)));
        assert.strictEqual(cloud.one("aws:secretsmanager/secret:Secret").inputs.recoveryWindowInDays, 0);
    });

    // Stack settings refuse admin features in prod; a package caller may still ask for them with isProduction. Deleting
    // the secret then waits Secrets Manager's longest window before the token is gone for good ("The number of days
    // from 7 to 30 that Secrets Manager waits before permanently deleting the secret", DeleteSecret's
    // RecoveryWindowInDays, boto/botocore botocore/data/secretsmanager/2017-10-17/service-2.json); elsewhere it goes at once.
    it("a production caller's admin token is kept 30 days after its secret is deleted, and the secret is protected and kept if removed; another's goes at once", async () => {
        const recoveryWindow = ({ cloud }: { cloud: MockCloud }) => cloud.one("aws:secretsmanager/secret:Secret").inputs.recoveryWindowInDays;
        const prod = await deployPipeline("prod", { service: { ...stackServiceSettings("prod"), adminFeatures: true } });
        assert.strictEqual(recoveryWindow(prod), 30);
        assert.deepStrictEqual(prod.cloud.one("aws:secretsmanager/secret:Secret").options, { protect: true, retainOnDelete: true }, "prod's admin-token secret (keptInProduction)");
        // dev's own settings have admin features on: the deploy the other specs share.
        assert.strictEqual(recoveryWindow(await deployPipeline("dev")), 0);
    });

    it("no admin token, secret or grant when admin features are off (prod)", async () => {
        const { cloud, fn, component, rolePolicy } = await deployPipeline("prod");
        assert.deepStrictEqual(cloud.ofType("aws:secretsmanager/secret:Secret"), []);
        assert.deepStrictEqual(cloud.ofType("random:index/randomPassword:RandomPassword"), []);
        assert.strictEqual(fn("api").inputs.environment.variables.ADMIN_TOKEN_SECRET_ARN, undefined);
        assert.strictEqual(component.adminToken, undefined);
        assert.ok(!JSON.stringify(rolePolicy("api")).includes("secretsmanager"));
    });

    it("a reservation the account cannot grant (Lambda keeps 100 unreserved, or all of a smaller limit) fails before the function is registered, naming the limit", async () => {
        const run = (limit: number) =>
            runUnderMocks({ stack: "prod", setup: (c) => (c.awsApis.concurrencyLimit = limit) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { reservedConcurrency: 100 })));
        const granted = await run(1000);
        assert.strictEqual(granted.cloud.one("aws:lambda/function:Function", "pipeline-api").inputs.reservedConcurrentExecutions, 100);
        assert.ok(granted.cloud.awsApis.requests.some((r) => r.action === "GetAccountSettings"));
        // Exactly the limit less 100 leaves the 100 Lambda keeps unreserved: granted, not refused (Lambda developer
        // guide, "Configuring reserved concurrency": up to the unreserved account concurrency minus 100).
        const atTheBound = await run(200);
        assert.strictEqual(atTheBound.cloud.one("aws:lambda/function:Function", "pipeline-api").inputs.reservedConcurrentExecutions, 100);
        // A new account's limit is often 10: 100 reserved would leave nothing.
        const refused = await failedUpdate(
            run(150),
            /reserved concurrency 100 would leave less than 100 of this account's 150 concurrent executions unreserved in ap-northeast-1, which Lambda refuses: reserve at most 50/,
        );
        assert.deepStrictEqual(refused.cloud.ofType("aws:lambda/function:Function").map((f) => f.name), ["pipeline-worker"], "the API function is never registered");
        // An account of limit 10 keeps all 10 unreserved ("... below its minimum value of [10]", as real accounts
        // answer): nothing can be reserved there, and the message says so.
        await failedUpdate(
            run(10),
            /reserved concurrency 100 would leave less than 10 of this account's 10 concurrent executions unreserved in ap-northeast-1, which Lambda refuses: no reservation is possible in this account; reserve none \(0 would refuse every request\), or ask for a higher "Concurrent executions" quota/,
        );
    });

    it("a reservation Lambda does not hold after an earlier `up` failed setting it: a warning that the next `up` sets it (the provider's update re-sends it only when the value changes)", async () => {
        const run = (refusedEarlier: boolean, preview = false) =>
            runUnderMocks({ stack: "prod", preview, setup: (c) => (c.awsApis.reservationsRefusedEarlier = refusedEarlier) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { reservedConcurrency: 100 })));
        for (const quiet of [await run(false), await run(true, true)]) assert.deepStrictEqual(messagesOf(quiet.cloud, "warning"), [], "held as asked, or a preview (whose read-back is the last up's)");
        const { cloud } = await run(true);
        const fnName = cloud.one("aws:lambda/function:Function", "pipeline-api").outputs.name;
        assert.deepStrictEqual(messagesOf(cloud, "warning"), [
            `Lambda holds no reserved concurrency for ${fnName}, not the 100 the deployment asks for: an earlier \`up\` failed setting it, and the provider sends a reservation only when the stack's value changes. ` +
                `The next \`pulumi up\` sets it (\`aws lambda get-function-concurrency --region ap-northeast-1 --function-name ${fnName}\` shows what Lambda holds).`,
        ]);
    });

    // Lambda throttles invocations past the account's concurrency (TooManyRequestsException); the Map task retries a
    // throttled key 5 times over at most 62 s, then the batch fails. A new account's limit is often 10, and the schema
    // allows a Map of 40. Before: nothing read the account's limit unless aws.reservedConcurrency was set, and nothing said so.
    it("a Map that may invoke more workers at once than the account can run for them: a warning with the figures", async () => {
        const run = (limit: number, maxConcurrency: number) =>
            runUnderMocks({ stack: "dev", setup: (c) => (c.awsApis.concurrencyLimit = limit) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { pipeline: { maxConcurrency } })));
        const aboutMap = (cloud: MockCloud) => messagesOf(cloud, "warning").filter((m) => m.includes("maxConcurrency"));
        assert.deepStrictEqual(aboutMap((await run(1000, 40)).cloud), []);
        assert.deepStrictEqual(aboutMap((await run(10, 10)).cloud), []);
        const { cloud } = await run(10, 40);
        assert.deepStrictEqual(aboutMap(cloud), [
            'aws.pipeline.maxConcurrency 40 is more than the 10 of this account\'s 10 concurrent executions in ap-northeast-1 the worker can get: Lambda throttles the rest, Step Functions retries a throttled key for about a minute, then the batch fails. Lower aws.pipeline.maxConcurrency, or ask for a higher "Concurrent executions" quota in Service Quotas.',
        ]);
    });

    // Before: without aws.reservedConcurrency the program's check reads nothing, so the Map's read is the first, in the
    // middle of the update, and a deployer without lambda:GetAccountSettings got Lambda's AccessDeniedException alone
    // (IAM's sentence), naming neither the call's purpose nor the setting it checks; the program's check worded it, the
    // component's read did not. Lambda's answer: fakeAwsApis.ts denyAccountSettings (its sources).
    it("Lambda refuses GetAccountSettings (AccessDeniedException) with no reservation set: the Map's read names Lambda, the call, the setting and the permission", async () => {
        const denied = (stack: "dev" | "prod") =>
            runUnderMocks({ stack, setup: (c) => (c.awsApis.denyAccountSettings = true) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs(stack, { pipeline: { maxConcurrency: 40 } })));
        const iam = "AccessDeniedException: User: arn:aws:sts::\\d{12}:assumed-role/deployer/session is not authorized to perform: lambda:GetAccountSettings on resource: \\* because no identity-based policy allows the lambda:GetAccountSettings action";
        const refused = await failedUpdate(
            denied("dev"),
            new RegExp(
                `could not read the account's Lambda limits in ap-northeast-1 \\(GetAccountSettings\\), which aws\\.pipeline\\.maxConcurrency 40 is checked against: ${iam} \\(the deploying identity needs lambda:GetAccountSettings\\)`,
            ),
        );
        assert.doesNotMatch(refused.message, /run again once Lambda answers/, "a refusal is not an unanswered read");
        // With a reservation both of the component's reads ask; the refusal lasts the run (perRun.ts), so Lambda is asked once.
        const both = await failedUpdate(denied("prod"), /could not read the account's Lambda limits in ap-northeast-1 \(GetAccountSettings\), which aws\.(reservedConcurrency 100|pipeline\.maxConcurrency 40) is checked against: AccessDeniedException: .*\(the deploying identity needs lambda:GetAccountSettings\)/);
        assert.strictEqual(both.cloud.awsApis.requests.filter((r) => r.action === "GetAccountSettings").length, 1);
    });

    it("other functions' reservations that may leave too little: a warning with the figures (what this function already holds is unknown before it is registered)", async () => {
        const run = (reservedByOthers: number) =>
            runUnderMocks({ stack: "prod", setup: (c) => (c.awsApis.reservedByOthers = reservedByOthers) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { reservedConcurrency: 100 })));
        const roomy = await run(800); // 200 unreserved: 100 can be granted, and 100 stay
        assert.deepStrictEqual(messagesOf(roomy.cloud, "warning"), []);
        const { cloud } = await run(850); // 150 unreserved: only if this function already holds 50
        assert.strictEqual(cloud.one("aws:lambda/function:Function", "pipeline-api").inputs.reservedConcurrentExecutions, 100, "not refused: it may already hold them");
        assert.deepStrictEqual(messagesOf(cloud, "warning"), [
                'reserved concurrency 100: 150 of this account\'s 1000 concurrent executions in ap-northeast-1 are unreserved, so Lambda grants it only if this function already reserves at least 50 of the others (100 must stay unreserved; a new function holds none). A refusal stops `pulumi up` at the reservation: see README "When pulumi up stops at the reserved concurrency"',
        ]);
    });

    // An e-mail subscription waits for its owner to click AWS's link, and SNS delivers nothing to it until then (SNS
    // Developer Guide, "Confirm your Amazon SNS subscription"); the provider reads PendingConfirmation "true".
    it("an alarm e-mail AWS still holds as pending confirmation is a warning on the up, saying alarms reach nobody yet", async () => {
        // The alarms of the reserved-domain test below: its deploy of oncall@company.com is this one, shared.
        const deploy = (alarms: object) => deployPipeline("prod", { alarms: { errorRatePercent: 2, p95DurationMs: 1500, ...alarms } });
        assert.deepStrictEqual(messagesOf((await deploy({})).cloud, "warning"), []);
        const { cloud } = await deploy({ email: "oncall@company.com" });
        const topicArn = cloud.one("aws:sns/topic:Topic").outputs.arn;
        // Confirmed with the CLI and AuthenticateOnUnsubscribe, only AWS credentials remove it (SNS API Reference,
        // ConfirmSubscription); confirmed by the link, the Unsubscribe link in any alarm e-mail does.
        assert.deepStrictEqual(messagesOf(cloud, "warning"), [
                `oncall@company.com had not confirmed its subscription to the alarm topic when Pulumi last read it, and alarms reach nobody until it does: within 48 hours, from the e-mail "AWS Notification - Subscription Confirmation", copy its "Confirm subscription" link without opening it and run aws sns confirm-subscription --region ap-northeast-1 --topic-arn ${topicArn} --token <the link's Token> --authenticate-on-unsubscribe true (following the link confirms it too, but then the Unsubscribe link in every alarm e-mail removes it without AWS credentials); then \`pulumi refresh\` ends this warning. SNS deletes a subscription left unconfirmed longer: then \`pulumi up --refresh\` subscribes the address again and sends a new e-mail (npm run release checks SNS itself and refuses to move traffic until one is confirmed)`,
        ]);
    });

    it("x86_64 functions run the linux/amd64 image (its own content tag)", async () => {
        const arm = await deployPipeline("dev");
        const { cloud, fn } = await deployPipeline("dev", { architecture: "x86_64" });
        const tagOf = (c: typeof cloud) => c.imageLookups().ecr!.tag;
        assert.notStrictEqual(tagOf(cloud), tagOf(arm.cloud));
        assert.deepStrictEqual(fn("api").inputs.architectures, ["x86_64"]);
    });

    it("a prebuilt image: nothing built, both functions run it as given", async () => {
        const prebuilt = `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@sha256:${"c".repeat(64)}`;
        const { cloud, fn, component } = await deployPipeline("dev", { image: { prebuilt } });
        // Only ECR's description of the prebuilt digest, in its own registry (an index is refused: next test).
        assert.deepStrictEqual(
            cloud.awsApis.requests.filter((r) => r.service === "ecr").map((r) => [r.action, r.body.registryId, r.body.repositoryName, r.body.imageIds]),
            [["DescribeImages", "111111111111", "built-in-ci", [{ imageDigest: `sha256:${"c".repeat(64)}` }]]],
        );
        assert.strictEqual(fn("api").inputs.imageUri, prebuilt);
        assert.strictEqual(fn("worker").inputs.imageUri, prebuilt);
        assert.strictEqual(await valueOf(component.imageDigest), `sha256:${"c".repeat(64)}`);
    });

    /** An arm64 and amd64 index CI pushed to built-in-ci:ci-7, and the component running built-in-ci@`digest`. */
    const BOTH_PLATFORMS = imageIndex([{ os: "linux", architecture: "arm64" }, { os: "linux", architecture: "amd64" }]);
    const withIndexPushed = (digest: string) =>
        runUnderMocks(
            { stack: "dev", setup: (c) => void c.registry.pushArtifact("built-in-ci", "ci-7", BOTH_PLATFORMS) },
            () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { image: { prebuilt: `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@${digest}` } })),
        );

    // Lambda runs one image manifest: CreateFunction refuses an index ("The image manifest, config or layer media type
    // for the source image ... is not supported", aws/aws-lambda-roadmap#82), after the resources that do not wait on
    // the functions were created. A built image's index was refused already (ecrDigestOfTag); a prebuilt one was not.
    it("a prebuilt image ECR describes as an index is refused before either function is registered, naming what to name instead", async () => {
        const { cloud } = await failedUpdate(
            withIndexPushed(artifactDigest(BOTH_PLATFORMS)),
            new RegExp(
                `prebuilt image ${regExpText(`111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@${artifactDigest(BOTH_PLATFORMS)}`)} is an image index ` +
                    "\\(application/vnd\\.oci\\.image\\.index\\.v1\\+json\\), which Lambda does not run: name the digest of the manifest",
            ),
        );
        assert.deepStrictEqual(cloud.ofType("aws:lambda/function:Function"), []);
    });

    // What the refusal above says to do: name the image of the index for the functions' platform. ECR holds an index's
    // images untagged and describes them by digest (DescribeImages lists untagged images: DescribeImagesFilter tagStatus).
    it("the digest of an index's own image (untagged in ECR) is judged as that image: the functions' platform runs, another is refused", async () => {
        const deploy = (architecture: string) => withIndexPushed(indexEntries(BOTH_PLATFORMS).find((m) => m.platform.architecture === architecture)!.digest);
        const { cloud } = await deploy("arm64");
        assert.strictEqual(cloud.ofType("aws:lambda/function:Function").length, 2);
        const refused = await failedUpdate(deploy("amd64"), /is built for linux\/amd64, and the functions run on linux\/arm64/);
        assert.deepStrictEqual(refused.cloud.ofType("aws:lambda/function:Function"), []);
    });

    // Lambda takes an image built for another platform than the function's architecture, then fails every start
    // (Runtime.InvalidEntrypoint: exec format error). Cloud Run does the same with a single manifest of another
    // platform than linux/amd64 (the revision fails to start; pulumi/templates#490) and refuses at deploy only an
    // index without linux/amd64 (cloud.google.com/run/docs/container-contract; tests/gcp/prebuiltPlatform.spec.ts).
    it("a prebuilt image built for another platform than the functions' architecture is refused before either function is registered", async () => {
        const deploy = (platform: { os: string; architecture: string }) =>
            runUnderMocks(
                {
                    stack: "dev",
                    setup: (c) => {
                        const digest = c.registry.pushArtifact("built-in-ci", `ci-${platform.architecture}`, imageArtifact(platform));
                        c.awsApis.repositories.add("built-in-ci");
                        digests.set(platform.architecture, digest);
                    },
                },
                () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { image: { prebuilt: `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@${expected(platform.architecture)}` } })),
            );
        const digests = new Map<string, string>();
        const images = { amd64: imageArtifact({ os: "linux", architecture: "amd64" }), arm64: imageArtifact({ os: "linux", architecture: "arm64" }) };
        const expected = (architecture: string) => artifactDigest(images[architecture as "amd64" | "arm64"]);
        // dev's functions run on arm64 (aws.architecture's default).
        const amd64 = await failedUpdate(
            deploy({ os: "linux", architecture: "amd64" }),
            /prebuilt image 111111111111\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/built-in-ci@sha256:[0-9a-f]{64} is built for linux\/amd64, and the functions run on linux\/arm64 \(architecture arm64\): Lambda would take it and fail every start/,
        );
        assert.strictEqual(digests.get("amd64"), expected("amd64"));
        assert.deepStrictEqual(amd64.cloud.ofType("aws:lambda/function:Function"), []);
        const arm64 = await deploy({ os: "linux", architecture: "arm64" });
        assert.strictEqual(arm64.cloud.ofType("aws:lambda/function:Function").length, 2);
        assert.strictEqual(await valueOf(arm64.result.imageDigest), expected("arm64"));
    });

    // Before: said nothing, and CreateFunction refused it ("Source image ... does not exist") after what comes before the functions.
    it("a prebuilt image ECR does not hold is left to Lambda with a warning that CreateFunction will refuse it", async () => {
        const prebuilt = `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@sha256:${"f".repeat(64)}`;
        const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => void c.awsApis.repositories.add("built-in-ci") }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { image: { prebuilt } })));
        const warnings = messagesOf(cloud, "warning").filter((w) => w.startsWith("prebuilt image"));
        assert.deepStrictEqual(warnings, [
            `prebuilt image ${prebuilt}: ECR does not hold it (DescribeImages: ImageNotFoundException or RepositoryNotFoundException), so Lambda's CreateFunction will refuse it: push it there, or name one ECR holds`,
        ]);
    });

    it("a prebuilt image ECR refuses to describe (no ecr:DescribeImages) is left to Lambda with a warning saying so", async () => {
        const prebuilt = `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@sha256:${"e".repeat(64)}`;
        const { cloud } = await runUnderMocks({ stack: "dev", setup: (c) => (c.awsApis.denyEcr = true) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { image: { prebuilt } })));
        assert.strictEqual(cloud.ofType("aws:lambda/function:Function").length, 2);
        const warnings = messagesOf(cloud, "warning");
        assert.ok(warnings.some((w) => /^prebuilt image .*built-in-ci@sha256:e{64}: could not describe built-in-ci@sha256:e{64} in ECR \(ap-northeast-1, DescribeImages\): AccessDeniedException: User: .* is not authorized to perform: ecr:DescribeImages .*\(the deploying identity needs ecr:DescribeImages on the repository built-in-ci\), so whether it is one manifest/.test(w)), warnings.join("\n"));
    });

    it("a public Function URL (dev opt-in) with CORS gets both public grants on the live alias", async () => {
        const { cloud } = await deployPipeline("dev", { functionUrl: { authType: "NONE", corsOrigins: ["https://app.example.com"] } });
        const url = cloud.one("aws:lambda/functionUrl:FunctionUrl").inputs;
        assert.strictEqual(url.authorizationType, "NONE");
        assert.deepStrictEqual(url.cors.allowOrigins, ["https://app.example.com"]);
        // A browser at an allowed origin asks before a PUT, POST or DELETE (a CORS preflight), and the URL's CORS settings
        // answer it (Lambda developer guide, function URL settings, "Cross-origin resource sharing (CORS)"): a method left
        // out of allowMethods is one the browser never sends. Every method the app routes, as the API function starts with
        // the environment this deploy gives it (dev's admin routes included: DELETE /admin/cache), must be among them; "ALL"
        // is Hono's method for middleware (app.use).
        const api = cloud.ofType("aws:lambda/function:Function").find((f) => f.name.endsWith("-api"))!;
        const { app } = serviceBootstrap("lambda-api", api.inputs.environment.variables);
        const routed = app.routes.map((r) => r.method).filter((method) => method !== "ALL");
        assert.ok(routed.includes("DELETE"), `the app's routes were read: ${routed}`);
        for (const method of new Set(routed)) assert.ok(url.cors.allowMethods.includes(method), `${method} routes: not in the URL's CORS allowMethods ${url.cors.allowMethods}`);
        const grants = cloud.ofType("aws:lambda/permission:Permission").map((p) => [p.inputs.action, p.inputs.principal, p.inputs.qualifier]);
        assert.deepStrictEqual(grants.sort(), [
            ["lambda:InvokeFunction", "*", "live"],
            ["lambda:InvokeFunctionUrl", "*", "live"],
        ]);
        // Each public grant is narrowed to the URL by its action's condition key (Service Authorization Reference, AWS
        // Lambda: lambda:FunctionUrlAuthType for InvokeFunctionUrl, lambda:InvokedViaFunctionUrl for InvokeFunction;
        // the Lambda developer guide, "Control access to Lambda function URLs"). Without the second, "*" may call the
        // Invoke API on the alias directly, past the URL's CORS and the API's limits.
        const grant = (action: string) => cloud.ofType("aws:lambda/permission:Permission").find((p) => p.inputs.action === action)!.inputs;
        assert.strictEqual(grant("lambda:InvokeFunctionUrl").functionUrlAuthType, "NONE");
        assert.strictEqual(grant("lambda:InvokeFunction").invokedViaFunctionUrl, true);
        // Made after the alias and the URL: AddPermission on a qualifier CreateAlias has not made answers
        // ResourceNotFound (terraform-provider-aws lambda/permission.go retries it for lambdaPropagationTimeout, 5 min,
        // one grant of a function at a time), and the URL's create adds its own grants to the same policy. Before: the
        // qualifier was the text "live", ordered after nothing.
        for (const grant of cloud.ofType("aws:lambda/permission:Permission")) {
            assert.ok((grant.propertyDependencies.qualifier ?? []).some((urn) => urn.endsWith("aws:lambda/alias:Alias::pipeline-api")), `${grant.name}: qualifier from the alias`);
            assert.ok(grant.dependsOn.some((urn) => urn.endsWith("aws:lambda/functionUrl:FunctionUrl::pipeline-api")), `${grant.name}: after the URL`);
        }
    });

    // The provider retries only the create's own refusal while a new role propagates (terraform-provider-aws
    // lambda/function.go retryFunctionOp; sfn/state_machine.go retries AccessDeniedException), not what the role may do:
    // made before its policy, a function's first runs would be refused S3, Logs and X-Ray.
    it("each function and the state machine are made after their role's policy", async () => {
        const { cloud } = await deployPipeline("prod");
        const policies = cloud.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => p.urn);
        for (const made of [...cloud.ofType("aws:lambda/function:Function"), cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-pipeline")]) {
            const policy = policies.filter((urn) => made.dependsOn.includes(urn));
            assert.strictEqual(policy.length, 1, `${made.name}: after one role policy (${made.dependsOn.join(", ")})`);
            const roleName = (arnOrName: string) => arnOrName.split("/").pop();
            assert.strictEqual(roleName(cloud.resources.find((r) => r.urn === policy[0])!.inputs.role), roleName(made.inputs.role ?? made.inputs.roleArn), `${made.name}: its own role's policy`);
        }
    });

    // PutBucketPolicy while PutPublicAccessBlock is in progress on the same bucket is refused: "Error putting S3 policy:
    // OperationAborted: A conflicting conditional operation is currently in progress against this resource. Please try
    // again." (status 409; pulumi/pulumi-aws#1570, hashicorp/terraform-provider-aws#7628). The provider's S3 client now
    // retries that answer (terraform-provider-aws internal/service/s3 service_package.go), but only up to the SDK's
    // attempts ("exceeded maximum number of attempts, 25", hashicorp/terraform-provider-aws#36873): put in order, never.
    it("the bucket's TLS-only policy is put after its public access block, not at the same time", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployPipeline(stack);
            const block = cloud.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            const policy = cloud.one("aws:s3/bucketPolicy:BucketPolicy");
            assert.ok(policy.dependsOn.includes(block.urn), `${stack}: the policy waits for ${block.urn} (${policy.dependsOn.join(", ")})`);
        }
    });

    // As the pipeline's state machine above: the health check's logs and traces through its role's policy, and its
    // schedule starts it through its own role's. Made before the policy, the state machine's create leans on the
    // provider's AccessDeniedException retry alone (sfn/state_machine.go), and the schedule's first starts may be
    // refused (no states:StartExecution yet), which the unstarted-check alarm (TargetErrorCount) pages on from the
    // first minute (alarms.ts healthCheckUnstartedAlarm).
    it("the health check's state machine and its schedule are made after their own role's policy", async () => {
        const { cloud } = await deployPipeline("prod");
        const policyOf = (name: string) => cloud.one("aws:iam/rolePolicy:RolePolicy", name);
        const machine = cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-health");
        assert.ok(machine.dependsOn.includes(policyOf("pipeline-health").urn), `state machine after its role's policy (${machine.dependsOn.join(", ")})`);
        assert.strictEqual(policyOf("pipeline-health").inputs.role.split("/").pop(), machine.inputs.roleArn.split("/").pop());
        const schedule = cloud.one("aws:scheduler/schedule:Schedule");
        assert.ok(schedule.dependsOn.includes(policyOf("pipeline-schedule").urn), `schedule after its role's policy (${schedule.dependsOn.join(", ")})`);
        assert.strictEqual(policyOf("pipeline-schedule").inputs.role.split("/").pop(), schedule.inputs.target.roleArn.split("/").pop());
    });

    // The health alarm counts ExecutionsFailed, one check a minute. Step Functions counts an execution that runs past its
    // own TimeoutSeconds in ExecutionsTimedOut instead (AWS/States execution metrics: ExecutionsFailed, ExecutionsTimedOut,
    // ... as CloudWatch Application Insights lists them), so a /health that never answers must fail the task first
    // (States.Timeout, uncaught: the execution fails). And a start Scheduler could not make is not made later: retries
    // go on "with exponential backoff" (EventBridge Scheduler API Reference, RetryPolicy: MaximumRetryAttempts 0-185),
    // which would run a minute's check in a later minute, next to that minute's own.
    it("the health check: a /health with no answer in 10 s fails the check (not the execution's timeout), and Scheduler does not retry a start", async () => {
        const { cloud } = await deployPipeline("prod");
        const definition = JSON.parse(cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-health").inputs.definition);
        const task = definition.States[definition.StartAt];
        assert.strictEqual(task.Resource, "arn:aws:states:::lambda:invoke");
        assert.strictEqual(task.TimeoutSeconds, 10, "the task's own timeout fails a slow check");
        assert.ok(definition.TimeoutSeconds > task.TimeoutSeconds, `the execution's bound (${definition.TimeoutSeconds} s) is past the task's`);
        assert.strictEqual(task.Catch, undefined, "a failed task fails the execution");
        const schedule = cloud.one("aws:scheduler/schedule:Schedule").inputs;
        assert.strictEqual(schedule.scheduleExpression, "rate(1 minute)");
        assert.deepStrictEqual(schedule.target.retryPolicy, { maximumRetryAttempts: 0 });
    });

    // The health alarm reads one check a minute, in each minute (period 60 s, 3 of 3). A flexible time window lets
    // Scheduler start a check anywhere in a window after its time (botocore scheduler 2021-06-30 service-2.json,
    // FlexibleTimeWindow: "Allows you to configure a time window during which EventBridge Scheduler invokes the
    // schedule"; MaximumWindowInMinutes 1-1440): minutes with no check (no failure) and minutes with two, so a /health
    // failing throughout could leave no 3 failed minutes in a row to alarm on.
    it("the health check's schedule starts each check at its minute, with no flexible time window", async () => {
        const { cloud } = await deployPipeline("prod");
        const schedule = cloud.one("aws:scheduler/schedule:Schedule").inputs;
        assert.deepStrictEqual([schedule.scheduleExpression, schedule.flexibleTimeWindow], ["rate(1 minute)", { mode: "OFF" }]);
    });

    // RFC 2606 reserves example.com and the .example, .test and .invalid names for documentation: mail to them reaches
    // no one, and a stack file copied from an example passed its settings with every alarm going nowhere.
    it("an alarm e-mail at a domain reserved for examples is a warning saying no one receives the alarms", async () => {
        const warned = async (email: string) => {
            const { cloud } = await deployPipeline("prod", { alarms: { errorRatePercent: 2, p95DurationMs: 1500, email } });
            return messagesOf(cloud, "warning").filter((w) => w.includes("reserved for examples"));
        };
        assert.deepStrictEqual(await warned("oncall@example.com"), [
            "aws.alarms.email is oncall@example.com, whose domain example.com is reserved for examples (RFC 2606): no one receives these alerts. Set aws.alarms.email to an address someone reads",
        ]);
        assert.deepStrictEqual(await warned("oncall@company.com"), []);
        // The domains, without a deploy each.
        for (const email of ["pager@ops.example", "a@b.test", "a@x.invalid", "a@example.net", "a@EXAMPLE.ORG", "a@localhost"]) assert.ok(atReservedDomain(email), email);
        for (const email of ["oncall@company.com", "a@example.co.uk", "a@notexample.com"]) assert.ok(!atReservedDomain(email), email);
    });

    it("an alarm e-mail subscribes to the topic", async () => {
        const { cloud } = await deployPipeline("prod", { alarms: { errorRatePercent: 2, p95DurationMs: 1500, email: "oncall@example.com" } });
        const sub = cloud.one("aws:sns/topicSubscription:TopicSubscription").inputs;
        assert.deepStrictEqual([sub.protocol, sub.endpoint], ["email", "oncall@example.com"]);
        assert.strictEqual(cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-api-error-rate").inputs.threshold, 2);
        assert.strictEqual(cloud.one("aws:cloudwatch/metricAlarm:MetricAlarm", "pipeline-worker-p95-duration").inputs.threshold, 1500);
    });

    it("state machine: tracing on, execution logging to its own log group", async () => {
        const { cloud } = await deployPipeline("prod");
        const sm = cloud.one("aws:sfn/stateMachine:StateMachine", "pipeline-pipeline").inputs;
        assert.deepStrictEqual(sm.tracingConfiguration, { enabled: true });
        const logGroupArn = cloud.one("aws:cloudwatch/logGroup:LogGroup", "pipeline-pipeline").outputs.arn;
        assert.strictEqual(sm.loggingConfiguration.logDestination, `${logGroupArn}:*`);
        assert.strictEqual(sm.loggingConfiguration.level, "ERROR");
        assert.strictEqual(sm.loggingConfiguration.includeExecutionData, false, "prod logs no object keys");
    });

    it("prod's repository and bucket are protected (and the bucket kept if removed from the program); dev's are not", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployPipeline(stack);
            const prod = stack === "prod";
            assert.deepStrictEqual(cloud.one("aws:ecr/repository:Repository").options.protect, prod, `${stack} repository`);
            assert.deepStrictEqual(cloud.one("aws:s3/bucket:Bucket").options, { protect: prod, retainOnDelete: prod }, `${stack} bucket`);
            // Their settings are kept with them: Pulumi goes on deleting around a refused resource (a destroy or an up
            // without a preview continues past a protected one), which would leave the kept bucket versioning-suspended,
            // without its TLS-only policy and public access block, and the repository without its cleanup rules.
            const settings = [
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                ...(prod ? ["aws:s3/bucketVersioning:BucketVersioning"] : []),
            ];
            for (const type of settings) assert.deepStrictEqual(cloud.one(type).options, { protect: prod, retainOnDelete: prod }, `${stack} ${type}`);
            // The repository's cleanup rules name the image this deployment runs, so every new image changes them, and
            // the provider replaces an ECR lifecycle policy on any change (terraform-provider-aws ecr/lifecycle_policy.go:
            // `policy` ForceNew, no Update): protected, prod's next image would fail ("unable to replace resource ... as it
            // is currently marked for protection"). Kept by retainOnDelete alone: a destroy leaves it with the repository,
            // and its replacement's PutLifecyclePolicy writes over the old one.
            const lifecycle = cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy");
            assert.deepStrictEqual(lifecycle.options, { protect: false, retainOnDelete: prod }, `${stack} lifecycle policy`);
            // A repository has one policy, deleted by the repository's name: a create-first replacement's delete of the
            // old one would take the new one with it. Stated by the program, not left to pulumi-aws's mapping default.
            assert.strictEqual(lifecycle.deleteBeforeReplace, true, `${stack} lifecycle policy is replaced delete-first`);
            assert.ok(lifecycle.inputs.policy.includes(cloud.imageLookups().ecr!.tag), "its text names the running image's tag: a new image changes it");
        }
        const { cloud } = await deployPipeline("dev");
        assert.deepStrictEqual(cloud.one("aws:secretsmanager/secret:Secret").options, { protect: false, retainOnDelete: false });
    });

    it("CORS lets a browser send SigV4-signed requests (x-amz-date, x-amz-content-sha256, x-amz-security-token)", async () => {
        const { cloud } = await deployPipeline("dev", { functionUrl: { authType: "AWS_IAM", corsOrigins: ["https://app.example.com"] } });
        const cors = cloud.one("aws:lambda/functionUrl:FunctionUrl").inputs.cors;
        for (const header of ["authorization", "content-type", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]) {
            assert.ok(cors.allowHeaders.includes(header), `${header} is not allowed`);
        }
    });

    // A Function URL's cors names "the HTTP headers that origins can include in requests to your function URL" (Lambda
    // API reference, Cors: AllowHeaders); a browser sends no header its preflight was not allowed. Before: a browser in an allowed origin could not present the admin token (behind AWS_IAM, X-Admin-Token:
    // the SigV4 signature takes Authorization), and dev has admin features on.
    it("CORS lets a browser present the admin token (x-admin-token) where admin features are on, and only there", async () => {
        const cors = async (stack: "dev" | "prod") =>
            (await deployPipeline(stack, { functionUrl: { authType: "AWS_IAM", corsOrigins: ["https://app.example.com"] } })).cloud.one("aws:lambda/functionUrl:FunctionUrl").inputs.cors;
        assert.ok((await cors("dev")).allowHeaders.includes("x-admin-token"), "dev: admin features on");
        // A preflight matches header names whatever their case (web-platform-tests fetch/api/cors/cors-preflight-star.any.js:
        // "Headers check is case-insensitive"): X-Admin-Token would let the browser send it too.
        const prod: string[] = (await cors("prod")).allowHeaders;
        assert.deepStrictEqual(prod.filter((h) => h.toLowerCase() === "x-admin-token"), [], "prod: admin features off");
    });
});
