import * as assert from "assert";
import * as path from "path";
import { RecordedResource, runUnderMocks } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFileAt } from "../../scripts/offline/stackFile";
import { filesShapingTheDeployment, uncoveredBy } from "../harness/programFiles";

const PROJECT = "multicloud-service-deployments";

async function deploy(change: (settings: any) => void = () => {}) {
    const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
    const settings = JSON.parse(config[`${PROJECT}:settings`]);
    change(settings);
    const program = require("../../deployments/index");
    return runUnderMocks({ stack: "main", project: PROJECT, config: { ...config, [`${PROJECT}:settings`]: JSON.stringify(settings) } }, () => program());
}

describe("deployments/: Pulumi Deployments settings as code (under mocks)", function () {
    this.timeout(30_000);
    let resources: RecordedResource[];
    const settingsOf = (stack: string) => resources.find((r) => r.type === "pulumiservice:index:DeploymentSettings" && r.inputs.stack === stack)!.inputs;

    before(async () => {
        resources = (await deploy()).cloud.resources;
    });

    it("dev deploys on push to main, path-filtered so docs-only pushes deploy nothing, with PR previews", () => {
        const dev = settingsOf("dev");
        assert.strictEqual(dev.organization, "my-pulumi-org");
        assert.strictEqual(dev.project, "multicloud-service");
        assert.deepStrictEqual(dev.sourceContext.git.branch, "refs/heads/main");
        assert.strictEqual(dev.vcs.provider, "github");
        assert.strictEqual(dev.vcs.repository, "my-github-org/multicloud-service");
        assert.strictEqual(dev.vcs.deployCommits, true);
        assert.strictEqual(dev.vcs.previewPullRequests, true);
        assert.deepStrictEqual(uncoveredBy(dev.vcs.paths, filesShapingTheDeployment()), [], "a file that changes the deployment does not trigger one");
        assert.ok(!dev.vcs.paths.some((p: string) => /README|\.md|docs/.test(p)));
        assert.strictEqual(dev.github, undefined, "the deprecated github block is not used");
    });

    it("prod does not deploy on push (by hand or on a release tag), but previews pull requests", () => {
        const prod = settingsOf("prod");
        assert.strictEqual(prod.vcs.deployCommits, false);
        assert.strictEqual(prod.vcs.previewPullRequests, true);
    });

    it("AWS: an OIDC provider for Pulumi's issuer and a deploy role per stack trusting only that org, project and stack", () => {
        const provider = resources.find((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider")!;
        assert.strictEqual(provider.inputs.url, "https://api.pulumi.com/oidc");
        assert.deepStrictEqual(provider.inputs.clientIdLists, ["my-pulumi-org"]);
        for (const stack of ["dev", "prod"]) {
            const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.name === `deploy-${stack}`)!;
            const [statement] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
            assert.strictEqual(statement.Action, "sts:AssumeRoleWithWebIdentity");
            assert.deepStrictEqual(statement.Condition.StringEquals, { "api.pulumi.com/oidc:aud": "my-pulumi-org" });
            assert.deepStrictEqual(statement.Condition.StringLike, { "api.pulumi.com/oidc:sub": `pulumi:deploy:org:my-pulumi-org:project:multicloud-service:stack:${stack}:*` });
            assert.strictEqual(settingsOf(stack).operationContext.oidc.aws.roleARN, role.outputs.arn);
        }
    });

    it("GCP: a workload identity pool scoped to the org and project, impersonation per stack, no keys", () => {
        const provider = resources.find((r) => r.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" && r.name === "pulumi")!;
        assert.strictEqual(provider.inputs.oidc.issuerUri, "https://api.pulumi.com/oidc");
        assert.strictEqual(provider.inputs.attributeCondition, 'assertion.sub.startsWith("pulumi:deploy:org:my-pulumi-org:project:multicloud-service:stack:")');
        for (const stack of ["dev", "prod"]) {
            const binding = resources.find((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.name === `deploy-${stack}-impersonation`)!;
            assert.strictEqual(binding.inputs.role, "roles/iam.workloadIdentityUser");
            assert.match(binding.inputs.member, new RegExp(`^principalSet://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/pulumi-deployments/attribute\\.stack/${stack}$`));
            const oidc = settingsOf(stack).operationContext.oidc.gcp;
            assert.strictEqual(oidc.serviceAccount, `deploy-${stack}@multicloud-service-deployer.iam.gserviceaccount.com`);
            assert.strictEqual(oidc.workloadPoolId, "pulumi-deployments");
        }
        assert.deepStrictEqual(resources.filter((r) => r.type === "gcp:serviceaccount/key:Key"), []);
        assert.deepStrictEqual(resources.filter((r) => r.type === "aws:iam/accessKey:AccessKey"), []);
    });

    it("bad settings are refused before anything is registered, naming the key", async () => {
        await assert.rejects(deploy((s) => (s.repository = "not a repo")), /multicloud-service-deployments:settings\.repository: must be owner\/name/);
    });
});
