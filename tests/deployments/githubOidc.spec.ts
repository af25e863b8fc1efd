import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RecordedResource, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFileAt } from "../../scripts/offline/stackFile";
import { ACCOUNT, Decision, decideForRole as mayCall } from "../harness/iamSimulator";

const PROJECT = "multicloud-service-deployments";
const REPO = "my-github-org/multicloud-service";

async function deploy() {
    const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
    const program = require("../../deployments/index");
    return runUnderMocks({ stack: "main", project: PROJECT, config }, () => program());
}

/**
 * Whether a web-identity token (its issuer, `sub` and `aud`) may assume a role, by the role's trust policy. The IAM
 * simulator drops context keys of OIDC providers it has no data for (token.actions.githubusercontent.com:sub), so
 * this applies IAM's documented semantics of the two operators trust policies here use: StringEquals is exact,
 * StringLike matches `*` (any run) and `?` (one character); every key of every operator must match.
 */
function mayAssume(trustPolicy: { Statement: any[] }, claims: { sub: string; aud?: string; issuer?: string }): Decision {
    const issuer = claims.issuer ?? "token.actions.githubusercontent.com";
    const context: Record<string, string> = { [`${issuer}:sub`]: claims.sub, [`${issuer}:aud`]: claims.aud ?? "sts.amazonaws.com" };
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
    const operators: Record<string, (expected: string, actual: string) => boolean> = { StringEquals: (e, a) => e === a, StringLike: like };
    const allows = (st: any) =>
        st.Effect === "Allow" &&
        st.Action === "sts:AssumeRoleWithWebIdentity" &&
        st.Principal.Federated.endsWith(`oidc-provider/${issuer}`) &&
        Object.entries<Record<string, string | string[]>>(st.Condition).every(([op, keys]) =>
            Object.entries(keys).every(([key, values]) => key in context && [values].flat().some((v) => operators[op](v, context[key]))),
        );
    return trustPolicy.Statement.some(allows) ? "Allowed" : "ImplicitlyDenied";
}

describe("deployments/: the identities GitHub workflows use, and where deployers get their roles", function () {
    this.timeout(30_000);
    let resources: RecordedResource[];
    let outputs: Record<string, any>;
    const role = (name: string) => resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name)!;
    const trust = (name: string) => JSON.parse(role(name).inputs.assumeRolePolicy);
    const members = (type: string, prefix: string) => resources.filter((r) => r.type === type && r.name.startsWith(prefix));

    before(async () => {
        const run = await deploy();
        resources = run.cloud.resources;
        outputs = await valueOf(run.result as any);
    });

    it("each stack's deployer gets its roles in that stack's own GCP project (from its stack file), not the identity pool's", () => {
        for (const stack of ["dev", "prod"]) {
            const grants = members("gcp:projects/iAMMember:IAMMember", `deploy-${stack}-`);
            assert.ok(grants.length >= 8);
            assert.deepStrictEqual([...new Set(grants.map((g) => g.inputs.project))], [`multicloud-service-${stack}`]);
        }
    });

    it("GitHub's OIDC provider in AWS, for the audience configure-aws-credentials asks for", () => {
        const github = resources.find((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" && r.name === "github-oidc")!;
        assert.strictEqual(github.inputs.url, "https://token.actions.githubusercontent.com");
        assert.deepStrictEqual(github.inputs.clientIdLists, ["sts.amazonaws.com"]);
    });

    const assumeCases: [roleName: string, sub: string, expected: Decision][] = [
        ["image-dev", `repo:${REPO}:ref:refs/heads/main`, "Allowed"],
        ["image-dev", `repo:${REPO}:ref:refs/heads/feature`, "ImplicitlyDenied"],
        ["image-dev", `repo:${REPO}:pull_request`, "ImplicitlyDenied"],
        ["image-dev", `repo:someone-else/multicloud-service:ref:refs/heads/main`, "ImplicitlyDenied"],
        ["image-prod", `repo:${REPO}:ref:refs/tags/v1.2.3`, "Allowed"],
        ["image-prod", `repo:${REPO}:ref:refs/heads/main`, "ImplicitlyDenied"],
        ["image-prod", `repo:${REPO}:ref:refs/tags/nightly`, "ImplicitlyDenied"],
        ["preview", `repo:${REPO}:pull_request`, "Allowed"],
        ["preview", `repo:${REPO}:ref:refs/heads/main`, "ImplicitlyDenied"],
        ["deploy-prod", `repo:${REPO}:environment:prod`, "Allowed"],
        ["deploy-prod", `repo:${REPO}:environment:dev`, "ImplicitlyDenied"],
        ["deploy-prod", `repo:${REPO}:ref:refs/tags/v1.2.3`, "ImplicitlyDenied"],
        ["deploy-dev", `repo:${REPO}:environment:dev`, "ImplicitlyDenied"],
    ];
    for (const [roleName, sub, expected] of assumeCases) {
        it(`${roleName}: a GitHub token with sub ${sub.replace(REPO, "<repo>")} is ${expected}`, async () => {
            assert.strictEqual(mayAssume(trust(roleName), { sub }), expected);
        });
    }

    it("a GitHub token for another audience may assume nothing; Pulumi Deployments of prod (only) may still assume deploy-prod", async () => {
        assert.strictEqual(mayAssume(trust("image-dev"), { sub: `repo:${REPO}:ref:refs/heads/main`, aud: "other" }), "ImplicitlyDenied");
        const pulumiSub = "pulumi:deploy:org:my-pulumi-org:project:multicloud-service:stack:prod:operation:update:scope:write";
        assert.strictEqual(mayAssume(trust("deploy-prod"), { sub: pulumiSub, aud: "my-pulumi-org", issuer: "api.pulumi.com/oidc" }), "Allowed");
        assert.strictEqual(mayAssume(trust("deploy-dev"), { sub: pulumiSub, aud: "my-pulumi-org", issuer: "api.pulumi.com/oidc" }), "ImplicitlyDenied");
    });

    it("an image role may log in and push to its own stack's ECR repository, and nothing else", async () => {
        const policy = JSON.parse(role("image-dev").inputs.inlinePolicies[0].policy);
        const own = `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/multicloud-service-dev`;
        const other = `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/multicloud-service-prod`;
        for (const action of ["ecr:PutImage", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:CompleteLayerUpload"]) {
            assert.strictEqual(await mayCall(policy, action, own), "Allowed", action);
            assert.strictEqual(await mayCall(policy, action, other), "ImplicitlyDenied", `${action} on prod's repository`);
        }
        assert.strictEqual(await mayCall(policy, "ecr:GetAuthorizationToken", "*"), "Allowed");
        assert.strictEqual(await mayCall(policy, "ecr:BatchDeleteImage", own), "ImplicitlyDenied");
        assert.strictEqual(await mayCall(policy, "ecr:PutLifecyclePolicy", own), "ImplicitlyDenied");
    });

    it("GCP: GitHub's provider accepts this repository only; image accounts write only their stack's Artifact Registry repository", () => {
        const github = resources.find((r) => r.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" && r.name === "github")!;
        assert.strictEqual(github.inputs.oidc.issuerUri, "https://token.actions.githubusercontent.com");
        assert.strictEqual(github.inputs.attributeCondition, `assertion.repository == "${REPO}"`);
        for (const stack of ["dev", "prod"]) {
            const [writer] = members("gcp:projects/iAMMember:IAMMember", `image-${stack}-`);
            assert.strictEqual(writer.inputs.role, "roles/artifactregistry.writer");
            assert.strictEqual(writer.inputs.project, `multicloud-service-${stack}`);
            assert.strictEqual(writer.inputs.condition.expression, `resource.name.startsWith("projects/multicloud-service-${stack}/locations/asia-northeast1/repositories/service-registry-${stack}")`);
        }
        const pool = "principal(Set)?://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/pulumi-deployments";
        const impersonation = (name: string) => resources.find((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.name === name)!.inputs.member;
        assert.match(impersonation("image-dev-impersonation"), new RegExp(`^${pool}/subject/repo:${REPO}:ref:refs/heads/main$`));
        assert.match(impersonation("image-prod-impersonation"), new RegExp(`^${pool}/attribute\\.release/yes$`));
        assert.match(impersonation("preview-impersonation"), new RegExp(`^${pool}/subject/repo:${REPO}:pull_request$`));
        assert.match(impersonation("deploy-prod-github-environment"), new RegExp(`^${pool}/subject/repo:${REPO}:environment:prod$`));
        assert.ok(!resources.some((r) => r.name === "deploy-dev-github-environment"), "dev is deployed by Pulumi Deployments only");
        const previewGrants = members("gcp:projects/iAMMember:IAMMember", "preview-");
        assert.deepStrictEqual(previewGrants.map((g) => `${g.inputs.project} ${g.inputs.role}`).sort(), [
            "multicloud-service-dev roles/iam.securityReviewer",
            "multicloud-service-dev roles/viewer",
            "multicloud-service-prod roles/iam.securityReviewer",
            "multicloud-service-prod roles/viewer",
        ]);
    });

    it("the stack outputs name every secret the workflows read (but the Pulumi org), with a value", () => {
        const workflows = path.join(PROJECT_ROOT, ".github", "workflows");
        const wanted = new Set<string>();
        for (const file of fs.readdirSync(workflows)) {
            const text = fs.readFileSync(path.join(workflows, file), "utf8");
            for (const [, name] of text.matchAll(/secrets\.([A-Z0-9_]+)/g)) wanted.add(name);
            const doc = parse(text);
            for (const job of Object.values<any>(doc.jobs ?? {})) {
                for (const entry of job.strategy?.matrix?.include ?? []) for (const v of Object.values(entry)) if (typeof v === "string" && /^[A-Z0-9_]+$/.test(v)) wanted.add(v);
            }
        }
        wanted.delete("PULUMI_ORG");
        assert.ok(wanted.size >= 9, `found only ${[...wanted].join(", ")}`);
        for (const name of wanted) assert.ok(typeof outputs.githubSecrets[name] === "string" && outputs.githubSecrets[name].length > 0, `${name} is not an output`);
    });
});
