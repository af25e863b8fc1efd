import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { fixedNamesOf, renderFixedNames } from "../../scripts/plan/fixedNames";
import { unlistedNames } from "../harness/unlistedNames";
import { sharedPlan } from "./offlinePlan";
import { committedStackRun } from "../harness/committedStackRun";
import { asTheCliReadsIt } from "../harness/pulumiImportArguments";

/**
 * Inputs that give a resource its name in the cloud. A resource that sets one takes a name that something made before
 * the stack (the runbooks, a hand-made resource) may already hold.
 */
const NAME_INPUTS = ["name", "dashboardName", "accountId", "secretId", "repositoryId", "bucket", "functionName", "roleName", "topicName"];

/** A Lambda alias is named inside its own function, which has a generated name. */
const NAMED_INSIDE_ITS_PARENT = new Set(["aws:lambda/alias:Alias name"]);

describe("the names a stack takes itself, which must be free on its first up (the plan's section)", function () {
    this.timeout(60_000);

    it("dev: the ECR repository, the dashboard, the runtime account, its secret and the registry, each with the ID pulumi import adopts it by", async () => {
        const run = await committedStackRun("dev");
        const names = fixedNamesOf(run.cloud.resources);
        assert.deepStrictEqual(
            names.map((n) => [n.type, n.name]).sort(),
            [
                ["aws:cloudwatch/dashboard:Dashboard", "multicloud-service-dev"],
                ["aws:ecr/repository:Repository", "multicloud-service-dev"],
                ["gcp:artifactregistry/repository:Repository", "service-registry-dev"],
                ["gcp:secretmanager/secret:Secret", "service-dev-admin-token"],
                ["gcp:serviceaccount/account:Account", "service-dev"],
            ],
        );
        const command = (type: string) => String(names.find((n) => n.type === type)!.importCommand);
        // The ID formats of the providers' import docs (@pulumi/aws ecr/repository.d.ts: the name; terraform-provider-google
        // resource_google_service_account.go: ^projects/(?P<project>[^/]+)/serviceAccounts/(?P<email>[^/]+)$), the component
        // as --parent, and the stack's explicit provider by URN (the CLI refuses a provider reference, `<urn>::<id>`).
        assert.strictEqual(
            command("aws:ecr/repository:Repository"),
            "pulumi import --stack dev --parent 'pipeline=urn:pulumi:dev::multicloud-service::multicloud:index:LambdaEcrPipeline::pipeline' --provider 'aws=urn:pulumi:dev::multicloud-service::pulumi:providers:aws::aws' 'aws:ecr/repository:Repository' 'pipeline-repository' 'multicloud-service-dev'",
        );
        assert.match(command("gcp:serviceaccount/account:Account"), /^pulumi import --stack dev --parent 'service=urn:pulumi:dev::multicloud-service::multicloud:index:CloudRunGcsService::service' --provider 'gcp=urn:pulumi:dev::multicloud-service::pulumi:providers:gcp::gcp' 'gcp:serviceaccount\/account:Account' '[^']+' 'projects\/multicloud-service-dev\/serviceAccounts\/service-dev@multicloud-service-dev\.iam\.gserviceaccount\.com'$/);
        assert.match(command("gcp:artifactregistry/repository:Repository"), / 'projects\/multicloud-service-dev\/locations\/asia-northeast1\/repositories\/service-registry-dev'$/);
        assert.match(command("gcp:secretmanager/secret:Secret"), / 'projects\/multicloud-service-dev\/secrets\/service-dev-admin-token'$/);
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every resource that sets a name input is listed, or names something inside a resource the stack made`, async () => {
            const run = await committedStackRun(stack);
            // A name input that refers to a resource the stack made (an alias's function, a secret's version, a grant's bucket) is left out.
            assert.deepStrictEqual(unlistedNames(run.cloud.resources, NAME_INPUTS, NAMED_INSIDE_ITS_PARENT), []);
        });
    }

    it("a component inside a component: --parent names it by the URN the engine gives it, its parents' types joined with $", () => {
        // pulumi/pulumi resource/urn.go New: the parent's qualified type, `$`, the type. The Node mocks' URNs keep only
        // the parent's last type (sdk/nodejs/runtime/mocks.ts newUrn), which no real stack holds.
        const resource = (type: string, name: string, urn: string, parentUrn?: string, provider?: string) => ({ type, name, urn, parentUrn, provider, custom: !type.startsWith("my:"), inputs: {}, outputs: {} }) as unknown as RecordedResource;
        // URNs as the mocks give them: inner's keeps Outer but not Top.
        const top = resource("my:index:Top", "top", "urn:pulumi:dev::p::my:index:Top::top");
        const outer = resource("my:index:Outer", "outer", "urn:pulumi:dev::p::my:index:Top$my:index:Outer::outer", top.urn);
        const inner = resource("my:index:Inner", "inner", "urn:pulumi:dev::p::my:index:Outer$my:index:Inner::inner", outer.urn);
        const provider = resource("pulumi:providers:aws", "aws", "urn:pulumi:dev::p::pulumi:providers:aws::aws");
        const repository = resource("aws:ecr/repository:Repository", "repo", "urn:pulumi:dev::p::my:index:Inner$aws:ecr/repository:Repository::repo", inner.urn, `${provider.urn}::04da6b54`);
        repository.inputs = { name: "p-dev" };
        const [taken] = fixedNamesOf([top, outer, inner, provider, repository]);
        assert.strictEqual(taken.importCommand, "pulumi import --stack dev --parent 'inner=urn:pulumi:dev::p::my:index:Top$my:index:Outer$my:index:Inner::inner' --provider 'aws=urn:pulumi:dev::p::pulumi:providers:aws::aws' 'aws:ecr/repository:Repository' 'repo' 'p-dev'");
    });

    // The command is built as the release's pending-import remedy builds its own (release/stack/pulumiImportCommand.ts):
    // a name or an ID the shell would split or end early, or that pflag would read as a flag, still arrives whole.
    it("a name that begins with '-' and an ID that holds a quote and a $ reach pulumi import whole, in place", () => {
        const provider = { type: "pulumi:providers:aws", name: "aws", urn: "urn:pulumi:dev::p::pulumi:providers:aws::aws", custom: true, inputs: {}, outputs: {} } as unknown as RecordedResource;
        const type = "aws:cloudwatch/dashboard:Dashboard";
        const dashboard = { type, name: "-board", urn: `urn:pulumi:dev::p::${type}::-board`, provider: `${provider.urn}::04da6b54`, custom: true, inputs: { dashboardName: "it's $HOME" }, outputs: {} } as unknown as RecordedResource;
        const [taken] = fixedNamesOf([provider, dashboard]);
        assert.deepStrictEqual(asTheCliReadsIt(String(taken.importCommand)), {
            positional: [type, "-board", "it's $HOME"],
            flags: { "--stack": "dev", "--provider": `aws=${provider.urn}` },
        });
    });

    // A type of the table whose name input is left unset is auto-named (Pulumi docs, "Resource names": the provider
    // adds a random suffix), so no name of the account can be taken by it: not listed, nor an import of "undefined".
    it("a resource of a fixed-name type whose name input is unset takes no name", () => {
        const policy = (name: string, inputs: Record<string, unknown>) =>
            ({ type: "aws:iam/policy:Policy", name, urn: `urn:pulumi:main::p::aws:iam/policy:Policy::${name}`, custom: true, inputs, outputs: {} }) as unknown as RecordedResource;
        assert.deepStrictEqual(renderFixedNames([policy("auto", { policy: "{}" })]), ["  none: every resource gets a generated name"]);
        assert.deepStrictEqual(fixedNamesOf([policy("auto", { policy: "{}" }), policy("named", { name: "ci-publish", policy: "{}" })]).map((n) => n.name), ["ci-publish"]);
    });

    it("the plan prints the section, each name with what a taken one does and its import command", () => {
        const { code, stdout } = sharedPlan("dev");
        assert.strictEqual(code, 0);
        const section = stdout.slice(stdout.indexOf("Names already taken fail the first up:"), stdout.indexOf("\nOutputs:"));
        assert.match(section, /^ {2}multicloud-service-dev {2}\(aws:ecr\/repository:Repository pipeline-repository\): the create fails \(RepositoryAlreadyExistsException\)/m);
        assert.match(section, /^ {2}multicloud-service-dev {2}\(aws:cloudwatch\/dashboard:Dashboard pipeline-dashboard\): nothing fails: PutDashboard replaces the dashboard of that name/m);
        assert.strictEqual([...section.matchAll(/^ {4}pulumi import /gm)].length, 5);
    });

    // README "Names already taken" is what a team checks before a stack's first up: a name it leaves out is one nobody
    // frees or adopts first, and that up fails on it.
    it("the README's \"Names already taken\" names each of them, dev with databaseUrl set as much as any stack", async () => {
        const { config, secretKeys } = readStackFile("dev");
        const run = await runProgram("dev", { config: { ...config, "multicloud-service:databaseUrl": "postgres://db.internal/app" }, secretKeys: [...secretKeys, "multicloud-service:databaseUrl"] });
        const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
        const paragraph = readme.slice(readme.indexOf("**Names already taken.**"), readme.indexOf("\n\n", readme.indexOf("**Names already taken.**")));
        const patterns = fixedNamesOf(run.cloud.resources).map((n) => n.name.replace(/\bdev\b/, "<stack>"));
        assert.ok(patterns.includes("service-<stack>-database-url"), "databaseUrl makes a secret of a fixed ID");
        assert.deepStrictEqual(patterns.filter((name) => !paragraph.includes(`\`${name}\``)), [], "names the README does not list");
    });
});

