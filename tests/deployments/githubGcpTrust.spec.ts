import * as assert from "assert";
import { DeploymentsPlan, REPO, SUBJECT, deploymentsPlan } from "./deploymentsPlan";
import { OidcToken } from "./pulumiTokens";
import { ProviderInputs, providerAccepts } from "./workloadIdentity";

/**
 * A GitHub Actions token as google-github-actions/auth asks for it: the audience defaults to
 * `https://iam.googleapis.com/<the provider's resource name>` (its src/main.ts), the subject is the job's
 * (`<subject prefix>:ref:<ref>` or `:environment:<name>`, the prefix with the repository's IDs since GitHub's immutable
 * subject claims), and `repository` and `job_workflow_ref` (`<owner>/<repo>/<workflow file>@<ref>`) are claims of
 * their own (GitHub docs, "OpenID Connect reference": the token's claims).
 */
function githubToken(providerName: string, sub: string, repository = REPO, workflow = IMAGE_WORKFLOW): OidcToken {
    return { iss: "https://token.actions.githubusercontent.com", aud: `https://iam.googleapis.com/${providerName}`, sub, claims: { repository, job_workflow_ref: workflow }, describe: `GitHub ${sub} (${workflow})` };
}
const IMAGE_WORKFLOW = `${REPO}/.github/workflows/image.yml@refs/heads/main`;

describe("deployments/: GitHub's tokens against the trust in Google Cloud (the workflows' image push and promotion)", function () {
    this.timeout(30_000);
    let plan: DeploymentsPlan;
    let github: ProviderInputs;
    let providerName: string;
    before(async () => {
        plan = await deploymentsPlan();
        github = plan.providers().find((p) => p.inputs.workloadIdentityPoolProviderId === "github-actions")!.inputs as ProviderInputs;
        // What the workflows hand google-github-actions/auth as `workload_identity_provider` (a GitHub secret).
        providerName = (plan.outputs as any).githubSecrets.GCP_WORKLOAD_IDENTITY_PROVIDER;
        assert.match(providerName, /^projects\/\d+\/locations\/global\/workloadIdentityPools\/pulumi-deployments\/providers\/github-actions$/);
    });
    const impersonable = (token: OidcToken) => {
        const { principals } = providerAccepts(plan.pool().outputs.name as string, github, token);
        return plan.accounts().map((a) => a.outputs.email as string).filter((email) => plan.impersonators(email).some((m) => principals.includes(m)));
    };

    it("image.yml's push to main, with auth's default audience, is accepted and may impersonate dev's image account only", () => {
        const token = githubToken(providerName, `${SUBJECT}:ref:refs/heads/main`);
        const answer = providerAccepts(plan.pool().outputs.name as string, github, token);
        assert.ok(answer.accepted, answer.why);
        assert.deepStrictEqual(impersonable(token), ["image-dev@multicloud-service-deployer.iam.gserviceaccount.com"]);
    });

    // pull_request_target, issue_comment, schedule, workflow_dispatch and workflow_run on main carry the push's subject
    // (GitHub docs, "OpenID Connect reference"): only the workflow the token names tells image.yml's jobs from theirs.
    it("another workflow's job on main, with the push's very subject, is refused by the provider's condition, in Google's words", () => {
        for (const workflow of [`${REPO}/.github/workflows/triage.yml@refs/heads/main`, `${REPO}/.github/workflows/preview.yml@refs/heads/main`, `${REPO}/.github/workflows/image.yml@refs/heads/feature`, `${REPO}/.github/workflows/Image.yml@refs/heads/main`]) {
            const answer = providerAccepts(plan.pool().outputs.name as string, github, githubToken(providerName, `${SUBJECT}:ref:refs/heads/main`, REPO, workflow));
            assert.strictEqual(answer.accepted, false, workflow);
            assert.deepStrictEqual(JSON.parse(String(answer.why)), { error: "unauthorized_client", error_description: "The given credential is rejected by the attribute condition." }, workflow);
        }
    });

    it("deploy-prod.yml's job in the prod environment may impersonate the promotion and release accounts only", () => {
        assert.deepStrictEqual(impersonable(githubToken(providerName, `${SUBJECT}:environment:prod`, REPO, `${REPO}/.github/workflows/deploy-prod.yml@refs/tags/release/v1.2.3`)).sort(), [
            "promote-prod@multicloud-service-deployer.iam.gserviceaccount.com",
            "release-prod@multicloud-service-deployer.iam.gserviceaccount.com",
        ]);
    });

    it("another repository's token, even with this repository's subject, is refused by the provider's condition; so is another audience", () => {
        const fork = providerAccepts(plan.pool().outputs.name as string, github, githubToken(providerName, `${SUBJECT}:ref:refs/heads/main`, "someone/multicloud-service"));
        assert.strictEqual(fork.accepted, false);
        assert.deepStrictEqual(JSON.parse(String(fork.why)), { error: "unauthorized_client", error_description: "The given credential is rejected by the attribute condition." });
        const otherAudience = { ...githubToken(providerName, `${SUBJECT}:ref:refs/heads/main`), aud: "sts.amazonaws.com" };
        assert.deepStrictEqual(JSON.parse(String(providerAccepts(plan.pool().outputs.name as string, github, otherAudience).why)), {
            error: "invalid_grant",
            error_description: "The audience in ID Token [sts.amazonaws.com] does not match the expected audience.",
        });
    });

    // One pool maps both issuers' subjects, and a binding names `subject/<sub>` whichever provider mapped it.
    it("a GitHub token whose subject is an ESC login's is refused by the provider's condition, so it impersonates no deployer", () => {
        const escSubjects = plan
            .accounts()
            .flatMap((a) => plan.impersonators(a.outputs.email as string))
            .map((member) => member.split("/subject/")[1])
            .filter((sub) => sub?.startsWith("pulumi:environments:"));
        assert.ok(escSubjects.some((sub) => sub.endsWith("multicloud-service/prod")), escSubjects.join("\n"));
        for (const sub of escSubjects) {
            const answer = providerAccepts(plan.pool().outputs.name as string, github, githubToken(providerName, sub));
            assert.strictEqual(answer.accepted, false, `${sub}: ${answer.principals.join(", ")}`);
            assert.deepStrictEqual(JSON.parse(String(answer.why)), { error: "unauthorized_client", error_description: "The given credential is rejected by the attribute condition." }, sub);
        }
    });

    it("a job whose subject maps to more than 127 bytes is refused by the token exchange itself, in Google's words", () => {
        const longBranch = `${SUBJECT}:ref:refs/heads/${"b".repeat(128 - `${SUBJECT}:ref:refs/heads/`.length)}`;
        assert.strictEqual(Buffer.byteLength(longBranch), 128);
        const answer = providerAccepts(plan.pool().outputs.name as string, github, githubToken(providerName, longBranch));
        assert.strictEqual(answer.accepted, false);
        assert.match(String(answer.why), /"invalid_request".*The size of mapped attribute google\.subject exceeds the 127 bytes limit/);
        const atLimit = providerAccepts(plan.pool().outputs.name as string, github, githubToken(providerName, longBranch.slice(0, 127)));
        assert.ok(atLimit.accepted, atLimit.why);
    });
});
