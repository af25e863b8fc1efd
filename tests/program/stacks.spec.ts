import * as assert from "assert";
import { ProgramRun, runProgram } from "../../scripts/offline/runProgram";
import * as path from "path";
import { contentTag } from "../../components/image";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { MachineRun, anotherMachineEnvironment, assertSameRunElsewhere, runOnAnotherMachine } from "../harness/anotherMachine";
import { committedStackRun } from "../harness/committedStackRun";
import { withSettings } from "../harness/stackConfig";
import { scratchDir } from "../harness/tempDirs";

/** The whole program under mocks, once per committed stack file: a change to a stack file is tested too. */
const stack = (name: "dev" | "prod"): Promise<ProgramRun> => committedStackRun(name);

const custom = (r: RecordedResource) => r.custom && !r.type.startsWith("pulumi:providers:");
const typesOf = (run: ProgramRun) => new Set(run.cloud.resources.filter(custom).map((r) => r.type));

describe("the program under mocks, per stack file", function () {
    this.timeout(60_000);

    for (const name of ["dev", "prod"] as const) {
        describe(name, () => {
            it("builds both clouds, each under its component and its own explicit provider", async () => {
                const run = await stack(name);
                const pipeline = run.cloud.one("multicloud:index:LambdaEcrPipeline", "pipeline");
                const service = run.cloud.one("multicloud:index:CloudRunGcsService", "service");
                const awsProvider = run.cloud.one("pulumi:providers:aws", "aws");
                const gcpProvider = run.cloud.one("pulumi:providers:gcp", "gcp");
                assert.strictEqual(awsProvider.inputs.region, "ap-northeast-1");
                assert.strictEqual(gcpProvider.inputs.project, `multicloud-service-${name}`);
                assert.strictEqual(gcpProvider.inputs.region, "asia-northeast1");
                // The mocks answer every provider alike, so a resource on the default provider (the machine's region or
                // project) would pass unseen but for its provider reference, `<provider urn>::<id>`.
                const providerOf = { aws: awsProvider, gcp: gcpProvider };
                for (const r of run.cloud.resources.filter(custom)) {
                    const root = r.type.startsWith("gcp:") ? service : r.type.startsWith("aws:") ? pipeline : undefined;
                    if (!root) continue;
                    assert.ok(run.cloud.ancestors(r).includes(root), `${r.type} ${r.name} is outside its component`);
                    const explicit = providerOf[r.type.startsWith("gcp:") ? "gcp" : "aws"];
                    assert.ok(explicit.urn !== "" && r.provider?.startsWith(`${explicit.urn}::`), `${r.type} ${r.name} is on provider ${r.provider}, not ${explicit.urn}`);
                }
                // So would an invoke (a data source such as getCallerIdentity or getProject): it takes its `provider` option,
                // else its parent's provider for the package, else the default one (@pulumi/pulumi runtime/invoke.js
                // getProvider). The default provider is configured from the stack's aws:*/gcp:* keys, else the machine's
                // environment (AWS_REGION, GOOGLE_PROJECT), not from the settings the explicit one was built from; where
                // pulumi:disable-default-providers is set the engine refuses the invoke: "Invoke: Default provider for
                // 'gcp' disabled. '<token>' must use an explicit provider." (pulumi pkg/resource/deploy/source_eval.go
                // getProviderFromSource, sdk/go/common/diag/errors.go GetDefaultProviderDenied).
                const invokes = run.cloud.calls.filter((c) => c.token.startsWith("aws:") || c.token.startsWith("gcp:"));
                for (const cloud of ["aws:", "gcp:"]) assert.ok(invokes.some((c) => c.token.startsWith(cloud)), `no ${cloud} invoke to check`);
                for (const c of invokes) {
                    const explicit = providerOf[c.token.startsWith("gcp:") ? "gcp" : "aws"];
                    assert.ok(c.provider.startsWith(`${explicit.urn}::`), `invoke ${c.token} is on provider ${c.provider === "" ? "the default" : c.provider}, not ${explicit.urn}`);
                }
            });

            it("registers the same resources with the same inputs whatever machine it runs on", async () => {
                // A laptop's, the Deployments runner's or a CI runner's environment (tests/harness/anotherMachine.ts), in
                // another folder: each provider's SDK takes an unset input from the environment (@pulumi/gcp and @pulumi/aws
                // provider.js), the AWS SDK from its config file, and time and locale formatting from TZ and LANG.
                const home = scratchDir(`another-machine-${name}`);
                const elsewhere = runOnAnotherMachine(name, anotherMachineEnvironment(name, home), home);
                const { machine, ...registered } = elsewhere;
                const clean = await stack(name);
                const here: MachineRun = JSON.parse(JSON.stringify({ resources: clean.cloud.resources, calls: clean.cloud.calls, outputs: clean.outputs }));
                assertSameRunElsewhere(elsewhere, here, home);
                const there = new Map(elsewhere.resources.map((r) => [r.urn, r]));
                // Nor does the folder it runs from, its home or where this checkout is: no path of this machine reaches the cloud.
                const recorded = JSON.stringify(here);
                for (const local of [PROJECT_ROOT, home]) assert.ok(!JSON.stringify(registered).includes(local) && !recorded.includes(local), `a registered value holds ${local}`);
                // No zone at all: the provider refuses an empty one ("expected a non-empty string", terraform-provider-google
                // provider.go ValidateEmptyStrings), which would fail every preview.
                assert.strictEqual(there.get(clean.cloud.one("pulumi:providers:gcp").urn)!.inputs.zone, undefined);
            });

            it("registers the resources each cloud needs", async () => {
                const types = typesOf(await stack(name));
                for (const type of [
                    "aws:ecr/repository:Repository",
                    "aws:lambda/function:Function",
                    "aws:lambda/alias:Alias",
                    "aws:lambda/functionUrl:FunctionUrl",
                    "aws:s3/bucket:Bucket",
                    "aws:sfn/stateMachine:StateMachine",
                    "aws:iam/role:Role",
                    "aws:cloudwatch/logGroup:LogGroup",
                    "aws:cloudwatch/metricAlarm:MetricAlarm",
                    "aws:sns/topic:Topic",
                    "gcp:projects/service:Service",
                    "gcp:artifactregistry/repository:Repository",
                    "gcp:serviceaccount/account:Account",
                    "gcp:storage/bucket:Bucket",
                    "gcp:cloudrunv2/service:Service",
                    "gcp:monitoring/alertPolicy:AlertPolicy",
                    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
                ]) {
                    assert.ok(types.has(type), `${name} has no ${type}`);
                }
                assert.ok(!types.has("gcp:serviceaccount/key:Key"), "no service-account keys");
            });

            it("carries the stack file's settings to both clouds", async () => {
                const run = await stack(name);
                const { config } = readStackFile(name);
                const service = JSON.parse(config["multicloud-service:service"]);
                const aws = JSON.parse(config["multicloud-service:aws"]);
                const gcp = JSON.parse(config["multicloud-service:gcp"]);
                const api = run.cloud.resources.find((r) => r.type === "aws:lambda/function:Function" && /api/.test(r.name))!;
                assert.strictEqual(api.inputs.memorySize, aws.memoryMb);
                assert.strictEqual(api.inputs.timeout, aws.timeoutSeconds);
                assert.deepStrictEqual(api.inputs.architectures, [aws.architecture]);
                const env = api.inputs.environment.variables;
                assert.strictEqual(env.CACHE_MAX_ENTRIES, String(service.cache.maxEntries));
                assert.strictEqual(env.CACHE_TTL_SECONDS, String(service.cache.ttlSeconds));
                assert.strictEqual(env.BATCH_SIZE, String(service.batchSize));
                assert.strictEqual(env.ADMIN_FEATURES_ENABLED, String(service.adminFeatures));
                const cloudRun = run.cloud.one("gcp:cloudrunv2/service:Service");
                const container = cloudRun.inputs.template.containers[0];
                assert.strictEqual(container.resources.limits.cpu, gcp.cpu);
                assert.strictEqual(container.resources.limits.memory, gcp.memory);
                assert.strictEqual(cloudRun.inputs.scaling.maxInstanceCount, gcp.maxInstances);
                const envs = Object.fromEntries(container.envs.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
                assert.strictEqual(envs.CACHE_MAX_ENTRIES, String(service.cache.maxEntries));
                assert.strictEqual(envs.RETENTION_DAYS, String(service.retentionDays));
                assert.strictEqual(envs.DEBUG, String(service.debug));
            });

            it("runs the same image on both clouds, pinned by digest", async () => {
                const run = await stack(name);
                const lambdaImages = run.cloud.ofType("aws:lambda/function:Function").map((f) => f.inputs.imageUri);
                const cloudRunImage = run.cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image;
                for (const ref of [...lambdaImages, cloudRunImage]) assert.match(ref, /@sha256:[0-9a-f]{64}$/);
                // The image workflow has pushed this source's content tag to both registries (the mock cloud's
                // default): nothing is built, and each registry is asked for the tag of its own platform.
                assert.ok(!run.cloud.resources.some((r) => r.type.startsWith("docker:")), "nothing is built");
                const appContext = path.join(PROJECT_ROOT, "app");
                const { ecr, ar } = run.cloud.imageLookups();
                assert.strictEqual(ecr?.tag, contentTag({ context: appContext, platform: "linux/arm64" }), "Lambda runs arm64");
                assert.deepStrictEqual([ar?.packageName, ar?.tag], ["service", contentTag({ context: appContext, platform: "linux/amd64" })], "Cloud Run runs amd64");
            });

            it("exports the outputs a user needs", async () => {
                const run = await stack(name);
                for (const key of ["aws.apiUrl", "aws.stateMachineArn", "aws.bucketName", "aws.repositoryUrl", "aws.imageDigest", "gcp.serviceUrl", "gcp.bucketName", "gcp.serviceAccountEmail", "gcp.imageDigest"]) {
                    assert.ok(run.outputs[key], `output ${key} is missing`);
                }
                assert.match(String(run.outputs["aws.imageDigest"]), /^sha256:[0-9a-f]{64}$/);
                assert.match(String(run.outputs["gcp.imageDigest"]), /^sha256:[0-9a-f]{64}$/);
            });
        });
    }

    it("prod is hardened where dev is not", async () => {
        const dev = await stack("dev");
        const prod = await stack("prod");
        const repo = (run: ProgramRun) => run.cloud.one("aws:ecr/repository:Repository");
        assert.strictEqual(repo(dev).inputs.forceDelete, true);
        assert.ok(!repo(prod).inputs.forceDelete);
        const cloudRun = (run: ProgramRun) => run.cloud.one("gcp:cloudrunv2/service:Service");
        assert.strictEqual(cloudRun(prod).inputs.deletionProtection, true);
        assert.ok(!cloudRun(dev).inputs.deletionProtection);
        const gcsBucket = (run: ProgramRun) => run.cloud.one("gcp:storage/bucket:Bucket");
        assert.strictEqual(gcsBucket(prod).inputs.versioning.enabled, true);
        assert.strictEqual(gcsBucket(prod).inputs.forceDestroy, false);
        assert.strictEqual(gcsBucket(dev).inputs.forceDestroy, true);
    });

    it("the admin token exists only where admin features are on, and only as a secret output", async () => {
        const dev = await stack("dev");
        const prod = await stack("prod");
        assert.ok(dev.secretOutputs.includes("aws.adminToken"), `secret outputs: ${dev.secretOutputs.join(", ")}`);
        assert.ok(dev.secretOutputs.includes("gcp.adminToken"));
        assert.strictEqual(prod.outputs["aws.adminToken"], undefined);
        assert.strictEqual(prod.outputs["gcp.adminToken"], undefined);
    });

    // Pulumi's stack names may hold "." and "_" (a production stack may be `prod.eu`, README "Settings"); GCP refuses
    // them in label values ("can contain only lowercase letters, numeric characters, underscores, and dashes", at
    // most 63: Resource Manager, "Labels: requirements"), in secret IDs (letters, numerals, "-" and "_": Secret
    // Manager's CreateSecretRequest.secret_id) and in Artifact Registry repository IDs (lowercase letters, numbers
    // and hyphens). The mocks accept any string, so the program's own IDs are checked against those rules.
    it("a stack named with . and _ gives GCP only label values, secret IDs and a repository ID it accepts; AWS tags keep the name, lowercased", async () => {
        const { config, secretKeys } = readStackFile("prod");
        // GCP alone: with AWS on, a trailing _ is refused before anything is registered (ECR takes no such repository name).
        const gcpOnly = { ...config, "multicloud-service:aws": JSON.stringify({ ...JSON.parse(config["multicloud-service:aws"]), enabled: false }) };
        const run = await runProgram("Prod.EU_2_", { config: { ...gcpOnly, "multicloud-service:databaseUrl": "postgres://db.internal/app" }, secretKeys: [...secretKeys, "multicloud-service:databaseUrl"] });
        const gcp = run.cloud.resources.filter((r) => r.type.startsWith("gcp:") || r.type === "pulumi:providers:gcp");
        // A provider's object inputs reach the engine as JSON text.
        const labelsOf = (value: unknown): Record<string, unknown> => (typeof value === "string" ? JSON.parse(value) : (value ?? {})) as Record<string, unknown>;
        // A notification channel's `labels` are its settings (the e-mail address), its resource labels `userLabels`.
        const labelKeys = (type: string) => (type === "gcp:monitoring/notificationChannel:NotificationChannel" ? ["userLabels"] : ["labels", "userLabels", "defaultLabels"]);
        const labelValues = gcp.flatMap((r) => labelKeys(r.type).flatMap((k) => Object.values(labelsOf(r.inputs[k])).map((v) => [`${r.type} ${r.name} ${k}`, v])));
        assert.ok(labelValues.length > 10, `${labelValues.length} label values`);
        assert.deepStrictEqual(labelValues.filter(([, v]) => !/^[a-z0-9_-]{0,63}$/.test(String(v))), []);
        const secretIds = run.cloud.ofType("gcp:secretmanager/secret:Secret").map((r) => r.inputs.secretId);
        assert.strictEqual(secretIds.length, 1);
        assert.deepStrictEqual(secretIds.filter((id) => !/^[A-Za-z0-9_-]{1,255}$/.test(id)), []);
        assert.match(secretIds[0], /^service-prod-eu_2_-database-url-[0-9a-f]{6}$/, "_ stays; the digest keeps it apart from prod-eu_2_'s");
        const repositories = run.cloud.ofType("gcp:artifactregistry/repository:Repository").map((r) => r.inputs.repositoryId);
        assert.deepStrictEqual(repositories.filter((id) => !/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(id)), []);
        assert.ok(repositories.length >= 1);
        const withAws = await runProgram("Prod.EU_2", { config: { ...config, "multicloud-service:databaseUrl": "postgres://db.internal/app" }, secretKeys: [...secretKeys, "multicloud-service:databaseUrl"] });
        const awsProvider = withAws.cloud.one("pulumi:providers:aws", "aws");
        assert.strictEqual((labelsOf(awsProvider.inputs.defaultTags).tags as Record<string, string>).environment, "prod.eu_2");
        assert.match(withAws.cloud.one("aws:ecr/repository:Repository").inputs.name, /^multicloud-service-prod\.eu_2-[0-9a-f]{6}$/, "lowercased, with a digest: another stack may be prod.eu_2");
    });

    // The committed stack files set no gcp.redeploy: a new value must reach Cloud Run as the template's annotation, which
    // makes Cloud Run deploy the same settings as a new revision (components/gcp/redeploy.ts).
    it("gcp.redeploy reaches the Cloud Run template as its redeploy annotation", async () => {
        const run = await runProgram("dev", { config: withSettings("dev", "gcp", { redeploy: "20261206T053000Z" }) });
        const template = run.cloud.one("gcp:cloudrunv2/service:Service").inputs.template;
        assert.strictEqual(template.annotations?.["multicloud-service/redeploy"], "20261206T053000Z");
    });

    it("one cloud can be switched off", async () => {
        const { config, secretKeys } = readStackFile("dev");
        const gcp = { ...JSON.parse(config["multicloud-service:gcp"]), enabled: false };
        const run = await runProgram("dev", { config: { ...config, "multicloud-service:gcp": JSON.stringify(gcp) }, secretKeys });
        assert.deepStrictEqual(run.cloud.resources.filter((r) => r.type.startsWith("gcp:") || r.type === "multicloud:index:CloudRunGcsService"), []);
        assert.ok(run.cloud.ofType("aws:lambda/function:Function").length >= 2);
        assert.strictEqual(run.outputs["gcp"], undefined);
    });
});
