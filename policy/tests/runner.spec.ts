import * as assert from "assert";
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readStackFile } from "../../config/stackFile";
import { nodeOptionsRequiring } from "../../scripts/offline/nodeOptions";
import { allPolicies } from "../policies";
import { packEntry } from "../packEntry";
import { PublishedPack, publishPack } from "./publishedPack";
import { startedBeforeStoppedAfter } from "../../tests/harness/suiteProcesses";
import { scratchDir } from "../../tests/harness/tempDirs";
import { AnalyzerInfo, Diagnostic, FakeAnalyzerHost, PackExited, PolicyConfig, PolicyConfigInvalid, RunningPack, StackOptions, loadPolicyPackConfig, reconcilePolicyPackConfig } from "./analyzerHost";
import { DECLARED_PACK, UNKNOWN_ON_THE_WIRE as UNKNOWN } from "./conformance";

const PACK_DIR = path.resolve(__dirname, "..");
const ROOT = path.resolve(PACK_DIR, "..");
/** policy/package.json, read when a test needs it (a missing file then fails the tests, not the loading of this file). */
const packPackage = () => JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));

const stackOptions = (stack: string): StackOptions => ({ organization: "organization", project: "multicloud-service", stack, dryRun: true, config: readStackFile(stack).config });

const TAGS = { project: "multicloud-service", environment: "prod", "managed-by": "pulumi" };
const ECR = "aws:ecr/repository:Repository";
const mutableRepository = { type: ECR, name: "mutable", props: { imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true }, tags: TAGS } };
const hardenedRepository = { type: ECR, name: "hardened", props: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, tags: TAGS } };
const openFunctionUrl = { type: "aws:lambda/functionUrl:FunctionUrl", name: "api", props: { functionName: "api", authorizationType: "NONE" } };
/** A Cloud Run service open to anyone, as gcp.publicInvoker makes it (allowed outside prod only, per the no-public-iam-members row of docs/policy.md). */
const publicInvoker = { type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", name: "public-invoker", props: { name: "service", role: "roles/run.invoker", member: "allUsers" } };

/** What recordLoads.js wrote after `since` (when the pack had served, so its main was loaded): the pack's own files. */
async function packFilesLoaded(record: string, since: number): Promise<string[]> {
    const written = () => fs.existsSync(record) && fs.statSync(record).mtimeMs > since;
    for (let waited = 0; !written() && waited < 2_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    return JSON.parse(fs.readFileSync(record, "utf8"));
}

/**
 * The pack as `pulumi policy publish` packs it and the CLI installs it (`npm pack`, the tarball unpacked), packed once
 * for this file: both describes only read it (the runner started on it reads a published pack and writes nothing
 * there; the control and the edited packs are copies made beside it), so a second `npm pack` of the same sources
 * into another folder would answer the same. The prepack check packs its own changed copy.
 */
let sharedPublication: { scratch: string; publication: PublishedPack } | undefined;
function publishedOnce(): { scratch: string; publication: PublishedPack } {
    if (!sharedPublication) {
        // A scratchDir, removed with the run's temp folder: the node_modules link in it, not its target.
        const scratch = scratchDir("policy-published");
        sharedPublication = { scratch, publication: publishPack(PACK_DIR, path.join(ROOT, "node_modules"), scratch) };
    }
    return sharedPublication;
}

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName} ${d.enforcementLevel}: ${d.message}`);

/** The CLI's sequence after spawning: Handshake, ConfigureStack, GetAnalyzerInfo, Configure with the reconciled file. */
async function configureAsTheCli(
    host: FakeAnalyzerHost,
    stack: string,
    configFile?: string,
    packDir = PACK_DIR,
    extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ pack: RunningPack; info: AnalyzerInfo; sent: Record<string, PolicyConfig> }> {
    const options = stackOptions(stack);
    const pack = await host.startPack(packDir, options, undefined, extraEnv);
    assert.strictEqual(await pack.handshake(host.address, packDir), "unimplemented", "the node process leaves Handshake to the language host's policy proxy");
    await pack.configureStack(options);
    const info = await pack.getAnalyzerInfo();
    const sent = reconcilePolicyPackConfig(info, configFile ? loadPolicyPackConfig(configFile) : {});
    await pack.configure(sent);
    return { pack, info, sent };
}

/**
 * The pack as `pulumi preview --policy-pack policy [--policy-pack-config policy/config/<stack>.json]` runs it: node on
 * @pulumi/pulumi/cmd/run-policy-pack, `<engine> <policy/ absolute>`, working directory policy/, the CLI's environment and
 * the stack's PULUMI_NODEJS_* and PULUMI_CONFIG (analyzerPluginCommand: the language host's RunPlugin); then the CLI's
 * gRPC calls to the Analyzer it serves. Nothing is called in-process. The published pack (its tarball, installed as
 * the CLI installs it) is started the same way, and so is that pack without package.json, as the control: that is
 * the pack before it was made self-contained.
 */
describe("policy pack under the CLI's runner (cmd/run-policy-pack, as the Node.js language host starts it)", function () {
    this.timeout(60_000);
    const host = new FakeAnalyzerHost();
    let prod: Awaited<ReturnType<typeof configureAsTheCli>>;
    let dev: Awaited<ReturnType<typeof configureAsTheCli>>;
    let copy = "";
    let withoutPackageJson: unknown;
    let published = "";
    let publication: PublishedPack;
    let publishedAlone: Awaited<ReturnType<typeof configureAsTheCli>>;
    let publishedServedAt = 0;

    startedBeforeStoppedAfter(async function () {
        this.timeout(150_000); // startPack's hang guard, and more
        await host.start();
        // The pack as `pulumi policy publish` packs it and the CLI installs it: the tarball alone, no ../loader.
        ({ scratch: published, publication } = publishedOnce());
        // The control: that installed pack minus package.json.
        copy = path.join(published, "without-package-json");
        fs.cpSync(publication.dir, copy, { recursive: true, verbatimSymlinks: true });
        fs.rmSync(path.join(copy, "package.json"));
        // Started in parallel, as separate previews would start them, to keep the suite to a few seconds.
        [prod, dev, publishedAlone, withoutPackageJson] = await Promise.all([
            configureAsTheCli(host, "prod", path.join(PACK_DIR, "config/prod.json")),
            configureAsTheCli(host, "dev", path.join(PACK_DIR, "config/dev.json")),
            configureAsTheCli(host, "prod", path.join(PACK_DIR, "config/prod.json"), publication.dir, {
                NODE_OPTIONS: nodeOptionsRequiring(undefined, path.join(__dirname, "recordLoads.js")),
                RECORD_LOADS_TO: path.join(published, "loaded.json"),
            }).then((configured) => {
                publishedServedAt = Date.now();
                return configured;
            }),
            host.startPack(copy, stackOptions("prod")).then(
                async (pack) => {
                    await pack.close();
                    return "it served";
                },
                (err: unknown) => err,
            ),
        ]);
    }, () => host.stop());

    it("loads the pack from policy/ (package.json main and version) and lists every rule, advisory by default", () => {
        // A JavaScript main (which loads index.ts's bundle): for a .ts main the runner's ts-node, always in type-check
        // mode, parsed and bound every declaration file the pack reaches on each start.
        assert.strictEqual(packPackage().main, "index.js");
        assert.ok(fs.existsSync(path.join(PACK_DIR, "bin", "index.js")), "the runner loaded index.js, which bundled index.ts into policy/bin/");
    });

    it("published (the tarball alone, installed where the CLI installs it), the pack loads the bundle packed beside its sources and serves the same rules", async () => {
        assert.match(packEntry(publication.dir).why, /^published: the bundle packed with the sources it was built from/);
        assert.deepStrictEqual(await packFilesLoaded(path.join(published, "loaded.json"), publishedServedAt), ["bin/index.js", "index.js", "packEntry.js", "package.json"], "the bundle, and no .ts file for ts-node to check");
        assert.deepStrictEqual(publishedAlone.info.policies.map((p) => p.name).sort(), prod.info.policies.map((p) => p.name).sort());
        assert.deepStrictEqual(summary(await publishedAlone.pack.analyze(mutableRepository)), summary(await prod.pack.analyze(mutableRepository)));
        assert.strictEqual(prod.info.name, "multicloud-service");
        assert.strictEqual(prod.info.version, packPackage().version, "@pulumi/policy reads the version from <cwd>/package.json, i.e. policy/package.json");
        assert.strictEqual(prod.info.supportsConfig, true);
        assert.deepStrictEqual(prod.info.policies.map((p) => p.name).sort(), allPolicies.map((p) => p.name).sort());
        assert.strictEqual(prod.info.policies.length, 14);
        for (const p of prod.info.policies) assert.strictEqual(p.enforcementLevel, "advisory", p.name);
        const withSchema = prod.info.policies.filter((p) => p.configSchema).map((p) => p.name).sort();
        assert.deepStrictEqual(withSchema, ["admin-and-debug-off-in-prod", "lambda-function-url-auth-in-prod", "no-public-iam-members"]);
    });

    it("with policy/config/prod.json the CLI configures every rule mandatory (dev.json: advisory), with the rule settings", () => {
        for (const p of prod.info.policies) assert.strictEqual(prod.sent[p.name].enforcementLevel, "mandatory", p.name);
        assert.deepStrictEqual(prod.sent["no-public-iam-members"].properties, { environment: "prod", allowPublicCloudRun: false });
        for (const p of dev.info.policies) assert.strictEqual(dev.sent[p.name].enforcementLevel, "advisory", p.name);
        assert.deepStrictEqual(dev.sent["lambda-function-url-auth-in-prod"].properties, { environment: "dev", allowPublicCloudRun: false });
    });

    it("Analyze: a mutable-tag ECR repository is reported by ecr-immutable-tags-scan-on-push (mandatory under prod.json); an immutable, scanned one is not", async () => {
        const found = await prod.pack.analyze(mutableRepository);
        assert.deepStrictEqual(summary(found), ["ecr-immutable-tags-scan-on-push mandatory: ECR repositories use immutable tags and scan images on push (CKV_AWS_51, CKV_AWS_163).\nimageTagMutability must be IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION of cosign's sha256-*.sig / sha256-*.att tags only): a pushed tag must never change."]);
        assert.strictEqual(found[0].policyPackName, "multicloud-service");
        assert.strictEqual(found[0].policyPackVersion, packPackage().version);
        assert.deepStrictEqual(await prod.pack.analyze(hardenedRepository), []);
    });

    it("the level follows the config: the same violation is advisory under dev.json", async () => {
        assert.deepStrictEqual((await dev.pack.analyze(mutableRepository)).map((d) => `${d.policyName} ${d.enforcementLevel}`), ["ecr-immutable-tags-scan-on-push advisory"]);
        assert.deepStrictEqual(await dev.pack.analyze(hardenedRepository), []);
    });

    it("rule settings reach the rules: an unauthenticated Function URL fails under prod.json, passes under dev.json", async () => {
        assert.deepStrictEqual((await prod.pack.analyze(openFunctionUrl)).map((d) => `${d.policyName} ${d.enforcementLevel}`), ["lambda-function-url-auth-in-prod mandatory"]);
        assert.deepStrictEqual(await dev.pack.analyze(openFunctionUrl), []);
        // Each environment-aware rule reads its own settings: dev's public invoker passes, prod's fails.
        assert.deepStrictEqual((await prod.pack.analyze(publicInvoker)).map((d) => `${d.policyName} ${d.enforcementLevel}`), ["no-public-iam-members mandatory"]);
        assert.deepStrictEqual(await dev.pack.analyze(publicInvoker), []);
    });

    it("AnalyzeStack: a bare S3 bucket is reported for each missing companion, with its URN; a hardened one is not", async () => {
        const bucket = (name: string) => ({ type: "aws:s3/bucket:Bucket", name, props: { bucket: `${name}-123`, id: `${name}-123`, tags: TAGS } });
        const hardened = bucket("hardened");
        const dependsOnHardened = { bucket: ["urn:pulumi:prod::multicloud-service::aws:s3/bucket:Bucket::hardened"] };
        const companions = [
            { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "hardened", props: { bucket: "hardened-123", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, propertyDependencies: dependsOnHardened },
            { type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name: "hardened", props: { bucket: "hardened-123", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }, propertyDependencies: dependsOnHardened },
            {
                type: "aws:s3/bucketPolicy:BucketPolicy",
                name: "hardened",
                props: { bucket: "hardened-123", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) },
                propertyDependencies: dependsOnHardened,
            },
        ];
        const found = await prod.pack.analyzeStack([bucket("bare"), hardened, ...companions]);
        assert.deepStrictEqual(
            found.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn.split("::").pop()}`),
            Array(3).fill("s3-bucket-private-encrypted-tls-only mandatory bare"),
            JSON.stringify(summary(found)),
        );
        assert.deepStrictEqual(await prod.pack.analyzeStack([hardened, ...companions]), []);
    });

    it("a value unknown in the preview (another resource's output) is left out, not a reason to skip the rule: DEBUG=true beside it is still reported", async () => {
        // How the engine sends an unknown over gRPC (the SDK's unknownValue / @pulumi/policy's unknownStringValue).
        const fn = (variables: Record<string, string>) => ({
            type: "aws:lambda/function:Function",
            name: "api",
            props: { environment: { variables }, tracingConfig: { mode: "Active" }, tags: TAGS },
        });
        const found = await prod.pack.analyze(fn({ BUCKET: UNKNOWN, STATE_MACHINE_ARN: UNKNOWN, DEBUG: "true" }));
        assert.deepStrictEqual(summary(found), ["admin-and-debug-off-in-prod mandatory: Production services run with admin features and debug off.\nDEBUG is true in production."]);
        assert.deepStrictEqual(summary(await prod.pack.analyze(fn({ BUCKET: UNKNOWN, DEBUG: "false" }))), []);
        // A state machine logging to a log group created in the same preview.
        const machine = { type: "aws:sfn/stateMachine:StateMachine", name: "pipeline", props: { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: UNKNOWN, level: "ERROR" }, tags: TAGS } };
        assert.deepStrictEqual(summary(await prod.pack.analyze(machine)), []);
        // A new service account's email in a bucket grant.
        const grant = { type: "gcp:storage/bucketIAMMember:BucketIAMMember", name: "objects", props: { bucket: UNKNOWN, role: "roles/storage.objectUser", member: UNKNOWN } };
        assert.deepStrictEqual(summary(await prod.pack.analyze(grant)), []);
    });

    it("a value unknown in the preview stops only the check that reads it: the SDK keeps the rule's other violations and adds its advisory", async () => {
        const repository = { type: ECR, name: "new", props: { imageTagMutability: UNKNOWN, imageScanningConfiguration: { scanOnPush: false }, tags: TAGS } };
        const found = (await prod.pack.analyze(repository)).map((d) => `${d.enforcementLevel}: ${d.message.split("\n").pop()}`);
        assert.deepStrictEqual(found, [
            "mandatory: imageScanningConfiguration.scanOnPush must be true.",
            `advisory: can't run policy 'ecr-immutable-tags-scan-on-push' from policy pack 'multicloud-service@v${packPackage().version}' during preview: tag immutability: string value at .imageTagMutability can't be known during preview`,
        ]);
    });

    it("an IAM document unknown in the preview (built from a new resource's ARN) leaves the rule mandatory: a known wildcard beside it is still reported", async () => {
        const wildcard = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }] });
        const role = (inlinePolicies: { name: string; policy: string }[]) => ({ type: "aws:iam/role:Role", name: "api", props: { assumeRolePolicy: "{}", inlinePolicies, tags: TAGS } });
        // An SDK that met the unknown would answer only "can't run policy ... during preview", advisory (@pulumi/policy server.js).
        assert.deepStrictEqual(summary(await prod.pack.analyze(role([{ name: "logs", policy: UNKNOWN }, { name: "all", policy: wildcard }]))), [
            'no-wildcard-iam-actions mandatory: No IAM statement allows an action with a wildcard ("*", "s3:*", "s3:Get*") or every action but some (NotAction), and none of the AWS managed policies named AdministratorAccess*, PowerUserAccess or *FullAccess* is attached (CKV_AWS_62, CKV_AWS_290, CKV_AWS_274).\nstatement Everything allows the wildcard action *.',
        ]);
        assert.deepStrictEqual(summary(await prod.pack.analyze(role([{ name: "logs", policy: UNKNOWN }]))), []);
        const rolePolicy = { type: "aws:iam/rolePolicy:RolePolicy", name: "logs", props: { role: UNKNOWN, policy: UNKNOWN } };
        assert.deepStrictEqual(summary(await prod.pack.analyze(rolePolicy)), []);
        // A document the program writes as an object reaches the rule as pulumi-aws's Check returns it: the bridge's
        // TransformJSONDocument on IAM `policy` fields (pulumi-terraform-bridge pkg/tfbridge/transforms.go; pulumi-aws
        // resources.go) makes a known object a JSON string, and one holding any unknown (a statement, a Resource) wholly
        // unknown. So a known wildcard beside an unknown in the same document waits for `up`; in a document of its own,
        // or a known one, it is reported.
        const asCheckReturns = (document: { Statement: unknown[] }) => (JSON.stringify(document).includes(UNKNOWN) ? UNKNOWN : JSON.stringify(document));
        const oneUnknown = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, UNKNOWN] };
        assert.deepStrictEqual(summary(await prod.pack.analyze({ type: "aws:iam/rolePolicy:RolePolicy", name: "mixed", props: { role: "api", policy: asCheckReturns(oneUnknown) } })), []);
        const partly = { Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: UNKNOWN }] };
        assert.deepStrictEqual(summary(await prod.pack.analyze({ type: "aws:iam/rolePolicy:RolePolicy", name: "s3", props: { role: "api", policy: asCheckReturns(partly) } })), []);
        const known = { Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "arn:aws:s3:::objects/*" }] };
        assert.deepStrictEqual(summary(await prod.pack.analyze({ type: "aws:iam/rolePolicy:RolePolicy", name: "s3", props: { role: "api", policy: asCheckReturns(known) } })), ['no-wildcard-iam-actions mandatory: No IAM statement allows an action with a wildcard ("*", "s3:*", "s3:Get*") or every action but some (NotAction), and none of the AWS managed policies named AdministratorAccess*, PowerUserAccess or *FullAccess* is attached (CKV_AWS_62, CKV_AWS_290, CKV_AWS_274).\nstatement (no Sid) allows the wildcard action s3:*.']);
    });

    it("a whole IAM policy is judged in the preview when its policyData is known, and left for `up` when it is not; an unknown member does not hide allUsers beside it", async () => {
        // What each diagnostic reports, without the rule's description that the SDK puts first.
        const reported = async (r: { type: string; name: string; props: Record<string, unknown> }) =>
            (await prod.pack.analyze(r)).map((d) => `${d.policyName} ${d.enforcementLevel}: ${d.message.split("\n").pop()}`);
        const bucketPolicy = (policyData: string) => ({ type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", name: "objects", props: { bucket: UNKNOWN, policyData } });
        const open = bucketPolicy(JSON.stringify({ bindings: [{ role: "roles/storage.objectViewer", members: ["allUsers"] }] }));
        assert.deepStrictEqual(await reported(open), ["no-public-iam-members mandatory: storage/bucketIAMPolicy grants roles/storage.objectViewer to the public."]);
        // policyData built from a new bucket's or account's outputs: the rule applies and waits for `up`, no "can't run" advisory.
        assert.deepStrictEqual(await reported(bucketPolicy(UNKNOWN)), []);
        assert.ok(!(await prod.pack.notApplicable(bucketPolicy(UNKNOWN))).includes("no-public-iam-members"));
        const binding = { type: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", name: "invokers", props: { name: "api", location: "asia-northeast1", role: "roles/run.invoker", members: [UNKNOWN, "allUsers"] } };
        assert.deepStrictEqual(await reported(binding), [
            "no-public-iam-members mandatory: a production Cloud Run service is invokable by the public; set allowPublicCloudRun in the pack config only if that is intended.",
        ]);
    });

    it("AnalyzeStack in the preview of a new stack: a bucket whose name and policy are not known yet does not keep the others from being judged", async () => {
        const urn = "urn:pulumi:prod::multicloud-service::aws:s3/bucket:Bucket::new";
        const onNew = { bucket: [urn] };
        const stack = [
            { type: "aws:s3/bucket:Bucket", name: "new", props: { bucket: UNKNOWN, id: UNKNOWN, tags: TAGS } },
            { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name: "new", props: { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, propertyDependencies: onNew },
            { type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name: "new", props: { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }, propertyDependencies: onNew },
            { type: "aws:s3/bucketPolicy:BucketPolicy", name: "new", props: { bucket: UNKNOWN, policy: UNKNOWN }, propertyDependencies: onNew },
            { type: "aws:s3/bucket:Bucket", name: "bare", props: { bucket: "bare-123", id: "bare-123", tags: TAGS } },
        ];
        const found = await prod.pack.analyzeStack(stack);
        assert.deepStrictEqual(found.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn.split("::").pop()}`), Array(3).fill("s3-bucket-private-encrypted-tls-only mandatory bare"), JSON.stringify(summary(found)));
    });

    it("a rule says where it does not apply, so Pulumi Cloud's policy summaries do not count it passed there", async () => {
        // The CLI counts passed as all, less not applicable, less failed (pkg/resource/analyzer/summary.go).
        const na = await prod.pack.notApplicable(hardenedRepository);
        assert.ok(na.includes("lambda-tracing-active") && na.includes("gcs-uniform-access-public-prevention"), na.join(", "));
        assert.ok(!na.includes("ecr-immutable-tags-scan-on-push") && !na.includes("required-tags-and-labels"), na.join(", "));
        // A production-only rule outside production.
        assert.ok((await dev.pack.notApplicable(openFunctionUrl)).includes("lambda-function-url-auth-in-prod"));
        assert.ok(!(await prod.pack.notApplicable(openFunctionUrl)).includes("lambda-function-url-auth-in-prod"));
        // An AWS type whose name holds "IamPolicy" is not a GCP grant (before, the GCP role rule counted it passed).
        const quicksight = { type: "aws:quicksight/iamPolicyAssignment:IamPolicyAssignment", name: "assignment", props: { assignmentName: "a", assignmentStatus: "ENABLED", awsAccountId: "111122223333", tags: TAGS } };
        assert.ok((await prod.pack.notApplicable(quicksight)).includes("no-basic-or-project-storage-admin-roles"));
    });

    it("the pack processes stay up between calls and write no error", () => {
        for (const p of [prod, dev]) {
            assert.strictEqual(p.pack.child.exitCode, null);
            assert.doesNotMatch(p.pack.stderr, /error/i, p.pack.stderr);
        }
        assert.deepStrictEqual(host.logs, []);
    });

    it("control: without package.json the same start exits before serving (@pulumi/policy cannot read <cwd>/package.json)", () => {
        const outcome = withoutPackageJson;
        assert.ok(outcome instanceof PackExited, `expected the pack not to serve, got ${outcome}`);
        assert.strictEqual(outcome.stdout, "", "no port was printed, so the CLI could never connect");
        assert.strictEqual(outcome.code, 32, "the runner's 'error already reported' exit code");
        assert.ok(outcome.stderr.includes(`Cannot find module '${path.join(copy, "package.json")}'`), outcome.stderr);
    });
});

/** The pack's tarball, and which file its main loads where the CLI installs it. */
describe("policy pack as `pulumi policy publish` packs it", function () {
    this.timeout(60_000);
    let scratch = "";
    let publication: PublishedPack;
    /** A copy of the installed pack, changed by `edit`. */
    const installedCopy = (name: string, edit: (dir: string) => void): string => {
        const dir = path.join(scratch, name);
        fs.cpSync(publication.dir, dir, { recursive: true, verbatimSymlinks: true });
        edit(dir);
        return dir;
    };

    before(() => {
        // A scratchDir, as the shared publication's: removed with the run's temp folder (the links in it, not their targets).
        scratch = scratchDir("policy-publish");
        publication = publishedOnce().publication;
    });

    it("npm pack prints the tarball's name and nothing else (the CLI reads its whole stdout as the file name)", () => {
        assert.strictEqual(publication.stdout.trim(), `${packPackage().name}-${packPackage().version}.tgz`);
    });

    it("the check can fail: a lifecycle script on pack puts npm's banner on stdout, and the CLI finds no tarball", () => {
        const withPrepack = path.join(scratch, "with-prepack");
        fs.cpSync(PACK_DIR, withPrepack, { recursive: true, filter: (from) => !from.split(path.sep).includes("node_modules") });
        const pkg = packPackage();
        fs.writeFileSync(path.join(withPrepack, "package.json"), JSON.stringify({ ...pkg, scripts: { prepack: "node -e 0" } }));
        const into = path.join(scratch, "with-prepack-out");
        fs.mkdirSync(into);
        assert.throws(() => publishPack(withPrepack, path.join(ROOT, "node_modules"), into), /`npm pack` completed successfully but the package \.tgz file was not generated \(stdout: ".*> multicloud-service-policy@0\.1\.0 prepack/s);
    });

    it("the tarball holds the bundle with its stamp and the sources it was built from, and none of the pack's tests", () => {
        const files = publication.entries.map((entry) => entry.replace(/^package\//, ""));
        for (const file of ["package.json", "PulumiPolicy.yaml", "index.js", "packEntry.js", "index.ts", "bin/index.js", "bin/index.js.inputs.json", "config/prod.json"]) assert.ok(files.includes(file), `${file} packed`);
        const stamp = JSON.parse(fs.readFileSync(path.join(publication.dir, "bin", "index.js.inputs.json"), "utf8")) as { inputs: Record<string, string> };
        for (const input of Object.keys(stamp.inputs)) assert.ok(files.includes(input), `${input}, which the bundle was built from, is packed`);
        assert.deepStrictEqual(files.filter((file) => file.startsWith("tests/")), []);
    });

    it("a packed source that is not what the bundle was built from sends index.ts to the runner's ts-node, naming the file", () => {
        const edited = installedCopy("edited", (dir) => fs.appendFileSync(path.join(dir, "rules", "aws.ts"), "\n// edited after packing\n"));
        assert.deepStrictEqual(packEntry(edited), { file: path.join(edited, "index.ts"), why: "published: index.ts through the runner's ts-node, because rules/aws.ts is not what the packed bundle was built from" });
    });

    it("a tarball packed without a bundle (the pack never started before npm pack) loads index.ts", () => {
        const unbundled = installedCopy("unbundled", (dir) => fs.rmSync(path.join(dir, "bin"), { recursive: true }));
        assert.deepStrictEqual(packEntry(unbundled), { file: path.join(unbundled, "index.ts"), why: "published: index.ts through the runner's ts-node, because no bundle was packed" });
    });

    it("in the repository it is policy/bin/index.js, rebuilt by ../loader when a source changed", () => {
        assert.deepStrictEqual(packEntry(PACK_DIR), { file: path.join(PACK_DIR, "bin", "index.js"), why: "in the repository: index.ts's bundle, rebuilt when a source changed" });
    });
});

/** What the CLI refuses in a pack config before the pack sees it (no pack is started here). */
describe("policy pack config as the CLI reads and sends it", () => {
    const info = DECLARED_PACK;
    const configFile = (content: unknown): string => {
        const file = path.join(scratchDir("policy-config"), "config.json");
        fs.writeFileSync(file, JSON.stringify(content));
        return file;
    };
    /** A pack whose Configure records what it was sent (the process is a stand-in that has already exited). */
    const recordingPack = () => {
        const sent: unknown[] = [];
        const client = { configure: (request: unknown, callback: (err: null, response: unknown) => void) => (sent.push(request), callback(null, {})), close: () => undefined };
        return { sent, pack: new RunningPack({ exitCode: 0, signalCode: null } as unknown as ChildProcess, client) };
    };

    it("a level that is not one of the four fails the run, in the CLI's words (config.go, parsePolicyPackConfig)", () => {
        assert.throws(() => loadPolicyPackConfig(configFile({ all: "warn" })), { message: 'parsing enforcement level for "all": "warn" is not a valid enforcement level' });
        assert.throws(() => loadPolicyPackConfig(configFile({ "lambda-tracing-active": { enforcementLevel: "Mandatory" } })), {
            message: 'parsing enforcement level for "lambda-tracing-active": "Mandatory" is not a valid enforcement level',
        });
    });

    it("a rule's setting of the wrong type fails the run before the pack is configured, in the CLI's words (update.go, loadPolicyPlugins; config.go, validatePolicyPackConfig)", async () => {
        const invalid = (content: unknown) => {
            try {
                reconcilePolicyPackConfig(info, loadPolicyPackConfig(configFile(content)));
            } catch (err) {
                assert.ok(err instanceof PolicyConfigInvalid, String(err));
                assert.strictEqual(err.message, "validating policy config");
                return err.diagnostics;
            }
            assert.fail("the config was accepted");
        };
        const pack = `validating policy config: ${info.name} ${info.version}  `;
        assert.deepStrictEqual(invalid({ all: "mandatory", "no-public-iam-members": { environment: "prod", allowPublicCloudRun: "true" } }), [
            `${pack}no-public-iam-members: allowPublicCloudRun: Invalid type. Expected: boolean, given: string`,
        ]);
        // Sorted, a whole number given as "integer", and a rule whose entry only sets a level still checked (its defaults).
        assert.deepStrictEqual(invalid({ "lambda-function-url-auth-in-prod": { environment: 1 }, "admin-and-debug-off-in-prod": { enforcementLevel: "mandatory", environment: ["prod"] } }), [
            `${pack}admin-and-debug-off-in-prod: environment: Invalid type. Expected: string, given: array`,
            `${pack}lambda-function-url-auth-in-prod: environment: Invalid type. Expected: string, given: integer`,
        ]);
        // A setting the schema does not list is not checked (the schema has no additionalProperties), nor is an entry for
        // a name the pack has no policy for that gives a level: the CLI has no "unknown policy" answer.
        reconcilePolicyPackConfig(info, loadPolicyPackConfig(configFile({ "no-public-iam-members": { enviroment: 1 }, "no-public-iam-member": "mandatory" })));
    });

    it("properties for a rule the pack does not have leave that entry without a level, and the CLI's Configure refuses it before sending anything (analyzer_plugin.go)", async () => {
        const sent = reconcilePolicyPackConfig(info, loadPolicyPackConfig(configFile({ all: "mandatory", "no-public-iam-member": { environment: "prod" } })));
        const { pack, sent: calls } = recordingPack();
        await assert.rejects(pack.configure(sent), { message: 'invalid enforcement level ""' });
        assert.deepStrictEqual(calls, []);
        // The committed files pass both.
        for (const stack of ["prod", "dev"]) await recordingPack().pack.configure(reconcilePolicyPackConfig(info, loadPolicyPackConfig(path.join(PACK_DIR, "config", `${stack}.json`))));
    });
});
