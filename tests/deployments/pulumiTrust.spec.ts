import * as assert from "assert";
import { FAKE_PROJECT_NUMBER } from "../../scripts/offline/fakeIds";
import { revealSecrets } from "../../scripts/offline/registeredInputs";
import { ORG, DeploymentsPlan, awsRoleWrites, deploymentsPlan, escLogins, gcpAccountWrites } from "./deploymentsPlan";
import { DEPLOYMENT_OPERATIONS, OidcToken, STACK_IMPORT_ROOT, deploymentsToken, escToken } from "./pulumiTokens";
import { mayAssume } from "./webIdentityTrust";
import { ProviderInputs, providerAccepts } from "./workloadIdentity";

const PROJECT = "multicloud-service";
const PRODUCTION = /^(prod|production|prod-.*)$/;

/** Every token exchange the plan makes Pulumi perform with Google Cloud: who sends what, to which provider, for which account. */
function gcpExchanges(plan: DeploymentsPlan) {
    const exchanges: { token: OidcToken; providerId: string; serviceAccount: string; project: string }[] = [];
    for (const settings of plan.ofType("pulumiservice:index:DeploymentSettings")) {
        const gcp = revealSecrets(settings.inputs.operationContext)?.oidc?.gcp;
        if (!gcp) continue;
        for (const operation of DEPLOYMENT_OPERATIONS) {
            exchanges.push({ token: deploymentsToken(ORG, settings.inputs.project, settings.inputs.stack, operation), providerId: gcp.providerId, serviceAccount: gcp.serviceAccount, project: gcp.projectId });
        }
    }
    for (const env of plan.environments) {
        for (const login of escLogins(env.definition).filter((l) => l.platform === "gcp")) {
            const oidc = login.block.oidc;
            // A stack that imports the environment opens it as the anonymous root; the GitHub actions open it directly.
            for (const root of [env.name, STACK_IMPORT_ROOT]) {
                exchanges.push({ token: escToken("gcp", ORG, { definedIn: env.name, root }, oidc.subjectAttributes), providerId: oidc.providerId, serviceAccount: oidc.serviceAccount, project: String(login.block.project) });
            }
        }
    }
    return exchanges;
}

/** Every AWS role a token may assume, by the roles' trust policies. */
function assumable(plan: DeploymentsPlan, token: OidcToken) {
    return plan.roles().filter((role) => mayAssume(plan.trustOf(role), { sub: token.sub, aud: token.aud, issuer: token.iss }) === "Allowed");
}

/** Every service account a token may impersonate through the provider it is sent to. */
function impersonable(plan: DeploymentsPlan, token: OidcToken): string[] {
    const pool = plan.pool().outputs.name as string;
    const principals = plan.providers().flatMap((p) => providerAccepts(pool, p.inputs as ProviderInputs, token).principals);
    return plan.accounts().map((a) => a.outputs.email as string).filter((email) => plan.impersonators(email).some((m) => principals.includes(m)));
}

describe("deployments/: Pulumi's tokens against the trust in AWS and Google Cloud (documented token formats)", function () {
    this.timeout(30_000);
    let plan: DeploymentsPlan;
    before(async () => {
        plan = await deploymentsPlan();
    });

    it("issue 20 #1: every token Pulumi sends to Google Cloud is accepted by the provider it names and may impersonate the account it names", () => {
        const exchanges = gcpExchanges(plan);
        assert.ok(exchanges.length > 0, "the plan exchanges no Pulumi token with Google Cloud");
        const pool = plan.pool().outputs.name as string;
        for (const { token, providerId, serviceAccount } of exchanges) {
            const provider = plan.providers().find((p) => p.inputs.workloadIdentityPoolProviderId === providerId);
            assert.ok(provider, `${token.describe}: no provider ${providerId}`);
            const answer = providerAccepts(pool, provider.inputs as ProviderInputs, token);
            assert.ok(answer.accepted, `${token.describe} (aud ${token.aud}) is refused by ${providerId}: ${answer.why}`);
            assert.ok(impersonable(plan, token).includes(serviceAccount), `${token.describe} may not impersonate ${serviceAccount}`);
        }
    });

    // The stand-in's own claims: with subject attributes a stack's import names the environment, not `<yaml>` (ESC docs,
    // configuring OIDC for AWS, "Subject claim example"), which only the default subject carries.
    it("ESC's token from a stack's import: rootEnvironment.name names the environment that defines the login; the default subject names <yaml>", () => {
        const env = `${PROJECT}/prod`;
        const opened = { definedIn: env, root: STACK_IMPORT_ROOT };
        assert.strictEqual(escToken("aws", ORG, opened, ["rootEnvironment.name"]).sub, `pulumi:environments:pulumi.organization.login:${ORG}:rootEnvironment.name:${env}`);
        assert.strictEqual(escToken("aws", ORG, opened).sub, `pulumi:environments:org:${ORG}:env:<yaml>`);
        assert.strictEqual(escToken("aws", ORG, { definedIn: env, root: `${PROJECT}/other` }, ["rootEnvironment.name"]).sub, `pulumi:environments:pulumi.organization.login:${ORG}:rootEnvironment.name:${PROJECT}/other`);
    });

    it("issue 20 #2: each GCP token exchange names the identity pool project's number (the numerical project ID the APIs document), not its ID", () => {
        const exchanges = gcpExchanges(plan);
        assert.ok(exchanges.length > 0);
        for (const { token, project } of exchanges) assert.strictEqual(project, FAKE_PROJECT_NUMBER, `${token.describe} names project ${project}`);
    });

    it("issue 20 #3: no pull request's code runs with a production stack's write credentials on Pulumi Deployments", () => {
        const production = plan.ofType("pulumiservice:index:DeploymentSettings").filter((s) => PRODUCTION.test(s.inputs.stack));
        assert.ok(production.length > 0, "deployments/ sets up no production stack's deployments");
        for (const settings of production) {
            const { stack, github } = settings.inputs;
            assert.strictEqual(github.pullRequestTemplate, false, `${stack} is a review-stack template`);
        }
        // A Deployments preview of a pull request runs that branch's program with the stack's credentials, and every
        // stack's AWS role is in the one account prod's resources are in (deploy-dev's PowerUserAccess reaches them
        // all): pull requests are previewed by preview.yml, with read-only credentials, on no stack by Deployments.
        for (const settings of plan.ofType("pulumiservice:index:DeploymentSettings")) {
            const { stack, github } = settings.inputs;
            assert.strictEqual(github.previewPullRequests, false, `${stack}: Deployments previews pull requests with the stack's own (write) credentials`);
        }
        for (const settings of plan.ofType("pulumiservice:index:DeploymentSettings")) {
            const preview = deploymentsToken(ORG, PROJECT, settings.inputs.stack, "preview");
            const writers = assumable(plan, preview).filter(awsRoleWrites).map((r) => r.name);
            assert.deepStrictEqual(writers.filter((name) => /prod/.test(name)), [], `${preview.describe} may assume ${writers.join(", ")}`);
            assert.deepStrictEqual(impersonable(plan, preview).filter((email) => /prod/.test(email) && gcpAccountWrites(plan, email)), []);
        }
    });

    describe("each credentials environment's login is trusted for its own environment's token only", () => {
        const credentialsEnvironments = () => {
            const found = plan.environments.filter((e) => escLogins(e.definition).length > 0);
            assert.ok(found.length > 0, "the plan defines no ESC environment that logs in to a cloud");
            return found;
        };

        it("there is one per deployable stack and one for previews, each logging in to both clouds", () => {
            assert.deepStrictEqual(credentialsEnvironments().map((e) => e.name).sort(), ["multicloud-service/dev", "multicloud-service/preview", "multicloud-service/prod", "multicloud-service/review"]);
            for (const env of credentialsEnvironments()) assert.deepStrictEqual(escLogins(env.definition).map((l) => l.platform).sort(), ["aws", "gcp"], env.name);
        });

        it("AWS: the role an environment logs in with accepts that environment's token however it is opened, and refuses every other environment's and every Deployments operation's", () => {
            for (const env of credentialsEnvironments()) {
                const login = escLogins(env.definition).find((l) => l.platform === "aws")!.block.oidc;
                const role = plan.roles().find((r) => r.outputs.arn === login.roleArn)!;
                assert.ok(role, `${env.name}: no role ${login.roleArn}`);
                for (const root of [env.name, STACK_IMPORT_ROOT]) {
                    const own = escToken("aws", ORG, { definedIn: env.name, root }, login.subjectAttributes);
                    assert.strictEqual(mayAssume(plan.trustOf(role), { ...own, issuer: own.iss }), "Allowed", own.describe);
                }
                for (const other of credentialsEnvironments().filter((e) => e !== env)) {
                    const theirs = escToken("aws", ORG, { definedIn: other.name }, ["currentEnvironment.name"]);
                    assert.strictEqual(mayAssume(plan.trustOf(role), { ...theirs, issuer: theirs.iss }), "ImplicitlyDenied", `${role.name} trusts ${theirs.describe}`);
                }
                // The default subject names the root: a stack's import is "<yaml>" for every environment of the org.
                for (const root of [env.name, STACK_IMPORT_ROOT]) {
                    const unscoped = escToken("aws", ORG, { definedIn: env.name, root });
                    assert.strictEqual(mayAssume(plan.trustOf(role), { ...unscoped, issuer: unscoped.iss }), "ImplicitlyDenied", `${role.name} trusts the default subject ${unscoped.sub}`);
                }
                const otherOrg = escToken("aws", "someone-else", { definedIn: env.name }, login.subjectAttributes);
                assert.strictEqual(mayAssume(plan.trustOf(role), { ...otherOrg, issuer: otherOrg.iss }), "ImplicitlyDenied");
                for (const stack of ["dev", "prod", "review"]) {
                    for (const operation of DEPLOYMENT_OPERATIONS) {
                        const token = deploymentsToken(ORG, PROJECT, stack, operation);
                        assert.strictEqual(mayAssume(plan.trustOf(role), { ...token, issuer: token.iss }), "ImplicitlyDenied", `${role.name} trusts ${token.describe}`);
                    }
                }
            }
        });

        it("GCP: the account an environment logs in with may be impersonated by that environment's token only", () => {
            for (const env of credentialsEnvironments()) {
                const login = escLogins(env.definition).find((l) => l.platform === "gcp")!.block.oidc;
                const own = escToken("gcp", ORG, { definedIn: env.name, root: STACK_IMPORT_ROOT }, login.subjectAttributes);
                assert.deepStrictEqual(impersonable(plan, own), [login.serviceAccount], own.describe);
                assert.deepStrictEqual(impersonable(plan, escToken("gcp", ORG, { definedIn: env.name, root: STACK_IMPORT_ROOT })), [], "the default subject");
                assert.deepStrictEqual(impersonable(plan, escToken("aws", ORG, { definedIn: env.name }, login.subjectAttributes)), [], "an aws-login token");
                for (const operation of DEPLOYMENT_OPERATIONS) assert.deepStrictEqual(impersonable(plan, deploymentsToken(ORG, PROJECT, "prod", operation)), [], operation);
            }
        });

        it("the preview environment's identities are read-only; the stacks' are not", () => {
            for (const env of credentialsEnvironments()) {
                const aws = plan.roles().find((r) => r.outputs.arn === escLogins(env.definition).find((l) => l.platform === "aws")!.block.oidc.roleArn)!;
                const gcp = escLogins(env.definition).find((l) => l.platform === "gcp")!.block.oidc.serviceAccount;
                const readOnly = env.name.endsWith("/preview");
                assert.strictEqual(awsRoleWrites(aws), !readOnly, `${env.name}: ${aws.name}`);
                assert.strictEqual(gcpAccountWrites(plan, gcp), !readOnly, `${env.name}: ${gcp}`);
            }
        });
    });
});
