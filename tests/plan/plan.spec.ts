import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT, readStackFile, stackNames } from "../../config/stackFile";
import { regExpText } from "../harness/regExpText";
import { devFileKeptElsewhere, uncommittedStackName } from "../harness/stackConfig";
import { scratchDir } from "../harness/tempDirs";
import { runPlan, runPlanOn, sharedPlan } from "./offlinePlan";

function stackFileWith(stack: "dev" | "prod", change: (config: Record<string, any>) => void): string {
    const { config } = readStackFile(stack);
    const doc: Record<string, any> = {};
    for (const [k, v] of Object.entries(config)) {
        try {
            doc[k] = JSON.parse(v);
        } catch {
            doc[k] = v;
        }
    }
    change(doc);
    const file = path.join(scratchDir("plan"), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, stringify({ config: doc }));
    return file;
}

describe("npm run plan (offline plan, real process)", function () {
    this.timeout(60_000);

    for (const stack of ["dev", "prod"]) {
        it(`prints the ${stack} stack's tree, counts and outputs`, () => {
            const { code, stdout, stderr } = sharedPlan(stack);
            assert.strictEqual(code, 0, stderr);
            assert.match(stdout, new RegExp(`^Offline plan of stack "${stack}"`));
            assert.match(stdout, /\+ multicloud:index:LambdaEcrPipeline {2}pipeline/);
            assert.match(stdout, /\n {2}\+ aws:lambda\/function:Function {2}pipeline-api/);
            assert.match(stdout, /\+ multicloud:index:CloudRunGcsService {2}service/);
            assert.match(stdout, /\n {2}\+ gcp:cloudrunv2\/service:Service {2}service/);
            assert.match(stdout, /Counts:\n[\s\S]*total +\d+ +\(\d+ cloud resources, \d+ components\)/);
            assert.match(stdout, /Outputs:\n[\s\S]*aws\.apiUrl +"https:\/\/[a-f0-9]+\.lambda-url\.ap-northeast-1\.on\.aws\/"/);
            assert.match(stdout, /gcp\.serviceUrl +"https:\/\//);
            // Each line's summary reads the inputs it names: the stack file's memory and retention, the image's digest cut after "sha256:".
            const settings = (section: string) => JSON.parse(readStackFile(stack).config[`multicloud-service:${section}`]);
            assert.match(stdout, new RegExp(`\\+ aws:lambda/function:Function {2}pipeline-api {2}\\(image=multicloud-service-${stack}@sha256:[0-9a-f]{12}… command=api\\.handler memory=${settings("aws").memoryMb} `));
            assert.match(stdout, new RegExp(`\\+ aws:cloudwatch/logGroup:LogGroup {2}pipeline-api {2}\\(retentionDays=${settings("service").retentionDays}\\)`));
            // Before: prod's unset admin tokens were listed as `undefined`, outputs `pulumi stack output` does not have.
            assert.doesNotMatch(stdout, /\bundefined\b/);
            // dev's are there, as secrets: the random provider always makes a password's result (after the line above
            // first left them out too, for want of a mocked result).
            for (const cloud of ["aws", "gcp"]) {
                const row = new RegExp(`\\n {2}${cloud}\\.adminToken +\\[secret\\]\\n`);
                if (stack === "dev") assert.match(stdout, row);
                else assert.doesNotMatch(stdout, new RegExp(`${cloud}\\.adminToken`));
            }
            // The dashboards: one per cloud, drawing the alarms' thresholds from the stack file, and their console URLs.
            assert.match(stdout, new RegExp(`\\+ aws:cloudwatch/dashboard:Dashboard {2}pipeline-dashboard {2}\\(name=multicloud-service-${stack} widgets=11 lines=.*alarm: > 5 %.*alarm: > 2000 ms`));
            assert.match(stdout, /\+ gcp:monitoring\/dashboard:Dashboard {2}service-dashboard {2}\(widgets=7 lines=.*alarm: > 5 %.*alarm: > 2000 ms/);
            // A line several charts draw is named once.
            for (const labels of [...stdout.matchAll(/Dashboard {2}\S+ {2}\(.*lines=(.*)\)$/gm)].map((m) => m[1].split(", "))) assert.deepStrictEqual(labels, [...new Set(labels)]);
            assert.match(stdout, new RegExp(`aws\\.dashboardUrl +"https://ap-northeast-1\\.console\\.aws\\.amazon\\.com/cloudwatch/home\\?region=ap-northeast-1#dashboards/dashboard/multicloud-service-${stack}"`));
            assert.match(stdout, new RegExp(`gcp\\.dashboardUrl +"https://console\\.cloud\\.google\\.com/monitoring/dashboards/builder/[0-9a-f-]+\\?project=multicloud-service-${stack}"`));
            // Where each cloud's image comes from, as docs/images.md and the workflows have it.
            const images = /Images:\n((?: {2}.*\n)+)/.exec(stdout)?.[1] ?? "";
            assert.match(images, new RegExp(`aws {2}ECR multicloud-service-${stack}:c-[0-9a-f]{24} {2}sha256:[0-9a-f]{64}`));
            assert.match(images, new RegExp(`gcp {2}Artifact Registry asia-northeast1-docker\\.pkg\\.dev/multicloud-service-${stack}/service-registry-${stack}/service:c-[0-9a-f]{24}`));
            assert.match(images, stack === "prod" ? /promoted from dev by digest \(npm run image -- promote dev prod, in deploy-prod\.yml\); pulumi up never builds/ : /built by \.github\/workflows\/image\.yml on a push to main/);
            assert.doesNotMatch(stdout + stderr, /NodeVersionSupportWarning/);
        });
    }

    it("the quick start's plan on the machine's own Node (npm test names it; the specs run on app/'s Node 24) prints the same plan", function () {
        // Two plans, each in spawnSync: mocha's timer cannot stop them, only fail them after they succeeded late (a
        // synchronous test's duration past its timeout is a timeout error, mocha's Runnable#run). They took 42 s of the
        // 60 s beside a busy core at nice 19; a hang is stopped by npm test's deadline for the check (scripts/test/all.js).
        this.timeout(0);
        const machineNode = process.env.MACHINE_NODE;
        if (!machineNode || machineNode === process.execPath) {
            console.log("      skipped: MACHINE_NODE names no other Node than the one running these specs (npm test sets it)");
            this.skip();
        }
        const onMachine = runPlanOn(machineNode, "dev");
        assert.strictEqual(onMachine.code, 0, onMachine.stderr);
        // Line by line: a whole-text assertion's diff is cut at mocha's 8192 characters, before the plan's later sections.
        const [machine, service] = [onMachine.stdout, sharedPlan("dev").stdout].map((text) => text.split("\n"));
        const differs = machine.findIndex((line, i) => line !== service[i]);
        const first = differs === -1 && machine.length !== service.length ? machine.length : differs;
        assert.strictEqual(first, -1, `the same plan on either Node; line ${first + 1} differs:\n  ${machine[first]}\n  ${service[first]}`);
    });

    it("plans deployments/ (the one-time setup) offline: ESC environments, GitHub's issuer, the review template and the drift schedule", () => {
        const result = spawnSync(process.execPath, ["scripts/build/run.js", "scripts/plan/deployments.ts"], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        for (const env of ["dev", "prod", "review", "preview", "prod-release"]) assert.match(result.stdout, new RegExp(`\\+ pulumiservice:index:Environment {2}esc-${env} {2}\\(name=multicloud-service/${env}\\)`));
        assert.match(result.stdout, /\+ pulumiservice:index:OidcIssuer {2}github-actions {2}\(url=https:\/\/token\.actions\.githubusercontent\.com\)/);
        assert.match(result.stdout, /DeploymentSettings {2}review-deployment-settings {2}\(stack=review .*pullRequestTemplate=true\)/);
        assert.match(result.stdout, /DeploymentSettings {2}prod-deployment-settings {2}\(stack=prod deployCommits=false previewPullRequests=false/);
        assert.doesNotMatch(result.stdout, /TtlSchedule/);
        assert.match(result.stdout, /\+ pulumiservice:index:DriftSchedule {2}prod-drift {2}\(stack=prod/);
        // The names it takes, each adopted by the ID its provider reads (pulumi-pulumiservice resources/environment.go:
        // org/project/name; team.go: org/team) with the default provider (no --provider).
        assert.match(result.stdout, /^ {4}pulumi import --stack main 'pulumiservice:index:Environment' 'esc-dev' 'my-pulumi-org\/multicloud-service\/dev'$/m);
        assert.match(result.stdout, /^ {4}pulumi import --stack main 'pulumiservice:index:Team' 'multicloud-service-releasers' 'my-pulumi-org\/multicloud-service-releasers'$/m);
        assert.match(result.stdout, /^ {2}pulumi-deployments {2}\(gcp:iam\/workloadIdentityPool:WorkloadIdentityPool pulumi\): the create fails \(googleapi: Error 409\); a pool deleted in the last 30 days still holds its ID/m);
        assert.match(result.stdout, /^ {4}pulumi import --stack main 'gcp:serviceaccount\/account:Account' 'preview' 'projects\/multicloud-service-deployer\/serviceAccounts\/preview@multicloud-service-deployer\.iam\.gserviceaccount\.com'$/m);
    });

    it("plans deployments/ for an account that already has the OIDC providers, taking them as listing their audiences (they cannot be read offline)", () => {
        const file = path.join(scratchDir("deployments-plan"), "Pulumi.main.yaml");
        const doc = parse(fs.readFileSync(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"), "utf8"));
        doc.config["multicloud-service-deployments:settings"].existingAwsOidcProviders = { pulumi: "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc" };
        fs.writeFileSync(file, stringify(doc));
        const result = spawnSync(process.execPath, ["scripts/build/run.js", "scripts/plan/deployments.ts", file], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /arn:aws:iam::123456789012:oidc-provider\/api\.pulumi\.com\/oidc is taken to list aws:my-pulumi-org among its client IDs \(offline: not read; pulumi preview checks it\)/);
        assert.doesNotMatch(result.stdout, /OpenIdConnectProvider {2}pulumi-oidc/);
    });

    // Before: the file was read with the Pulumi.yaml beside it (here none), not deployments/'s, so its `settings:` kept
    // no namespace and the plan said "multicloud-service-deployments:settings is not set", where `pulumi up` in
    // deployments/ keys it as the project's (loaders.go stackConfigNamespacedWithProject) and runs.
    it("plans a stack file of deployments/ kept elsewhere as deployments/'s stack: its keys read with deployments/Pulumi.yaml", () => {
        const file = path.join(scratchDir("deployments-plan"), "Pulumi.main.yaml");
        const committed = fs.readFileSync(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"), "utf8");
        fs.writeFileSync(file, committed.replace(/^ {2}multicloud-service-deployments:settings:$/m, "  settings:"));
        assert.notStrictEqual(fs.readFileSync(file, "utf8"), committed, "the settings key written without its namespace");
        const result = spawnSync(process.execPath, ["scripts/build/run.js", "scripts/plan/deployments.ts", file], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^Offline plan of deployments\/ \(stack "main"/m);
    });

    // Before: "Cannot read properties of null (reading 'existingAwsOidcProviders')", from the plan's own reading of the
    // settings ahead of the program's check, naming neither the key nor the file.
    it("plans deployments/ with settings that are not an object: the program's error, naming the key", () => {
        const file = path.join(scratchDir("deployments-plan"), "Pulumi.main.yaml");
        fs.writeFileSync(file, "config:\n  aws:region: ap-northeast-1\n  multicloud-service-deployments:settings: null\n");
        const result = spawnSync(process.execPath, ["scripts/build/run.js", "scripts/plan/deployments.ts", file], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.strictEqual(result.status, 1, result.stdout);
        // The CLI hands a key with no value over as "" (loaders.go checkForEmptyConfig), which the SDK's getObject
        // refused as "Configuration '...' value '' is not a valid JSON object", saying nothing of what to do.
        assert.strictEqual(result.stderr, "plan:deployments: multicloud-service-deployments:settings has no value; nothing was deployed: this stack reads its settings object from deployments/Pulumi.<stack>.yaml (deployments/Pulumi.main.yaml is the example; docs/setup.md)\n");
    });

    // Before: `npm run plan:deployments -- ""` (an unset variable, quoted) planned deployments/Pulumi.main.yaml as if
    // the file meant had been read; the other tools refuse an empty argument.
    it("plan:deployments refuses an empty stack file as a usage error, and plans the example when given none (in-process)", async () => {
        const { deploymentsArgumentProblem } = await import("../../scripts/plan/deploymentsArguments");
        assert.deepStrictEqual(
            [[""], [], ["deployments/Pulumi.main.yaml"]].map((argv) => deploymentsArgumentProblem(argv)),
            ['the stack file is "": name one, or give none to plan deployments/Pulumi.main.yaml', undefined, undefined],
        );
    });

    it("dev and prod run the same digests (prod's are dev's, promoted)", () => {
        const digests = (stack: string) => [...sharedPlan(stack).stdout.matchAll(/^ {2}(aws|gcp) .* (sha256:[0-9a-f]{64})$/gm)].map((m) => `${m[1]} ${m[2]}`);
        assert.strictEqual(digests("dev").length, 2);
        assert.deepStrictEqual(digests("prod"), digests("dev"));
    });

    it("shows how dev and prod differ", () => {
        const { code, stdout, stderr } = sharedPlan("dev", "--vs", "prod");
        assert.strictEqual(code, 0, stderr);
        assert.match(stdout, /^Offline diff: stack "dev" \(-\) vs stack "prod" \(\+\)/);
        assert.match(stdout, /memorySize: 512 -> 1024/);
        assert.match(stdout, /\d+ of \d+ resources differ\./);
        // prod's own warnings (its alarms' e-mail reaches no one), named as prod's.
        assert.match(stderr, /^warning \(prod\): aws\.alarms\.email is platform-oncall@example\.com/m);
    });

    // --file is <stack>'s settings in every report: the cost alone, the diff and the cost comparison; the stack --vs
    // names is read from its own stack file.
    it("--file with --cost or --vs: the file's settings are <stack>'s, priced and compared; the other stack's are its own file's", () => {
        const prod = stackFileWith("prod", (c) => void (c["multicloud-service:aws"].memoryMb = 2048));
        const cost = runPlan("prod", "--cost", "--file", prod);
        assert.strictEqual(cost.code, 0, cost.stderr);
        assert.match(cost.stdout, /^ {2}aws {2}Lambda API compute \(2048 MB, arm64\) /m);
        const dev = stackFileWith("dev", (c) => void (c["multicloud-service:aws"].memoryMb = 768));
        const vs = runPlan("dev", "--vs", "prod", "--file", dev);
        assert.strictEqual(vs.code, 0, vs.stderr);
        assert.match(vs.stdout, /memorySize: 768 -> 1024/);
        assert.match(vs.stdout, /Lambda API compute \(1024 MB, arm64\), was 768 MB, arm64 /);
    });

    // The comparison already has both costs: --cost beside --vs does not drop the diff for one stack's cost.
    it("--vs with --cost prints the diff and both stacks' costs, as --vs alone", () => {
        const { code, stdout, stderr } = runPlan("dev", "--vs", "prod", "--cost");
        assert.strictEqual(code, 0, stderr);
        assert.match(stdout, /^Offline diff: stack "dev" \(-\) vs stack "prod" \(\+\)/);
        assert.match(stdout, /^Monthly cost: stack "dev" -> stack "prod":/m);
        // Word for word the --vs run "shows how dev and prod differ" made: no single stack's cost beside the comparison.
        assert.deepStrictEqual(stdout.split("\n"), sharedPlan("dev", "--vs", "prod").stdout.split("\n"));
    });

    it("no stack named is dev, as the usage says", () => {
        const { code, stdout, stderr } = runPlan("--cost");
        assert.strictEqual(code, 0, stderr);
        assert.match(stdout, /^Monthly cost of stack "dev"/);
    });

    it("never prints a secret, even in --json", () => {
        const file = stackFileWith("dev", () => {});
        const text = fs.readFileSync(file, "utf8").replace("config:\n", "config:\n  multicloud-service:databaseUrl:\n    secure: AAABAKx0ZXN0\n");
        fs.writeFileSync(file, text);
        const { code, stdout, stderr } = runPlan("dev", "--json", "--file", file);
        assert.strictEqual(code, 0, stderr);
        assert.ok(!stdout.includes("offline-placeholder-for-secret"), "a secret value reached the output");
        assert.match(stdout, /"\[secret\]"/);
        // The outputs the program marks secret too (dev's admin tokens).
        const { outputs } = JSON.parse(stdout);
        assert.deepStrictEqual([outputs["aws.adminToken"], outputs["gcp.adminToken"]], ["[secret]", "[secret]"]);
    });

    // Before: the plan slept out the two minutes an `up` waits for a new grant to propagate, and printed the SDK's
    // "info: [runtime] waiting 120 s ..." on stdout, ahead of the JSON.
    it("an image from another project: --json is JSON alone on stdout, the propagation wait an `up` would make is named on stderr and not spent", async () => {
        const image = `europe-west1-docker.pkg.dev/ci-images-project/releases/service@sha256:${"d".repeat(64)}`;
        const file = stackFileWith("dev", (c) => void (c["multicloud-service:gcp"].image = image));
        // A process mocha can time out (runPlan waits synchronously).
        const { stdout, stderr } = await promisify(execFile)(process.execPath, ["scripts/build/run.js", "scripts/plan/main.ts", "dev", "--json", "--file", file], { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 });
        const plan = JSON.parse(stdout);
        assert.strictEqual(plan.stack, "dev");
        assert.match(stderr, /^info: waiting 120 s before Cloud Run reads ci-images-project\/releases: its reader grant is new/m);
        assert.doesNotMatch(stderr, /\[runtime\]/, "the program's messages are the plan's, not the SDK's console fallback");
    });

    // Before: the file was read with the Pulumi.yaml beside it (here none), not this project's, so its keys kept no
    // namespace and the plan failed on a bare `aws` key ("plan: Cannot read properties of undefined (reading
    // 'toLowerCase')"); `pulumi up` keys them as the project's (loaders.go stackConfigNamespacedWithProject).
    it("--file kept outside the project is read as <stack> of this project: its keys with this project's Pulumi.yaml", () => {
        const { code, stdout, stderr } = runPlan("dev", "--json", "--file", devFileKeptElsewhere(768));
        assert.strictEqual(code, 0, stderr);
        const plan = JSON.parse(stdout);
        assert.strictEqual(plan.stack, "dev");
        const api = plan.resources.find((r: { type: string; name: string }) => r.type === "aws:lambda/function:Function" && r.name === "pipeline-api");
        assert.strictEqual(api?.inputs.memorySize, 768, "the file's memory, read as multicloud-service:aws");
    });

    it("--file without the stack's name is refused: the name decides whether production's rules apply", () => {
        const file = stackFileWith("prod", () => {});
        const { code, stdout, stderr } = runPlan("--file", file);
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /^plan: --file needs the stack's name too, which decides whether production's rules apply: npm run plan -- <stack> --file /);
    });

    it("a stack file with five mistakes prints all five keys and exits non-zero", () => {
        const file = stackFileWith("prod", (c) => {
            c["multicloud-service:service"].adminFeatures = true;
            c["multicloud-service:service"].retentonDays = 30;
            c["multicloud-service:aws"].memoryMb = 64;
            c["multicloud-service:gcp"].memory = "3GB";
            c["aws:region"] = "tokyo";
        });
        const { code, stdout, stderr } = runPlan("prod", "--file", file);
        assert.strictEqual(code, 1);
        assert.strictEqual(stdout, "");
        for (const key of [
            "multicloud-service:service.adminFeatures",
            "multicloud-service:service.retentonDays",
            "multicloud-service:aws.memoryMb",
            "multicloud-service:gcp.memory",
            "aws:region",
        ]) {
            assert.ok(stderr.includes(`  - ${key}: `), `${key} missing from:\n${stderr}`);
        }
        assert.match(stderr, /^Stack "prod" has 5 invalid settings; nothing was deployed:/);
    });

    it("an unknown stack or option is a clear usage error", () => {
        const absent = uncommittedStackName();
        const unknown = runPlan(absent);
        assert.strictEqual(unknown.code, 1);
        assert.match(unknown.stderr, new RegExp(`no stack file ${regExpText(`Pulumi.${absent}.yaml`)}; stacks here: ${regExpText(stackNames().join(", "))}\n`));
        const option = runPlan("dev", "--verbose");
        assert.strictEqual(option.code, 2);
        assert.match(option.stderr, /unknown option --verbose\nusage: npm run plan/);
        // One dash is an option too, not a second stack "-j".
        const short = runPlan("dev", "-j");
        assert.strictEqual(short.code, 2);
        assert.match(short.stderr, /^plan: unknown option -j\nusage: npm run plan/);
    });

    // `npm run plan -- dev prod` (meant as --vs prod) would otherwise plan dev alone and exit 0: read as dev's plan
    // being prod's, or as no difference between them.
    it("two stack names without --vs are a usage error, not a plan of the first", () => {
        const { code, stdout, stderr } = runPlan("dev", "prod");
        assert.strictEqual(code, 2, stderr);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /^plan: one stack at a time \(got dev, prod\)\nusage: npm run plan/);
    });

    // Before: the next option was taken as the value, a stack "--json" (which also got past the check below).
    it("--vs or --file followed by another option is missing its value", () => {
        for (const [option, needs, ...rest] of [["--vs", "a stack name", "--json"], ["--vs", "a stack name", "--cost"], ["--file", "a path", "--json"]]) {
            const { code, stdout, stderr } = runPlan("dev", option, ...rest);
            assert.strictEqual(code, 2, stderr);
            assert.strictEqual(stdout, "");
            assert.match(stderr, new RegExp(`^plan: ${option} needs ${needs}\nusage: npm run plan`));
        }
        // A path may start with one "-": it is read as the path it is.
        const dashed = runPlan("dev", "--file", "-dev.yaml");
        assert.strictEqual(dashed.code, 1, dashed.stderr);
        assert.match(dashed.stderr, /no stack file at .*-dev\.yaml/);
    });

    // Before: both printed their text report, exit 0, into a pipe that expected JSON.
    it("--json with --vs or --cost, which print text, is a usage error", () => {
        for (const [other, ...rest] of [["--vs", "prod"], ["--cost"]]) {
            const { code, stdout, stderr } = runPlan("dev", other, ...rest, "--json");
            assert.strictEqual(code, 2, stderr);
            assert.strictEqual(stdout, "");
            assert.match(stderr, new RegExp(`^plan: --json prints one stack's plan; ${other} prints text and cannot be combined with it\nusage: npm run plan`));
        }
    });
});
