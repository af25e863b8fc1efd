import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RecordedResource, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { ACCOUNT, Decision, decide, decideForRole as mayCall, decideForRoleSession } from "../harness/iamSimulator";
import { committedStackRun } from "../harness/committedStackRun";
import { REPO, SUBJECT } from "./deploymentsPlan";
import { mayAssume } from "./webIdentityTrust";
import { IssuerPolicy, PulumiTokenRequest, exchanges } from "./pulumiIssuerPolicy";

const PROJECT = "multicloud-service-deployments";

/** A token's sub for a test's name or message, this repository's own prefix shortened. */
const shown = (sub: string) => sub.replace(SUBJECT, "<prefix>");

/**
 * A role's use of the image signing key, as KMS decides it: the key's own policy (a resource policy KMS requires
 * besides IAM: KMS Developer Guide, "Key policies") and the role's identity policies, for a session of the role.
 */
const mayUseKey = (identityPolicies: object[], action: string, keyArn: string, keyPolicy: object, roleArn: string) =>
    decideForRoleSession(roleArn, { action, resource: keyArn, identityPolicies, resourcePolicy: keyPolicy });

/**
 * The policy KMS gives a key created without one (KMS Developer Guide, "Default key policy"): the account's IAM
 * policies decide who uses the key.
 */
const DEFAULT_KEY_POLICY = { Version: "2012-10-17", Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }] };
/** The signing key's policy as KMS holds it: the one the program gives, else KMS's default. */
const keyPolicyOf = (key: RecordedResource) => (key.inputs.policy ? JSON.parse(key.inputs.policy) : DEFAULT_KEY_POLICY);

/** AWS's PowerUserAccess (v12), what awsPolicyArns gives deploy roles: everything but IAM, Organizations and Account (AWS Managed Policy Reference, PowerUserAccess). */
const POWER_USER_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" }] };
/** AWS's AdministratorAccess: an administrator of the account (AWS Managed Policy Reference, AdministratorAccess). */
const ADMINISTRATOR_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

async function deploy() {
    const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
    const program = require("../../deployments/index");
    return runUnderMocks({ stack: "main", project: PROJECT, config }, () => program());
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
        ["image-dev", `${SUBJECT}:ref:refs/heads/main`, "Allowed"],
        ["image-dev", `${SUBJECT}:ref:refs/heads/feature`, "ImplicitlyDenied"],
        ["image-dev", `${SUBJECT}:pull_request`, "ImplicitlyDenied"],
        ["image-dev", `repo:someone-else/multicloud-service:ref:refs/heads/main`, "ImplicitlyDenied"],
        ["promote-prod", `${SUBJECT}:environment:prod`, "Allowed"],
        ["promote-prod", `${SUBJECT}:environment:dev`, "ImplicitlyDenied"],
        ["promote-prod", `${SUBJECT}:ref:refs/tags/release/v1.2.3`, "ImplicitlyDenied"],
        ["promote-prod", `${SUBJECT}:ref:refs/heads/main`, "ImplicitlyDenied"],
        ["promote-prod", `${SUBJECT}:pull_request`, "ImplicitlyDenied"],
        ["promote-prod", `repo:someone-else/multicloud-service:environment:prod`, "ImplicitlyDenied"],
        // The names alone: what a repository that took over the name after this one was renamed or deleted would
        // present, if it had no IDs in its subject (GitHub changelog 2026-04-23, "Immutable subject claims").
        ["image-dev", `repo:${REPO}:ref:refs/heads/main`, "ImplicitlyDenied"],
        ["promote-prod", `repo:${REPO}:environment:prod`, "ImplicitlyDenied"],
    ];
    // Every GitHub token names its workflow file and ref (job_workflow_ref: GitHub docs, "OpenID Connect reference").
    const workflowOf = (sub: string) => `${REPO}/.github/workflows/${sub.includes(":environment:") ? "deploy-prod.yml@refs/tags/release/v1.2.3" : "image.yml@refs/heads/main"}`;
    for (const [roleName, sub, expected] of assumeCases) {
        it(`${roleName}: a GitHub token with sub ${shown(sub)} is ${expected}`, async () => {
            assert.strictEqual(mayAssume(trust(roleName), { sub, others: { job_workflow_ref: workflowOf(sub) } }), expected);
        });
    }

    // pull_request_target, issue_comment, schedule, workflow_dispatch and workflow_run on main carry the push's subject
    // (GitHub docs, "OpenID Connect reference"): only the workflow the token names tells image.yml's jobs from theirs.
    it("image-dev: another workflow's job on main, with the push's very subject, is ImplicitlyDenied; so is a token naming no workflow", () => {
        const sub = `${SUBJECT}:ref:refs/heads/main`;
        for (const workflow of [`${REPO}/.github/workflows/triage.yml@refs/heads/main`, `${REPO}/.github/workflows/preview.yml@refs/heads/main`, `${REPO}/.github/workflows/image.yml@refs/heads/feature`, `someone/multicloud-service/.github/workflows/image.yml@refs/heads/main`]) {
            assert.strictEqual(mayAssume(trust("image-dev"), { sub, others: { job_workflow_ref: workflow } }), "ImplicitlyDenied", workflow);
        }
        assert.strictEqual(mayAssume(trust("image-dev"), { sub }), "ImplicitlyDenied", "no job_workflow_ref");
    });

    it("no role trusts a pull request's GitHub token, or any GitHub token for another audience; deploy and preview roles trust no GitHub token at all", () => {
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
        assert.ok(!roles.some((r) => r.name === "image-prod"), "prod builds no image any more: it is promoted");
        for (const r of roles) {
            assert.strictEqual(mayAssume(trust(r.name), { sub: `${SUBJECT}:pull_request` }), "ImplicitlyDenied", r.name);
            assert.strictEqual(mayAssume(trust(r.name), { sub: `${SUBJECT}:ref:refs/heads/main`, aud: "other" }), "ImplicitlyDenied", r.name);
        }
        for (const name of ["deploy-dev", "deploy-prod", "deploy-review", "preview"]) {
            for (const sub of [`${SUBJECT}:environment:prod`, `${SUBJECT}:ref:refs/heads/main`]) assert.strictEqual(mayAssume(trust(name), { sub }), "ImplicitlyDenied", `${name} ${sub}`);
        }
    });

    // The Pulumi logins of preview.yml and deploy-prod.yml (pulumi/auth-actions, a team token for urn:pulumi:org:<org>):
    // the GitHub issuer's policies decide which job gets which team's token, and a token opens that team's environments.
    it("Pulumi Cloud: a pull request's GitHub token gets the previewers' token, a job in prod's environment the releasers', and no other job or token either", () => {
        const issuer = resources.find((r) => r.type === "pulumiservice:index:OidcIssuer")!;
        const policies: IssuerPolicy[] = issuer.inputs.policies;
        const team = (name: string): PulumiTokenRequest => ({ tokenType: "team", team: `multicloud-service-${name}` });
        const gets = (sub: string, request: PulumiTokenRequest, aud = "urn:pulumi:org:my-pulumi-org") => exchanges(policies, { sub, aud }, request);
        const pullRequest = `${SUBJECT}:pull_request`;
        const prodJob = `${SUBJECT}:environment:prod`;
        assert.ok(gets(pullRequest, team("previewers")), "preview.yml's login");
        assert.ok(gets(prodJob, team("releasers")), "deploy-prod.yml's login");
        const others = [`${SUBJECT}:ref:refs/heads/main`, `${SUBJECT}:environment:dev`, `repo:someone-else/multicloud-service:pull_request`, `repo:${REPO}:pull_request`, `repo:${REPO}:environment:prod`];
        for (const sub of [prodJob, ...others]) assert.ok(!gets(sub, team("previewers")), `${shown(sub)} gets the previewers' token`);
        for (const sub of [pullRequest, ...others]) assert.ok(!gets(sub, team("releasers")), `${shown(sub)} gets the releasers' token`);
        for (const sub of [pullRequest, prodJob]) {
            for (const request of [team("deployers"), team("reviewers"), { tokenType: "organization" } as const]) {
                assert.ok(!gets(sub, request), `${shown(sub)} gets ${JSON.stringify(request)}`);
            }
            assert.ok(!gets(sub, team(sub === pullRequest ? "previewers" : "releasers"), "sts.amazonaws.com"), `${shown(sub)}: a token for another audience`);
        }
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
        // image.yml's login to ECR Public, where the builds pull the base image (aws-actions/amazon-ecr-login README, "ECR Public").
        for (const action of ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"]) assert.strictEqual(await mayCall(policy, action, "*"), "Allowed", action);
        assert.strictEqual(await mayCall(policy, "ecr-public:PutImage", `arn:aws:ecr-public::${ACCOUNT}:repository/anything`), "ImplicitlyDenied", "a login, not a push");
        assert.strictEqual(await mayCall(policy, "ecr:BatchDeleteImage", own), "ImplicitlyDenied");
        assert.strictEqual(await mayCall(policy, "ecr:PutLifecyclePolicy", own), "ImplicitlyDenied");
    });

    it("the promotion role may pull dev's image and push prod's, and nothing else", async () => {
        const policy = JSON.parse(role("promote-prod").inputs.inlinePolicies[0].policy);
        const dev = `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/multicloud-service-dev`;
        const prod = `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/multicloud-service-prod`;
        for (const action of ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"]) {
            assert.strictEqual(await mayCall(policy, action, dev), "Allowed", `${action} on dev's repository`);
        }
        for (const action of ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:DescribeImages"]) {
            assert.strictEqual(await mayCall(policy, action, prod), "Allowed", `${action} on prod's repository`);
            if (action !== "ecr:DescribeImages") assert.strictEqual(await mayCall(policy, action, dev), "ImplicitlyDenied", `${action} on dev's repository`);
        }
        assert.strictEqual(await mayCall(policy, "ecr:GetAuthorizationToken", "*"), "Allowed");
        for (const action of ["ecr:BatchDeleteImage", "ecr:PutLifecyclePolicy", "ecr:DeleteRepository"]) {
            for (const repo of [dev, prod]) assert.strictEqual(await mayCall(policy, action, repo), "ImplicitlyDenied", `${action} on ${repo}`);
        }
        assert.strictEqual(await mayCall(policy, "ecr:BatchGetImage", `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/someone-else`), "ImplicitlyDenied");
    });

    it("the image signing key: ECDSA P-256 under the alias prod's image.verify names; only the image role signs, the promotion reads its public half", async () => {
        const key = resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "image-signing")!;
        assert.deepStrictEqual([key.inputs.customerMasterKeySpec, key.inputs.keyUsage], ["ECC_NIST_P256", "SIGN_VERIFY"]);
        const alias = resources.find((r) => r.type === "aws:kms/alias:Alias" && r.name === "image-signing")!;
        const prodImage = JSON.parse(readStackFileAt(path.join(PROJECT_ROOT, "Pulumi.prod.yaml")).config["multicloud-service:image"]);
        assert.strictEqual(`awskms:///${alias.inputs.name}`, prodImage.verify.signingKey);
        const keyArn = String(key.outputs.arn);
        const keyPolicy = keyPolicyOf(key);
        const use = (name: string, policies: object[], action: string) => mayUseKey(policies, action, keyArn, keyPolicy, String(role(name).outputs.arn));
        const image = JSON.parse(role("image-dev").inputs.inlinePolicies[0].policy);
        const promotion = JSON.parse(role("promote-prod").inputs.inlinePolicies[0].policy);
        for (const action of ["kms:Sign", "kms:GetPublicKey"]) assert.strictEqual(await use("image-dev", [image], action), "Allowed", `image-dev ${action}`);
        assert.strictEqual(await use("promote-prod", [promotion], "kms:GetPublicKey"), "Allowed");
        assert.strictEqual(await use("promote-prod", [promotion], "kms:Sign"), "ExplicitlyDenied", "the promotion never signs");
        // Nor does its own policy grant signing: under KMS's default key policy, which leaves the key's use to IAM, the
        // promotion still may not sign. The key's denial is the second fence, not the only one.
        assert.strictEqual(await mayUseKey([promotion], "kms:Sign", keyArn, DEFAULT_KEY_POLICY, String(role("promote-prod").outputs.arn)), "ImplicitlyDenied", "the promotion's own policy grants kms:Sign");
        assert.strictEqual(await mayUseKey([image], "kms:Sign", `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/another`, keyPolicy, String(role("image-dev").outputs.arn)), "ImplicitlyDenied");
    });

    // IAM holds one OIDC provider per issuer URL and account, which other projects' roles come to trust (docs/setup.md:
    // existingAwsOidcProviders). Taking one out of the program (naming it as existing, or a destroy) must not delete it.
    it("the OIDC providers deployments/ makes are the account's: kept in it when the program lets them go", () => {
        const providers = resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.deepStrictEqual(providers.map((p) => [p.name, p.options.retainOnDelete]), [["pulumi-oidc", true], ["github-oidc", true]]);
    });

    // Naming a provider this program made under existingAwsOidcProviders takes it out of the program, a delete step that
    // retainOnDelete turns into letting it go. A protected one would stop that `up` instead: Pulumi's "Resource option:
    // protect" page: it is an error to do a deployment which tries to delete a protected resource for any reason.
    it("the OIDC providers are let go, not protected: naming one under existingAwsOidcProviders later does not stop the up", () => {
        const providers = resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.deepStrictEqual(providers.map((p) => [p.name, Boolean(p.options.protect)]), [["pulumi-oidc", false], ["github-oidc", false]]);
    });

    // Deleting a KMS key only schedules it (terraform-provider-aws kms key delete: ScheduleKeyDeletion), the alias goes
    // at once, and an `up` after a destroy would make a new key under the alias prod verifies with: no image signed
    // before would verify. The key stays in the state through a destroy, and in the account once let go.
    it("the image signing key outlives a destroy of deployments/: protected, and kept when let go", () => {
        const key = resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "image-signing")!;
        assert.deepStrictEqual(key.options, { protect: true, retainOnDelete: true });
    });

    // Every role of dev, prod and each review stack carries the workload boundary (their ESC environments name it), and IAM
    // refuses DeletePolicy on a policy that is any role's boundary (DeleteConflict); the provider does not take it off
    // first (terraform-provider-aws iam/policy.go resourcePolicyDelete). Setup's `pulumi destroy --exclude-protected` of
    // deployments/, run while the stacks live, must leave it, and the next `up` find it in its state.
    it("the workload boundary outlives a destroy of deployments/: protected, as the stacks' roles carry it", () => {
        const boundary = resources.find((r) => r.type === "aws:iam/policy:Policy" && r.name === "workload-boundary")!;
        assert.deepStrictEqual(boundary.options, { protect: true, retainOnDelete: false });
    });

    it("the image signing key refuses the deploy roles' PowerUserAccess: no deploy role signs, rewrites the key's policy or grants its use", async () => {
        const key = resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "image-signing")!;
        const keyArn = String(key.outputs.arn);
        const keyPolicy = keyPolicyOf(key);
        for (const stack of ["dev", "review", "prod"]) {
            const deployRole = String(role(`deploy-${stack}`).outputs.arn);
            assert.strictEqual(await mayUseKey([POWER_USER_ACCESS], "kms:Sign", keyArn, keyPolicy, deployRole), "ExplicitlyDenied", `deploy-${stack} signs an image prod would run`);
            assert.strictEqual(await mayUseKey([POWER_USER_ACCESS], "kms:GetPublicKey", keyArn, keyPolicy, deployRole), "Allowed", `deploy-${stack} verifies`);
            // DeleteAlias takes "kms:DeleteAlias on the KMS key (key policy)" besides the alias (KMS API Reference,
            // DeleteAlias, "Required permissions"): with it a deploy role could delete the alias prod verifies with and
            // CreateAlias it on a key of its own, which only IAM (PowerUserAccess) guards. DisableKey stops every signing
            // and verification (KMS API Reference, DisableKey: "kms:DisableKey (key policy)").
            for (const action of ["kms:PutKeyPolicy", "kms:CreateGrant", "kms:ScheduleKeyDeletion", "kms:UpdateAlias", "kms:DeleteAlias", "kms:DisableKey"]) {
                assert.strictEqual(await mayUseKey([POWER_USER_ACCESS], action, keyArn, keyPolicy, deployRole), "ExplicitlyDenied", `deploy-${stack} ${action}`);
            }
        }
        assert.strictEqual(await mayUseKey([POWER_USER_ACCESS], "kms:Sign", keyArn, keyPolicy, String(role("preview").outputs.arn)), "ExplicitlyDenied");
        // The account's own administrators keep the key manageable (KMS refuses a policy that would lock them out).
        const administrator = `arn:aws:iam::${ACCOUNT}:role/Administrator`;
        assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:PutKeyPolicy", keyArn, keyPolicy, administrator), "Allowed");
        assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:Sign", keyArn, keyPolicy, administrator), "ExplicitlyDenied", "signing is the image workflow's alone");
        // Every role this stack makes is one the key's policy names (its logical name, then Pulumi's autonaming
        // suffix), and the image roles are the only signers; an administrator's role of another name is neither. Asked
        // of the simulator, whose ArnLike matches each of the ARN's six parts on its own, `*` across `/` (IAM User
        // Guide, "Amazon Resource Name (ARN) condition operators"), as AWS does.
        for (const r of resources.filter((r) => r.type === "aws:iam/role:Role")) {
            const arn = String(r.outputs.arn);
            assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:PutKeyPolicy", keyArn, keyPolicy, arn), "ExplicitlyDenied", `${arn}: a role the key's policy does not know`);
            assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:Sign", keyArn, keyPolicy, arn), r.name.startsWith("image-") ? "Allowed" : "ExplicitlyDenied", `${arn}: a signer only if it is an image role`);
        }
        for (const other of ["deploy-admin", "preview-team", "Administrator", "ops/multicloud-service-admin"]) {
            assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:PutKeyPolicy", keyArn, keyPolicy, `arn:aws:iam::${ACCOUNT}:role/${other}`), "Allowed", other);
        }
    });

    it("with no stack deployed on push there is no image role, and the key's policy lets nobody sign, with no condition of no values", async () => {
        const { imageSigningKeyPolicy } = await import("../../deployments/imageSigningKey");
        const keyPolicy = imageSigningKeyPolicy(ACCOUNT, { signers: [], all: ["deploy-dev", "preview"], workloadRoleArns: (account) => `arn:aws:iam::${account}:role/multicloud-service-*` });
        const conditionValues = keyPolicy.Statement.flatMap((st: any) => Object.values(st.Condition ?? {}).flatMap((test: any) => Object.values(test)));
        assert.ok(conditionValues.every((values) => !Array.isArray(values) || values.length > 0), JSON.stringify(keyPolicy.Statement));
        const keyArn = `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/k`;
        assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:Sign", keyArn, keyPolicy, `arn:aws:iam::${ACCOUNT}:role/Administrator`), "ExplicitlyDenied");
        assert.strictEqual(await mayUseKey([ADMINISTRATOR_ACCESS], "kms:PutKeyPolicy", keyArn, keyPolicy, `arn:aws:iam::${ACCOUNT}:role/Administrator`), "Allowed");
    });

    it("a deploy role's IAM is the service's own roles, each under the workload boundary: no deploy role rewrites a trust, makes a signer or passes an identity", async () => {
        // Before, IAMFullAccess: a review stack's code (deploy-review) could rewrite deploy-prod's trust or make a role
        // the signing key takes for image.yml's. AWS's pattern for delegated role creation: a permissions boundary every
        // role it writes must carry (IAM User Guide, "Permissions boundaries for IAM entities").
        const boundary = resources.find((r) => r.type === "aws:iam/policy:Policy" && r.name === "workload-boundary")!;
        const boundaryArn = String(boundary.outputs.arn);
        const boundaryPolicy = JSON.parse(boundary.inputs.policy);
        const delegated = (stack: string) => JSON.parse(role(`deploy-${stack}`).inputs.inlinePolicies.find((p: { name: string }) => p.name === "delegated-iam").policy);
        for (const stack of ["dev", "review", "prod"]) assert.deepStrictEqual(role(`deploy-${stack}`).inputs.managedPolicyArns, ["arn:aws:iam::aws:policy/PowerUserAccess"], `deploy-${stack}: no IAMFullAccess`);
        const deployReview = String(role("deploy-review").outputs.arn);
        const as = (action: string, resource: string, context: Record<string, string> = {}, extra: object[] = []) =>
            decideForRoleSession(deployReview, { action, resource, identityPolicies: [POWER_USER_ACCESS, delegated("review"), ...extra], context });
        const workload = `arn:aws:iam::${ACCOUNT}:role/pipeline-api-1a2b3c4`;
        const withBoundary = { "iam:PermissionsBoundary": boundaryArn };
        const toLambda = { "iam:PassedToService": "lambda.amazonaws.com" };
        assert.strictEqual(await as("iam:CreateRole", workload, withBoundary), "Allowed", "the service's roles, bounded");
        assert.strictEqual(await as("iam:PutRolePolicy", workload, withBoundary), "Allowed");
        assert.strictEqual(await as("iam:TagRole", workload, { "aws:RequestTag/project": "multicloud-service" }), "Allowed", "created with the stack's tags");
        assert.strictEqual(await as("iam:PassRole", workload, toLambda), "Allowed");
        // The health check's schedule (CreateSchedule passes its role to Scheduler). Before: AccessDenied at its create.
        assert.strictEqual(await as("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/pipeline-schedule-1a2b3c4`, { "iam:PassedToService": "scheduler.amazonaws.com" }), "Allowed");
        // A stack that ran before: the boundary is put on its roles in place (replacing them would delete the role of
        // the stable Lambda version a release keeps serving).
        assert.strictEqual(await as("iam:PutRolePermissionsBoundary", workload, withBoundary), "Allowed");
        // ... and only the service's: another role given the boundary would then be the deploy role's to rewrite.
        const opsAdmin = `arn:aws:iam::${ACCOUNT}:role/ops-admin`;
        for (const action of ["iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy"]) {
            assert.notStrictEqual(await as(action, opsAdmin, withBoundary), "Allowed", `${action} on another role of the account`);
        }
        assert.notStrictEqual(await as("iam:TagRole", opsAdmin, { "aws:RequestTag/project": "multicloud-service" }), "Allowed", "tag another role");
        // A stack that ran before the boundary can still be destroyed: the service's roles' deletes are allowed by name.
        assert.strictEqual(await as("iam:DeleteRole", workload), "Allowed");
        assert.strictEqual(await as("iam:DeleteRolePolicy", workload, withBoundary), "Allowed");
        assert.notStrictEqual(await as("iam:DeleteRole", opsAdmin, { "aws:ResourceTag/project": "multicloud-service" }), "Allowed", "another role, even tagged");
        assert.strictEqual(await as("iam:CreateRole", workload), "ExplicitlyDenied", "a role without the boundary");
        assert.strictEqual(await as("iam:PutRolePolicy", workload), "ExplicitlyDenied", "a role without the boundary");
        assert.strictEqual(await as("iam:DeleteRolePermissionsBoundary", workload, withBoundary), "ExplicitlyDenied");
        assert.strictEqual(await as("iam:PassRole", workload, { "iam:PassedToService": "ec2.amazonaws.com" }), "ImplicitlyDenied");
        assert.strictEqual(await as("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/Administrator`, toLambda), "ExplicitlyDenied", "another role of the account");
        // The preview role too (its logical name `preview`, autonamed `preview-<7 hex>`): pull requests' credentials.
        for (const identity of ["deploy-prod", "image-dev", "promote-prod", "preview"]) {
            const arn = String(role(identity).outputs.arn);
            assert.strictEqual(await as("iam:UpdateAssumeRolePolicy", arn), "ExplicitlyDenied", `rewrite ${identity}'s trust`);
            assert.strictEqual(await as("iam:PassRole", arn, toLambda), "ExplicitlyDenied", `run a function as ${identity}`);
            assert.strictEqual(await as("iam:DeleteRole", arn), "ExplicitlyDenied", `delete ${identity}`);
        }
        assert.strictEqual(await as("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/image-dev-0000000`, withBoundary), "ExplicitlyDenied", "a role named like image.yml's signer");
        // ... under a path too: the service's roles' pattern (role/pipeline-api-*) matches role/pipeline-api-x/image-dev-....
        assert.strictEqual(await as("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/pipeline-api-x/image-dev-0000000`, withBoundary), "ExplicitlyDenied", "a role named like image.yml's signer, under a path");
        // The denials hold whatever else awsPolicyArns gives (IAMFullAccess-like: iam:* on *).
        const iamStar = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] };
        assert.strictEqual(await as("iam:CreateRole", workload, {}, [iamStar]), "ExplicitlyDenied", "an unbounded role, with iam:*");
        assert.strictEqual(await as("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/Administrator`, toLambda, [iamStar]), "ExplicitlyDenied", "another role, with iam:*");
        // ... and a role under another boundary is no bounded role: AdministratorAccess as its boundary bounds nothing.
        const otherBoundary = { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" };
        for (const action of ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]) {
            assert.strictEqual(await as(action, workload, otherBoundary, [iamStar]), "ExplicitlyDenied", `${action} under another boundary, with iam:*`);
        }
        // Whatever a bounded role is given, the boundary keeps IAM, role assumption and signing from it.
        const bounded = (action: string, resource: string) => decide({ principal: workload, action, resource, identityPolicies: [ADMINISTRATOR_ACCESS], permissionsBoundary: boundaryPolicy });
        assert.strictEqual(await bounded("s3:GetObject", "arn:aws:s3:::bucket/key"), "Allowed");
        for (const [action, resource] of [["iam:UpdateAssumeRolePolicy", String(role("deploy-prod").outputs.arn)], ["sts:AssumeRole", String(role("deploy-prod").outputs.arn)], ["kms:Sign", `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/k`]]) {
            assert.strictEqual(await bounded(action, resource), "ExplicitlyDenied", action);
        }
        // Nor can a bounded role, given kms:* by its own policy, undo the signing key's fence or move its alias: the
        // boundary and the key's policy both refuse it.
        const key = resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "image-signing")!;
        const kmsStar = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] };
        for (const action of ["kms:PutKeyPolicy", "kms:UpdateAlias", "kms:CreateGrant", "kms:ScheduleKeyDeletion", "kms:Sign"]) {
            const onKey = { action, resource: String(key.outputs.arn), identityPolicies: [kmsStar], resourcePolicy: keyPolicyOf(key) };
            assert.strictEqual(await decideForRoleSession(workload, { ...onKey, permissionsBoundary: boundaryPolicy }), "ExplicitlyDenied", `${action} under the boundary`);
            assert.strictEqual(await decideForRoleSession(workload, onKey), "ExplicitlyDenied", `${action} by the key's policy alone`);
            // ... and the boundary alone: on a key whose policy leaves its use to IAM (KMS's default), as any other key of the account.
            const onAnotherKey = { action, resource: `arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/another`, identityPolicies: [kmsStar], resourcePolicy: DEFAULT_KEY_POLICY };
            assert.strictEqual(await decideForRoleSession(workload, { ...onAnotherKey, permissionsBoundary: boundaryPolicy }), "ExplicitlyDenied", `${action} by the boundary alone`);
        }
    });

    it("the health check's schedule group: each deploy role may create, tag, read and delete it, and the preview role read it and its tags, writing none of it", async () => {
        // Its own group (components/aws/healthCheck.ts), so its alarm reads this stack's Scheduler metrics alone. The
        // provider creates it with its tags (CreateScheduleGroup, Tags), reads it and its tags on every refresh and
        // preview, and deletes it on destroy (botocore scheduler model; TagResource: "You can only assign tags to schedule groups").
        const group = `arn:aws:scheduler:ap-northeast-1:${ACCOUNT}:schedule-group/pipeline-health-1a2b3c4`;
        const inline = (name: string) => (role(name).inputs.inlinePolicies ?? []).map((p: { policy: string }) => JSON.parse(p.policy));
        const writes = ["scheduler:CreateScheduleGroup", "scheduler:TagResource", "scheduler:UntagResource", "scheduler:DeleteScheduleGroup"];
        const reads = ["scheduler:GetScheduleGroup", "scheduler:ListTagsForResource"];
        for (const stack of ["dev", "review", "prod"]) {
            const deployRole = String(role(`deploy-${stack}`).outputs.arn);
            for (const action of [...writes, ...reads]) {
                const decision = await decideForRoleSession(deployRole, { action, resource: group, identityPolicies: [POWER_USER_ACCESS, ...inline(`deploy-${stack}`)] });
                assert.strictEqual(decision, "Allowed", `deploy-${stack} ${action}`);
            }
        }
        // ReadOnlyAccess is not read here (a managed policy whose document this repository does not hold): the
        // preview's own reads are its inline policy's.
        const previewRole = String(role("preview").outputs.arn);
        const preview = (action: string, resource: string) => decideForRoleSession(previewRole, { action, resource, identityPolicies: inline("preview") });
        for (const action of reads) assert.strictEqual(await preview(action, group), "Allowed", `preview ${action}`);
        assert.strictEqual(await preview("scheduler:ListScheduleGroups", "*"), "Allowed", "preview scheduler:ListScheduleGroups");
        for (const action of writes) assert.notStrictEqual(await preview(action, group), "Allowed", `preview ${action}`);
    });

    it("prod's GCP deployer may read Artifact Analysis' occurrences (the image gate's scan), in prod's project", () => {
        const grants = members("gcp:projects/iAMMember:IAMMember", "deploy-prod-").map((g) => `${g.inputs.project} ${g.inputs.role}`);
        assert.ok(grants.includes("multicloud-service-prod roles/containeranalysis.occurrences.viewer"), grants.join("\n"));
    });

    it("GCP: GitHub's provider accepts this repository only; dev's image account writes dev's repository, the promotion account reads dev's and writes prod's, each granted on the repository", async () => {
        const github = resources.find((r) => r.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" && r.name === "github")!;
        assert.strictEqual(github.inputs.oidc.issuerUri, "https://token.actions.githubusercontent.com");
        assert.strictEqual(
            github.inputs.attributeCondition,
            `assertion.repository == "${REPO}" && assertion.sub.startsWith("${SUBJECT}:") && (assertion.sub != "${SUBJECT}:ref:refs/heads/main" || assertion.job_workflow_ref == "${REPO}/.github/workflows/image.yml@refs/heads/main")`,
        );
        // No project-wide grant scoped by the repository's name, which Artifact Registry would not honour (registryAccess.ts).
        for (const prefix of ["image-", "promote-prod-"]) {
            assert.deepStrictEqual(members("gcp:projects/iAMMember:IAMMember", prefix).filter((g) => /artifactregistry/.test(g.inputs.role)), [], prefix);
        }
        // The stacks grant them on the repositories they create, to the accounts deployments/ creates.
        const email = (name: string) => `serviceAccount:${resources.find((r) => r.type === "gcp:serviceaccount/account:Account" && r.name === name)!.inputs.accountId}@multicloud-service-deployer.iam.gserviceaccount.com`;
        const repositoryGrants = async (stack: "dev" | "prod") => {
            const { cloud } = await committedStackRun(stack);
            const repository = cloud.one("gcp:artifactregistry/repository:Repository").outputs;
            return cloud.ofType("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").map((g) => {
                assert.deepStrictEqual([g.inputs.project, g.inputs.location, g.inputs.repository], [repository.project, repository.location, repository.repositoryId], g.name);
                return `${g.inputs.role} ${g.inputs.member}`;
            });
        };
        assert.deepStrictEqual((await repositoryGrants("dev")).sort(), [`roles/artifactregistry.reader ${email("promote-prod")}`, `roles/artifactregistry.writer ${email("image-dev")}`]);
        assert.deepStrictEqual(await repositoryGrants("prod"), [`roles/artifactregistry.writer ${email("promote-prod")}`]);
        const pool = "principal(Set)?://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/pulumi-deployments";
        const impersonation = (name: string) => resources.find((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.name === name)!.inputs.member;
        assert.match(impersonation("image-dev-impersonation"), new RegExp(`^${pool}/subject/${SUBJECT}:ref:refs/heads/main$`));
        assert.match(impersonation("promote-prod-impersonation"), new RegExp(`^${pool}/subject/${SUBJECT}:environment:prod$`));
        assert.match(impersonation("release-prod-github-environment"), new RegExp(`^${pool}/subject/${SUBJECT}:environment:prod$`));
        // No GitHub job holds a deployer's roles: what GitHub's subjects may impersonate pushes, pulls, reads metrics and invokes.
        const githubAccounts = resources
            .filter((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.inputs.role === "roles/iam.workloadIdentityUser" && /\/subject\/repo:/.test(r.inputs.member))
            .map((r) => r.name.replace(/-(impersonation|github-environment)$/, ""));
        assert.deepStrictEqual(githubAccounts.sort(), ["image-dev", "promote-prod", "release-prod"]);
        const rolesOf = (account: string) => members("gcp:projects/iAMMember:IAMMember", `${account}-`).map((g) => g.inputs.role).sort();
        // Its probes' roles/run.invoker is prod's grant on its own service (gcp.releaseInvokers, releaseInvokers.ts), not
        // a project-wide one that would reach every service of a project prod shares.
        assert.deepStrictEqual(rolesOf("release-prod"), ["roles/monitoring.viewer"]);
        const serviceInvokers = async (stack: "dev" | "prod") => {
            const { cloud } = await committedStackRun(stack);
            const service = cloud.one("gcp:cloudrunv2/service:Service").outputs;
            return cloud
                .ofType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember")
                .filter((g) => !g.name.endsWith("-uptime-invoker"))
                .map((g) => {
                    assert.deepStrictEqual([g.inputs.project, g.inputs.location, g.inputs.name], [service.project, service.location, service.name], g.name);
                    return `${g.inputs.role} ${g.inputs.member}`;
                });
        };
        assert.deepStrictEqual(await serviceInvokers("prod"), [`roles/run.invoker ${email("release-prod")}`]);
        assert.deepStrictEqual(await serviceInvokers("dev"), []);
        assert.match(impersonation("preview-impersonation"), new RegExp(`^${pool}/subject/pulumi:environments:pulumi\\.organization\\.login:my-pulumi-org:currentEnvironment\\.name:multicloud-service/preview$`));
        assert.ok(!resources.some((r) => /^(deploy|release)-dev-github-environment$/.test(r.name) || r.name.startsWith("image-prod")), "dev is deployed by Pulumi Deployments only; prod builds no image");
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
        const wanted = new Map<string, string>();
        for (const file of fs.readdirSync(workflows)) {
            const text = fs.readFileSync(path.join(workflows, file), "utf8");
            for (const [, name] of text.matchAll(/secrets\.([A-Z0-9_]+)/g)) wanted.set(name, file);
            const doc = parse(text);
            for (const job of Object.values<any>(doc.jobs ?? {})) {
                for (const entry of job.strategy?.matrix?.include ?? []) for (const v of Object.values(entry)) if (typeof v === "string" && /^[A-Z0-9_]+$/.test(v)) wanted.set(v, file);
            }
        }
        wanted.delete("PULUMI_ORG");
        assert.ok(wanted.size >= 6, `found only ${[...wanted.keys()].join(", ")}`);
        for (const [name, file] of wanted) {
            assert.ok(typeof outputs.githubSecrets[name] === "string" && outputs.githubSecrets[name].length > 0, `${file} reads the secret ${name}, which deployments/ does not create (outputs: ${Object.keys(outputs.githubSecrets).join(", ")})`);
        }
    });
});
