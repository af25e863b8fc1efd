import * as assert from "assert";
import { createRequire } from "module";
import * as path from "path";
import { deployPipeline, pipelineArgs } from "../aws/fixtures";
import { deployService, serviceArgs } from "../gcp/fixtures";
import { isSecretInput, maskSecrets, outputValueInput, revealSecrets, secretInput, unknownOutputValueInput } from "../../scripts/offline/registeredInputs";
import { FakeEngine } from "../../scripts/offline/fakeEngine";
import type { FakeKms } from "../../scripts/offline/fakeKms";
import { PROJECT, RecordedResource, mockCloudFor } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { committedSchema } from "../../multicloud/provider";
import { servedArgProblems } from "../../multicloud/servedArgs";
import { PACKAGE_DIR } from "./packageSchema";
import { PluginProcess } from "./pluginProcess";
import { assertShortcutsTaken, loaderReportOf, withLoaderProbe } from "./loaderProbe";
import { artifactDigest, imageArtifact, imageIndex } from "../../scripts/offline/fakeRegistry";
import { sharedPerArgs } from "../harness/shared";
import { startedBeforeStoppedAfter } from "../harness/suiteProcesses";
import { apiAlreadyOn } from "../harness/enabledApis";
import { GiB } from "../../scripts/offline/fakeCloudQuotasApi";
import { SANDBOX_CALLER } from "../harness/sandboxCaller";

/**
 * A provider registered with the engine as another language's program registers one (RegisterResource of
 * `pulumi:providers:<pkg>`, custom), and the reference `<urn>::<id>` the program then passes for it.
 */
function registerProvider(monitor: string, pkg: string, name: string, inputs: Record<string, string>): Promise<string> {
    const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/proto/resource_grpc_pb"));
    const grpc = sdkRequire("@grpc/grpc-js");
    const { ResourceMonitorClient } = sdkRequire("./resource_grpc_pb");
    const { RegisterResourceRequest } = sdkRequire("./resource_pb");
    const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");
    const client = new ResourceMonitorClient(monitor, grpc.credentials.createInsecure());
    const request = new RegisterResourceRequest();
    request.setType(`pulumi:providers:${pkg}`);
    request.setName(name);
    request.setCustom(true);
    request.setObject(Struct.fromJavaScript(inputs));
    return new Promise((resolve, reject) =>
        client.registerResource(request, (err: Error | null, response: any) => {
            client.close();
            return err ? reject(err) : resolve(`${response.getUrn()}::${response.getId()}`);
        }),
    );
}

/** The stack files' args with the program's own image source (index.ts builds app/). */
const APP = { image: { build: { context: path.join(PROJECT_ROOT, "app") } } };
const STACKS = ["dev", "prod"] as const;
type Stack = (typeof STACKS)[number];
/** Each component type's args from a stack file, and the name an update's construct gives it. */
const COMPONENTS = {
    "multicloud:index:LambdaEcrPipeline": { name: "pipeline", args: (stack: Stack) => pipelineArgs(stack, APP) },
    "multicloud:index:CloudRunGcsService": { name: "service", args: (stack: Stack) => serviceArgs(stack, APP) },
};
type ComponentType = keyof typeof COMPONENTS;
const COMPONENT_TYPES = Object.keys(COMPONENTS) as ComponentType[];
/** The schema the plugin serves. */
const SCHEMA = JSON.parse(committedSchema(PACKAGE_DIR));

describe("the package's plugin, started as the CLI starts it, answers construct", function () {
    this.timeout(60_000);
    const plugin = new PluginProcess();
    const engines = new Map<string, { engine: FakeEngine; address: string }>();
    let pluginEnvironment: Record<string, string | undefined> = {};

    startedBeforeStoppedAfter(async () => {
        for (const stack of STACKS) {
            const engine = new FakeEngine(mockCloudFor(readStackFile(stack).config), PROJECT, stack);
            engines.set(stack, { engine, address: await engine.start() });
        }
        pluginEnvironment = withLoaderProbe({ ...engines.get("dev")!.engine.environment(), PULUMI_DEBUG_PROMISE_LEAKS: undefined }, PACKAGE_DIR);
        await plugin.start(engines.get("dev")!.address, pluginEnvironment);
    }, async () => {
        await plugin.stop();
        for (const { engine } of engines.values()) await engine.stop();
    });

    /** Custom resources by type, with their counts: what the engine would create. */
    const census = (resources: RecordedResource[]) => {
        const counts: Record<string, number> = {};
        for (const r of resources.filter((r) => r.custom)) counts[r.type] = (counts[r.type] ?? 0) + 1;
        return counts;
    };

    /**
     * An update's construct of the stack's component with the stack file's args, once per stack and type: the tests of
     * what an update registers and the comparison with a preview's construct read the same answer (each construct is
     * a plugin's whole component run, about 0.4 s of its CPU). What it registered, as counted by `census`.
     */
    const updateConstruct = sharedPerArgs(async (stack: Stack, type: ComponentType) => {
        const { engine, address } = engines.get(stack)!;
        const before = engine.cloud.resources.length;
        const constructed = await plugin.construct({ project: PROJECT, stack, monitor: address, type, name: COMPONENTS[type].name, inputs: COMPONENTS[type].args(stack) });
        return { constructed, registered: engine.cloud.resources.slice(before) };
    });

    for (const stack of STACKS) {
        const components = [
            { type: "multicloud:index:LambdaEcrPipeline", program: () => deployPipeline(stack) },
            { type: "multicloud:index:CloudRunGcsService", program: () => deployService(stack) },
        ] as const;
        for (const c of components) {
            it(`${stack}: ${c.type} through construct registers the resources the TypeScript program does (type and count), the admin token a secret`, async () => {
                const { engine } = engines.get(stack)!;
                const { constructed, registered: viaPackage } = await updateConstruct(stack, c.type);
                const { cloud } = await c.program();
                assert.deepStrictEqual(census(viaPackage), census(cloud.resources));
                assert.ok(Object.keys(census(viaPackage)).length >= 8, JSON.stringify(census(viaPackage)));
                // The outputs are the ones schema.json names (the plugin serves that file instead of the SDK's analysis).
                const { properties, required } = SCHEMA.resources[c.type];
                assert.deepStrictEqual(Object.keys(constructed.state).filter((name) => !(name in properties)), [], "outputs the schema does not name");
                assert.deepStrictEqual(required.filter((name: string) => !(name in constructed.state)), [], "required outputs missing from construct's answer");
                // The component's own outputs in the state are the same set (before, imageRef was answered but not kept).
                const kept = engine.outputsOf(constructed.urn) ?? {};
                assert.deepStrictEqual(Object.keys(constructed.state).filter((name) => !(name in kept)), [], "outputs answered but not registered by the component");
                if (stack === "dev") assert.ok(isSecretInput(constructed.state.adminToken), "the admin token crosses the wire as a secret");
                else assert.strictEqual(constructed.state.adminToken, undefined);
            });
        }
    }

    it("a database URL sent as a secret input, as the generated SDKs send databaseUrl, reaches Secret Manager whole and secret", async () => {
        const { engine, address } = engines.get("prod")!;
        const before = engine.cloud.resources.length;
        await plugin.construct({ project: PROJECT, stack: "prod", monitor: address, type: "multicloud:index:CloudRunGcsService", name: "secret-url", inputs: { ...serviceArgs("prod", APP), databaseUrl: secretInput("postgres://app:hunter2@db/app") } });
        const registered = engine.cloud.resources.slice(before);
        const secret = registered.find((r) => r.type === "gcp:secretmanager/secret:Secret" && String(r.inputs.secretId).endsWith("-database-url"));
        assert.ok(secret, registered.map((r) => r.type).join(", "));
        const version = registered.find((r) => r.type === "gcp:secretmanager/secretVersion:SecretVersion" && r.name === secret.name)!;
        // The URL arrives through construct, unwrapped and whole (the SDKs' side, sending it as a secret, is the
        // schema's secret flag: tests/package/schema.spec.ts).
        assert.strictEqual(revealSecrets(version.inputs.secretData), "postgres://app:hunter2@db/app");
        assert.ok(isSecretInput(version.inputs.secretData), "the value reaches Secret Manager as a secret");
        assert.ok(!JSON.stringify(maskSecrets(registered.map((r) => r.inputs))).includes("hunter2"), "nowhere in the clear");
    });

    it("explicit providers from another language's program manage every resource of their package", async () => {
        const { engine, address } = engines.get("dev")!;
        // The program registers its providers first: the engine refuses a reference to one it does not know, "unknown
        // provider '<ref>' for resource '<urn>'" (pulumi/pulumi pkg/resource/deploy/step_generator.go, loadResourceProvider).
        // A provider reference is `<urn>::<id>` (the engine's form; pulumi/pulumi sdk/go/common/providers/reference.go).
        const providers = {
            aws: await registerProvider(address, "aws", "other-account", { region: "ap-northeast-1" }),
            gcp: await registerProvider(address, "gcp", "other-project", { project: "other-project", region: "asia-northeast1" }),
        };
        for (const c of [
            { type: "multicloud:index:LambdaEcrPipeline", name: "explicit-pipeline", args: pipelineArgs("dev", APP), pkg: "aws" },
            { type: "multicloud:index:CloudRunGcsService", name: "explicit-service", args: serviceArgs("dev", APP), pkg: "gcp" },
        ] as const) {
            const [before, callsBefore] = [engine.cloud.resources.length, engine.cloud.calls.length];
            await plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: c.type, name: c.name, inputs: c.args, providers });
            const ofPackage = engine.cloud.resources.slice(before).filter((r) => r.custom && r.type.startsWith(`${c.pkg}:`));
            assert.ok(ofPackage.length >= 8, `${ofPackage.length} ${c.pkg} resources`);
            const elsewhere = ofPackage.filter((r) => r.provider !== providers[c.pkg]).map((r) => `${r.type} ${r.name} (${r.provider ?? "default provider"})`);
            assert.deepStrictEqual(elsewhere, [], `every ${c.pkg} resource of ${c.type} is managed by the provider the program passed`);
            // The checks before registering too (multicloud/constructChecks.ts): the default provider's region and account are not the caller's.
            const askedElsewhere = engine.cloud.calls.slice(callsBefore).filter((call) => call.token.startsWith(`${c.pkg}:`) && call.provider !== providers[c.pkg]).map((call) => `${call.token} (${call.provider || "default provider"})`);
            assert.deepStrictEqual(askedElsewhere, [], `every ${c.pkg} read of ${c.type} goes through the provider the program passed`);
        }
    });

    // `pulumi preview` of a program using the package (every pull request's preview): the engine sends construct with
    // DryRun set (pulumi/pulumi sdk/go/common/resource/plugin/provider_plugin.go, ConstructRequest DryRun), and new
    // resources' outputs come back unknown: the preview here is of a new stack (the mock cloud's preview of a fresh
    // account, every resource one to create), the harder case for a component that reads its resources' outputs.
    for (const stack of STACKS) {
        for (const type of COMPONENT_TYPES) {
            it(`${stack}: ${type} through a preview's construct registers the same resources as an update's`, async () => {
                const { engine, address } = engines.get(stack)!;
                const update = census((await updateConstruct(stack, type)).registered);
                const before = engine.cloud.resources.length;
                engine.cloud.freshAccount = true;
                engine.cloud.startRun(true);
                const preview = await plugin
                    .construct({ project: PROJECT, stack, monitor: address, type, name: `preview-${type.split(":")[2].toLowerCase()}`, inputs: COMPONENTS[type].args(stack), dryRun: true })
                    .then((constructed) => ({ census: census(engine.cloud.resources.slice(before)), state: constructed.state }))
                    .finally(() => {
                        engine.cloud.startRun(false);
                        engine.cloud.freshAccount = false;
                    });
                assert.deepStrictEqual(preview.census, update);
                // The engine's unknown sentinel (sdk/nodejs/runtime/rpc.ts unknownValue): outputs of resources not yet created.
                assert.strictEqual(preview.state.bucketName, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "a new stack's preview knows no bucket name yet");
                const { properties } = SCHEMA.resources[type];
                assert.deepStrictEqual(Object.keys(preview.state).filter((name) => !(name in properties)), [], "outputs the schema does not name");
            });
        }
    }

    it("refuses bad args from another language, naming each", async () => {
        const { address } = engines.get("dev")!;
        const inputs = { ...pipelineArgs("dev", APP), image: { build: { context: "app" }, prebuilt: `r@sha256:${"a".repeat(64)}` }, architecture: "amd64" };
        await assert.rejects(
            plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "bad", inputs }),
            /image sets both build and prebuilt: set exactly one[\s\S]*architecture must be one of "x86_64", "arm64" \(got "amd64"\)/,
        );
    });

    // The generated SDKs check required inputs at the top level only, and a Python dict or a YAML map carries any shape.
    // Before, these reached the component: "Cannot read properties of undefined (reading 'length')" for the missing
    // corsOrigins, "region is not a function" for the number, after resources were registered; a missing environment
    // named the ECR repository multicloud-service-undefined.
    it("refuses args the schema rules out, nested or missing, naming each, before registering anything", async () => {
        const { engine, address } = engines.get("dev")!;
        const before = engine.cloud.resources.length;
        const { environment: _, ...withoutEnvironment } = pipelineArgs("dev", APP);
        const inputs = { ...withoutEnvironment, region: 42, functionUrl: { authType: "NONE" }, alarms: { errorRatePercent: 5, p95DurationMs: "2s" }, pipeline: {}, tags: { team: 7 } };
        const refused = await plugin
            .construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "shapeless", inputs })
            .then(() => assert.fail("the construct was accepted"), (err: Error) => err.message.split("\n")[0]);
        for (const problem of [
            "region must be a string (got 42)",
            "tags.team must be a string (got 7)",
            "functionUrl.corsOrigins is required",
            "alarms.p95DurationMs must be a number (got \"2s\")",
            "pipeline.maxConcurrency is required",
            "environment is required",
        ]) {
            assert.ok(refused.includes(problem), `${problem}\nin: ${refused}`);
        }
        assert.match(refused, /INVALID_ARGUMENT/);
        assert.deepStrictEqual(engine.cloud.resources.slice(before).filter((r) => r.name.startsWith("shapeless")), [], "nothing registered");
    });

    // The engine names the component's children with the consuming stack's pulumi:autonaming (the deployment's one
    // autonamer, pkg/cmd/pulumi/operations/up.go ParseAutonamingConfig) and sends that stack's config, the key
    // included, with the construct (pkg/resource/deploy/source_eval.go constructInfo; the SDK's provider server hands it
    // to the component's runtime: sdk/nodejs/provider/server.ts configureRuntime, setAllConfig). Before, the package
    // constructed under any naming, though its name limits are counted for "-" and 7 random characters.
    it("refuses the caller's pulumi:autonaming that changes AWS's or GCP's names, naming the key, before registering anything", async () => {
        const { engine, address } = engines.get("dev")!;
        for (const c of [
            { type: "multicloud:index:LambdaEcrPipeline", name: "verbatim", inputs: pipelineArgs("dev", APP), autonaming: { mode: "verbatim" }, sets: `mode "verbatim"` },
            {
                type: "multicloud:index:CloudRunGcsService",
                name: "patterned",
                inputs: serviceArgs("dev", APP),
                autonaming: { providers: { gcp: { resources: { "gcp:cloudrunv2/service:Service": { pattern: "${stack}-${name}" } } } } },
                sets: `providers.gcp.resources.gcp:cloudrunv2/service:Service.pattern "\${stack}-\${name}"`,
            },
        ]) {
            const before = engine.cloud.resources.length;
            const config = { "multicloud-consumer:region": "eu-west-1", "pulumi:autonaming": JSON.stringify(c.autonaming) };
            const message = await plugin
                .construct({ project: PROJECT, stack: "dev", monitor: address, type: c.type, name: c.name, inputs: c.inputs, config })
                .then(() => assert.fail(`${c.name}: the construct was accepted`), (err: Error) => err.message.split("\n")[0]);
            const component = c.type.split(":")[2];
            assert.ok(message.includes(`${component} "${c.name}" cannot be constructed under the stack's configuration: pulumi:autonaming: sets ${c.sets}, but this program relies on Pulumi's default autonaming`), message);
            assert.match(message, /name limits/);
            assert.doesNotMatch(message, /signing key/, "deployments/' key policy is not the package caller's");
            assert.deepStrictEqual(engine.cloud.resources.slice(before).filter((r) => r.name.startsWith(c.name)).map((r) => r.name), [], `${c.name}: nothing registered`);
        }
        // The default said aloud, and another provider's naming, are not refused: only the args' own problem is named.
        const config = { "pulumi:autonaming": JSON.stringify({ mode: "default", providers: { "azure-native": { mode: "verbatim" } } }) };
        await assert.rejects(
            plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "default-naming", inputs: { ...pipelineArgs("dev", APP), architecture: "amd64" }, config }),
            (err: Error) => /architecture must be one of/.test(err.message) && !err.message.includes("pulumi:autonaming"),
        );
    });

    // Before: a construct ran none of the program's checks against the clouds (index.ts runs them from the stack's
    // settings), so a package caller met each refusal and each cloud that did not answer only inside the component,
    // once its first resources had been registered.
    describe("asks the clouds what the program asks before registering anything", () => {
        /** A construct that must be refused: the refusal's first line, and what the construct registered meanwhile. */
        const constructRefused = async (call: { name: string; inputs: Record<string, unknown>; type?: string; stack?: "dev" | "prod" }) => {
            const stack = call.stack ?? "dev";
            const { engine, address } = engines.get(stack)!;
            const before = engine.cloud.resources.length;
            const message = await plugin
                .construct({ project: PROJECT, stack, monitor: address, type: call.type ?? "multicloud:index:LambdaEcrPipeline", name: call.name, inputs: call.inputs })
                .then(() => assert.fail("the construct was accepted"), (err: Error) => err.message.split("\n")[0]);
            return { message, registered: constructedBy(call.name, engine.cloud.resources.slice(before)).map((r) => `${r.type} ${r.name}`) };
        };
        /**
         * What the construct named `name` registered: resources named after it, and everything under them. A construct
         * refused late (a regression) keeps registering on the shared engine after its test has ended; without this, its
         * resources were counted against the next test.
         */
        const constructedBy = (name: string, resources: RecordedResource[]) => {
            const tree = new Set<string>();
            return resources.filter((r) => {
                const ours = r.name === name || r.name.startsWith(`${name}-`) || (r.parentUrn !== undefined && tree.has(r.parentUrn));
                if (ours) tree.add(r.urn);
                return ours;
            });
        };
        const tokenAsks = (engine: FakeEngine) => engine.cloud.calls.filter((c) => c.token === "gcp:organizations/getClientConfig:getClientConfig").length;
        /** Image verification by a KMS key under `alias` (each test its own: the plugin keeps a key's answer for its run). */
        const verification = (alias: string) => ({ signingKey: `awskms:///alias/${alias}`, workflow: "octo/multicloud-service/.github/workflows/image.yml@refs/heads/main", keyRegion: "ap-northeast-1" });
        /** Runs `body` while the dev cloud's KMS resets every connection unanswered, and lets it answer again after. */
        const whileKmsDropsConnections = async (body: (kms: FakeKms) => Promise<void>) => {
            const kms = engines.get("dev")!.engine.cloud.awsApis.kms;
            kms.dropConnections = true;
            try {
                await body(kms);
            } finally {
                kms.dropConnections = false;
            }
        };
        /**
         * Runs `body` with the dev project's Google API `api` on (an `up` after the first), then puts it back: the dev
         * cloud serves the rest of the file (an earlier construct may have turned the API on).
         */
        const withApiOn = async (api: string, body: () => Promise<void>) => {
            const { cloud } = engines.get("dev")!.engine;
            const key = `${cloud.gcpProject}/${api}`;
            const wasOn = cloud.artifactRegistry.enabledApis.has(key);
            apiAlreadyOn(api)(cloud);
            try {
                await body();
            } finally {
                if (!wasOn) cloud.artifactRegistry.enabledApis.delete(key);
            }
        };
        /** withApiOn for the Cloud Run Admin API, with `deleted` revisions gone until `body` is done. */
        const withRunApiOn = (deleted: string[], body: () => Promise<void>) =>
            withApiOn("run.googleapis.com", async () => {
                const { cloud } = engines.get("dev")!.engine;
                deleted.forEach((revision) => cloud.cloudRun.deletedRevisions.add(revision));
                try {
                    await body();
                } finally {
                    deleted.forEach((revision) => cloud.cloudRun.deletedRevisions.delete(revision));
                }
            });

        // Before: a caller whose AWS provider takes another identity (aws:profile, aws:assumeRoles) than the plugin's
        // environment had its component read another account's ECR, Lambda and KMS (tests/program/readingAccount.spec.ts).
        it("the plugin's AWS credentials of another account than the caller's provider deploys to: refused naming both, nothing registered", async () => {
            const { cloud } = engines.get("dev")!.engine;
            const caller = cloud.awsApis.caller;
            cloud.awsApis.caller = SANDBOX_CALLER;
            try {
                const { message, registered } = await constructRefused({ name: "other-reader", inputs: { ...pipelineArgs("dev", APP) } });
                assert.match(message, /are arn:aws:sts::210987654321:assumed-role\/sandbox-admin\/laptop, of account 210987654321, but the AWS provider deploys to account 123456789012: /);
                assert.deepStrictEqual(registered, []);
            } finally {
                cloud.awsApis.caller = caller;
            }
        });

        // Before: the component's resources were made in the provider's region while it read ECR and Lambda, and wrote the
        // ARNs of its policies, health check and dashboard, in its `region` argument; the repository it made there was
        // never found, so an `up` waited out imageWaitMinutes. The provider's region: getRegion, answered offline with the
        // engine's aws:region (mockCloud.ts), as the provider's data source answers its configured region.
        it("a region other than the caller's AWS provider's: refused naming region and both regions, nothing registered", async () => {
            const { message, registered } = await constructRefused({ name: "other-region", inputs: { ...pipelineArgs("dev", APP), region: "eu-west-1" } });
            assert.match(message, /LambdaEcrPipeline "other-region" has bad args: region eu-west-1 is not the region the AWS provider deploys to \(ap-northeast-1\): pass the provider's region, or a provider of eu-west-1/);
            assert.deepStrictEqual(registered, []);
        });

        it("a prebuilt image Lambda does not run (an image index): refused naming image.prebuilt, nothing registered", async () => {
            const index = imageIndex([{ os: "linux", architecture: "arm64" }, { os: "linux", architecture: "amd64" }]);
            engines.get("dev")!.engine.cloud.registry.pushArtifact("construct-index", "ci-7", index);
            const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/construct-index@${artifactDigest(index)}`;
            const { message, registered } = await constructRefused({ name: "image-index", inputs: { ...pipelineArgs("dev"), image: { prebuilt: image } } });
            assert.match(message, /LambdaEcrPipeline "image-index" has bad args: image\.prebuilt prebuilt image \S+ is an image index \(application\/vnd\.oci\.image\.index\.v1\+json\), which Lambda does not run/);
            assert.match(message, /INVALID_ARGUMENT/);
            assert.deepStrictEqual(registered, []);
        });

        // Lambda runs an image of another account in the same region where that repository's policy lets it (AWS Compute
        // Blog, "Introducing cross-account Amazon ECR access for AWS Lambda", 2021); only the program's stack settings
        // keep to their own account.
        it("a prebuilt image in another AWS account is the caller's to allow, not refused", async () => {
            const { engine, address } = engines.get("dev")!;
            const index = imageArtifact({ os: "linux", architecture: "arm64" });
            engine.cloud.registry.pushArtifact("construct-shared", "ci-7", index);
            const image = `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/construct-shared@${artifactDigest(index)}`;
            const before = engine.cloud.resources.length;
            await plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "other-account", inputs: { ...pipelineArgs("dev"), image: { prebuilt: image } } });
            const functions = engine.cloud.resources.slice(before).filter((r) => r.type === "aws:lambda/function:Function");
            assert.deepStrictEqual(functions.map((f) => f.inputs.imageUri), [image, image]);
        });

        it("a canary's stable revision Cloud Run does not have: refused naming canary.stableRevision, nothing registered", () =>
            withRunApiOn(["multicloud-service-00042-old"], async () => {
                const inputs = { ...serviceArgs("dev", APP), canary: { stableRevision: "multicloud-service-00042-old", percent: 10 } };
                const { message, registered } = await constructRefused({ name: "gone-revision", inputs, type: "multicloud:index:CloudRunGcsService" });
                assert.match(message, /CloudRunGcsService "gone-revision" has bad args: canary\.stableRevision names revision multicloud-service-00042-old, which Cloud Run does not have in \S+ \(\S+\): it answers NOT_FOUND/);
                assert.deepStrictEqual(registered, []);
            }));

        // The program checks gcp:region against Cloud Run's locations list before it registers anything
        // (tests/program/gcpRegion.spec.ts); a component's region arg is checked the same way, at its path.
        it("a region Cloud Run does not offer the project (europe-west13): refused naming region, nothing registered", () =>
            withRunApiOn([], async () => {
                const inputs = { ...serviceArgs("dev", APP), region: "europe-west13" };
                const { message, registered } = await constructRefused({ name: "no-run-region", inputs, type: "multicloud:index:CloudRunGcsService" });
                assert.match(message, /CloudRunGcsService "no-run-region" has bad args: region is europe-west13, which Cloud Run does not offer project \S+ /);
                assert.deepStrictEqual(registered, []);
            }));

        // Before: the clouds were asked about args the component would refuse anyway, and a cloud's trouble (here KMS
        // not answering) hid the arg's own problem.
        it("asks only about args the component takes: a region it refuses is named, KMS not asked", () =>
            whileKmsDropsConnections(async (kms) => {
                const asked = kms.requests.length;
                const { message, registered } = await constructRefused({ name: "gov-region", inputs: { ...pipelineArgs("dev", APP), region: "us-gov-west-1", imageVerification: verification("construct-region") } });
                assert.match(message, /LambdaEcrPipeline "gov-region" has bad args: region /);
                assert.doesNotMatch(message, /KMS/);
                assert.strictEqual(kms.requests.length, asked, "KMS asked");
                assert.deepStrictEqual(registered, []);
            }));

        // A reservation or a maximum a preview does not know yet (another resource's output) is the component's to check
        // once known: the engine hands a preview's unknown over as an output value without a value, which the SDK's
        // provider server makes an Output that is not known, not the number the account's limits are read against.
        it("a preview's unknown reservedConcurrency or maxInstances is left to the component: the limits not read for it, not refused", async () => {
            const { engine, address } = engines.get("dev")!;
            const unknown = unknownOutputValueInput(); // as Construct receives an unknown (registeredInputs.ts names the sources)
            const lambdaAsked = engine.cloud.awsApis.requests.filter((r) => r.action === "GetAccountSettings").length;
            const quotasAsked = engine.cloud.cloudQuotas.requests.length;
            for (const [type, name, inputs] of [
                ["multicloud:index:LambdaEcrPipeline", "unknown-reservation", { ...pipelineArgs("dev", APP), reservedConcurrency: unknown }],
                ["multicloud:index:CloudRunGcsService", "unknown-maximum", { ...serviceArgs("dev", APP), maxInstances: unknown }],
            ] as const) {
                const constructed = await plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type, name, inputs, dryRun: true });
                assert.ok(constructed.urn.endsWith(`::${name}`), constructed.urn);
            }
            assert.strictEqual(engine.cloud.awsApis.requests.filter((r) => r.action === "GetAccountSettings").length, lambdaAsked, "Lambda's GetAccountSettings asked");
            assert.strictEqual(engine.cloud.cloudQuotas.requests.length, quotasAsked, "Cloud Quotas asked");
        });

        // Before: with no provider passed (the stack's default gcp provider), each check asked getClientConfig for itself
        // and the component asked again; an explicit provider was asked once, the component taking the checks' answer.
        it("asks GCP for the deployer's token once, whether the caller passes a provider or not", () =>
            withRunApiOn([], async () => {
                const { engine, address } = engines.get("dev")!;
                // Registered first, as the program passing it would: the engine refuses a reference it does not know.
                const gcp = await registerProvider(address, "gcp", "token-project", { project: "multicloud-service-dev", region: "asia-northeast1" });
                for (const [name, providers] of [["token-default", undefined], ["token-explicit", { gcp }]] as const) {
                    const before = tokenAsks(engine);
                    // The quota check and the stable revision's both want the token (the revision is one Cloud Run has).
                    const inputs = { ...serviceArgs("dev", APP), canary: { stableRevision: "multicloud-service-00041-kept", percent: 10 } };
                    await plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:CloudRunGcsService", name, inputs, providers });
                    assert.strictEqual(tokenAsks(engine) - before, 1, `${name}: getClientConfig asks`);
                }
            }));

        // Before: the component refused a public service in production only once the clouds had been asked about it.
        it("a public service in production without the opt-in: refused naming publicInvoker, GCP not asked", async () => {
            const { engine } = engines.get("prod")!;
            const asked = tokenAsks(engine);
            const inputs = { ...serviceArgs("prod", APP), publicInvoker: true };
            const { message, registered } = await constructRefused({ name: "public-prod", inputs, type: "multicloud:index:CloudRunGcsService", stack: "prod" });
            assert.match(message, /CloudRunGcsService "public-prod" has bad args: publicInvoker .*a public service \(invoker IAM check off\) is refused in a production stack/);
            assert.match(message, /INVALID_ARGUMENT/);
            assert.strictEqual(tokenAsks(engine), asked, "getClientConfig asked");
            assert.deepStrictEqual(registered, []);
        });

        // The account's limit is GetAccountSettings' AccountLimit.ConcurrentExecutions (Lambda API reference; a new
        // account's is often 10), and Cloud Run's max instances are held to the region's CpuAllocPerProjectRegion
        // (the fake Cloud Quotas API answers as the real one: scripts/offline/fakeCloudQuotasApi.ts). The construct
        // checks both before the components register anything.
        it("a reservation the account cannot grant, or max instances the region's quota cannot hold: refused naming the arg, nothing registered", () =>
            withApiOn("cloudquotas.googleapis.com", async () => {
                const { cloud } = engines.get("dev")!.engine;
                cloud.awsApis.concurrencyLimit = 10;
                cloud.cloudQuotas.regions.set("asia-northeast1", { cpuMilli: 16_000, memoryBytes: 40 * GiB });
                try {
                    const reserved = await constructRefused({ name: "over-reserved", inputs: { ...pipelineArgs("dev", APP), reservedConcurrency: 100 } });
                    assert.match(reserved.message, /LambdaEcrPipeline "over-reserved" has bad args: reservedConcurrency reserved concurrency 100 would leave less than 10 of this account's 10 concurrent executions unreserved/);
                    assert.deepStrictEqual(reserved.registered, []);
                    const scaled = await constructRefused({ name: "over-scaled", inputs: { ...serviceArgs("dev", APP), maxInstances: 20 }, type: "multicloud:index:CloudRunGcsService" });
                    assert.match(scaled.message, /CloudRunGcsService "over-scaled" has bad args: maxInstances max instances 20 of 1 CPU and \S+ each would need 20 vCPU of the 16 vCPU CpuAllocPerProjectRegion allows in asia-northeast1/);
                    assert.deepStrictEqual(scaled.registered, []);
                } finally {
                    cloud.awsApis.concurrencyLimit = 1000;
                    cloud.cloudQuotas.regions.delete("asia-northeast1");
                }
            }));

        // Every problem the clouds' answers show is named at once, each at its own path: a signing key KMS does not have
        // (GetPublicKey's NotFoundException, the fake KMS in KMS's words: scripts/offline/fakeKms.ts) at
        // imageVerification.signingKey, where the caller set it, and a reservation over the account's limit beside it.
        it("a signing key KMS does not have and a reservation the account cannot grant: both named, each at its path", async () => {
            const { cloud } = engines.get("dev")!.engine;
            cloud.awsApis.concurrencyLimit = 10;
            try {
                const { message, registered } = await constructRefused({ name: "two-refusals", inputs: { ...pipelineArgs("dev", APP), reservedConcurrency: 100, imageVerification: verification("construct-no-such-key") } });
                assert.match(message, /has bad args: .*\bimageVerification\.signingKey [^;]*alias\/construct-no-such-key/);
                assert.match(message, /has bad args: .*\breservedConcurrency reserved concurrency 100 would leave less than 10/);
                assert.deepStrictEqual(registered, []);
            } finally {
                cloud.awsApis.concurrencyLimit = 1000;
            }
        });

        it("a KMS that drops the connection (image verification on): the construct stops saying so, nothing registered", () =>
            whileKmsDropsConnections(async () => {
                const { message, registered } = await constructRefused({ name: "kms-silent", inputs: { ...pipelineArgs("dev", APP), imageVerification: verification("construct-signing") } });
                assert.match(message, /could not read the image signing key alias\/construct-signing from KMS \(ap-northeast-1\): \w+: [^;]*; run again once KMS answers/);
                assert.deepStrictEqual(registered, []);
            }));
    });

    // Only the inputs the schema does not mark plain: a plain one's unknown is refused (the last test of this suite).
    it("leaves a preview's unknowns, nested in a required input or standing for one, to the component", async () => {
        const { engine, address } = engines.get("dev")!;
        const unknown = unknownOutputValueInput(); // as Construct receives an unknown (registeredInputs.ts names the sources)
        const args = pipelineArgs("dev", APP);
        const inputs = { ...args, memoryMb: unknown, tags: { ...args.tags, team: unknown } };
        const constructed = await plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "unknowns", inputs, dryRun: true });
        assert.ok(constructed.urn.endsWith("::unknowns"), constructed.urn);
        assert.ok(engine.cloud.resources.some((r) => r.name.startsWith("unknowns")), "the component registered its resources");
    });

    // A secret anywhere in an input makes the whole input a secret output on the way in (the SDK's deserializeProperty).
    // Before, the component said "alarms must be a plain value, not an output of another resource".
    it("names a secret inside a plain input as a secret, not as another resource's output", async () => {
        const { address } = engines.get("dev")!;
        const args = pipelineArgs("dev", APP);
        const inputs = { ...args, alarms: { ...args.alarms, email: secretInput("oncall@example.com") } };
        await assert.rejects(
            plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "secret-alarms", inputs }),
            /alarms holds a secret, which the component reads as a plain value and its resources would show in plaintext: pass it without secrets/,
        );
    });

    // The SDKs send an output inside a remote component's input as an output value, which the engine passes on to a
    // provider that accepts outputs (this one does), and the SDK's deserializeInputs hands the input over as a plain
    // object with the Output inside. Before, neither the plugin's check nor the component's (top level only) saw it:
    // a secret went in as a plain value's stand-in, and another resource's output was read as a value it is not.
    it("names a secret sent as an output value inside a plain input, at its path", async () => {
        const { engine, address } = engines.get("dev")!;
        const before = engine.cloud.resources.length;
        const args = pipelineArgs("dev", APP);
        const inputs = { ...args, alarms: { ...args.alarms, email: outputValueInput("oncall@example.com", { secret: true }) } };
        await assert.rejects(
            plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "secret-output-alarms", inputs }),
            /alarms\.email holds a secret, which the component reads as a plain value and its resources would show in plaintext: pass it without secrets/,
        );
        assert.deepStrictEqual(engine.cloud.resources.slice(before).map((r) => r.name), [], "nothing registered");
    });

    it("refuses another resource's output inside a plain input, at its path", async () => {
        const { engine, address } = engines.get("dev")!;
        const before = engine.cloud.resources.length;
        const args = pipelineArgs("dev", APP);
        const topic = "urn:pulumi:dev::multicloud-service::aws:sns/topic:Topic::oncall";
        const inputs = { ...args, functionUrl: { ...args.functionUrl, corsOrigins: [outputValueInput("https://app.example.com", { dependencies: [topic] })] } };
        await assert.rejects(
            plugin.construct({ project: PROJECT, stack: "dev", monitor: address, type: "multicloud:index:LambdaEcrPipeline", name: "output-cors", inputs }),
            /functionUrl\.corsOrigins\[0\] must be a plain value, not an output of another resource/,
        );
        assert.deepStrictEqual(engine.cloud.resources.slice(before).map((r) => r.name), [], "nothing registered");
    });

    // A plain input "does not accept eventual values" (pulumi/pulumi pkg/codegen/schema/pulumi.json, property "plain"),
    // but neither the engine nor Pulumi YAML reads the schema's plain (pulumi-yaml pkg/pulumiyaml/run.go registers a
    // component's properties as evaluated, outputs included), so a caller's output reaches Construct: in a preview as an
    // output value without a value, in the update as one with it. Both are the same Output to the component, so a
    // preview refuses it as the update would, naming what it is; passing the preview would only move the refusal to
    // the update. The SDK's unknown sentinel never reaches this provider, so the test sends the engine's form.
    it("refuses a preview's unknown image.prebuilt as an output in a plain input, as the update refuses it, not as an undigested image", async () => {
        const { engine, address } = engines.get("prod")!;
        const repository = "urn:pulumi:prod::multicloud-service::aws:ecr/repository:Repository::images";
        const components = [
            ["multicloud:index:LambdaEcrPipeline", "unknown-image-pipeline", pipelineArgs("prod", APP)],
            ["multicloud:index:CloudRunGcsService", "unknown-image-service", serviceArgs("prod", APP)],
        ] as const;
        for (const [type, name, args] of components) {
            for (const [phase, prebuilt, dryRun] of [["preview", unknownOutputValueInput([repository]), true], ["update", outputValueInput(`${"1".repeat(12)}.dkr.ecr.ap-northeast-1.amazonaws.com/app:latest`, { dependencies: [repository] }), false]] as const) {
                const before = engine.cloud.resources.length;
                await assert.rejects(
                    plugin.construct({ project: PROJECT, stack: "prod", monitor: address, type, name: `${name}-${phase}`, inputs: { ...args, image: { prebuilt } }, dryRun }),
                    (err: Error) => {
                        const refusal = err.message.split("\n")[0];
                        assert.match(refusal, /has bad args: image\.prebuilt must be a plain value, not an output of another resource$/, `${type} ${phase}: ${refusal}`);
                        return true;
                    },
                );
                assert.deepStrictEqual(engine.cloud.resources.slice(before).map((r) => r.name), [], `${type} ${phase}: nothing registered`);
            }
        }
    });

    // Last, after every construct above: the plugin's SDK records a stack per promise only for the leak report
    // PULUMI_DEBUG_PROMISE_LEAKS asks for, and capturing and source-mapping them was about half the plugin's CPU; the
    // components serialize no function, and loading that machinery was 38 of the SDK's modules per start.
    it("its SDK records the placeholder for each promise and has not loaded function serialization, as program.js's (loader/promiseStacks.js, deferFunctionSerialization.js)", async () => {
        assertShortcutsTaken(await loaderReportOf(plugin, pluginEnvironment), require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [PACKAGE_DIR] }));
    });
});

describe("the package's plugin, started with PULUMI_DEBUG_PROMISE_LEAKS set", function () {
    this.timeout(60_000);

    it("records each promise's real stack for the leak report, shortcuts left out", async () => {
        const engine = new FakeEngine(mockCloudFor(readStackFile("dev").config), PROJECT, "dev");
        const plugin = new PluginProcess();
        try {
            const address = await engine.start();
            const environment = withLoaderProbe({ ...engine.environment(), PULUMI_DEBUG_PROMISE_LEAKS: "true" }, PACKAGE_DIR);
            await plugin.start(address, environment);
            const report = await loaderReportOf(plugin, environment);
            assert.deepStrictEqual({ skipsMapping: report.skipsMapping, skipsCapture: report.skipsCapture }, { skipsMapping: false, skipsCapture: false });
            assert.match(report.promiseStack, /^Error\n {4}at \S*debuggablePromise \(/);
        } finally {
            await plugin.stop();
            await engine.stop();
        }
    });
});

// The analyzer writes a TypeScript number as "number" (schema.json has no "integer" today), but the package schema's
// primitive types include "integer" (@pulumi/pulumi provider/experimental/schema.d.ts PropertyType, after
// https://www.pulumi.com/docs/iac/using-pulumi/pulumi-packages/schema/#type), and the check takes any schema the
// plugin serves: a whole-number property must refuse 1.5 as the schema rules it out, naming it.
describe("the served args' check, for a property the schema types integer", () => {
    const type = "multicloud:index:CloudRunGcsService";
    const resource = SCHEMA.resources[type];
    const schema = { ...SCHEMA, resources: { ...SCHEMA.resources, [type]: { ...resource, inputProperties: { ...resource.inputProperties, maxInstances: { type: "integer" } } } } };

    it("refuses 1.5 naming the property, and takes 3", async () => {
        assert.deepStrictEqual(await servedArgProblems(schema, type, { ...serviceArgs("dev", APP), maxInstances: 1.5 }), [{ propertyPath: "maxInstances", reason: "must be a whole number (got 1.5)" }]);
        assert.deepStrictEqual(await servedArgProblems(schema, type, { ...serviceArgs("dev", APP), maxInstances: 3 }), []);
    });
});

// What a Python dict or a YAML map can send that the schema rules out, checked as the plugin checks it (the wire's
// values: a Struct's string, number, null, list and struct), each named with its path.
describe("the served args' check, for values of the wrong shape", () => {
    const type = "multicloud:index:LambdaEcrPipeline";
    const args = () => pipelineArgs("dev", APP);
    const problems = (inputs: Record<string, unknown>) => servedArgProblems(SCHEMA, type, { ...args(), ...inputs });

    it("a string where an object type, a list or a map goes, a wrong item in a list, a required input sent as null, a boolean sent as text, a number that is not finite", async () => {
        assert.deepStrictEqual(await problems({ image: "registry.example.com/service:1.2" }), [{ propertyPath: "image", reason: 'must be an object (got "registry.example.com/service:1.2")' }]);
        assert.deepStrictEqual(await problems({ functionUrl: { ...args().functionUrl, corsOrigins: ["https://app.example.com", 42] } }), [{ propertyPath: "functionUrl.corsOrigins[1]", reason: "must be a string (got 42)" }]);
        assert.deepStrictEqual(await problems({ functionUrl: { ...args().functionUrl, corsOrigins: "https://app.example.com" } }), [{ propertyPath: "functionUrl.corsOrigins", reason: 'must be a list (got "https://app.example.com")' }]);
        assert.deepStrictEqual(await problems({ tags: "team=platform" }), [{ propertyPath: "tags", reason: 'must be a map (got "team=platform")' }]);
        assert.deepStrictEqual(await problems({ environment: null }), [{ propertyPath: "environment", reason: "is required" }]);
        assert.deepStrictEqual(await problems({ isProduction: "false" }), [{ propertyPath: "isProduction", reason: 'must be a boolean (got "false")' }]);
        assert.deepStrictEqual(await problems({ memoryMb: Infinity }), [{ propertyPath: "memoryMb", reason: "must be a number (got Infinity)" }]);
    });
});
