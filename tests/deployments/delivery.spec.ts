import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";
import { escDecodeErrors } from "../harness/escDecoder";
import { ORG, SUBJECT, DeploymentsPlan, awsRoleWrites, deploymentsPlan, escLogins, gcpAccountWrites } from "./deploymentsPlan";
import { decideForRole } from "../harness/iamSimulator";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github", "workflows");
const workflow = (file: string) => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));

/** The `sub` GitHub puts in a job's OIDC token (docs.github.com, "About security hardening with OpenID Connect", example subject claims). */
function githubSubjectOf(wf: any, job: any): string {
    if (job.environment) return `${SUBJECT}:environment:${typeof job.environment === "string" ? job.environment : job.environment.name}`;
    // A job of a workflow that runs on pull requests only, or one whose `if` admits pull requests only (preview.yml
    // also runs on merge_group, where its token-minting job does not run).
    const triggers = Object.keys(wf.on ?? {});
    const pullRequestsOnly = triggers.length > 0 && triggers.every((t) => t === "pull_request");
    if (triggers.includes("pull_request") && (pullRequestsOnly || /^github\.event_name == 'pull_request' && /.test(job.if ?? ""))) return `${SUBJECT}:pull_request`;
    throw new Error("this spec only knows jobs in an environment and pull-request jobs");
}

/** The Pulumi tokens the workflows exchange GitHub tokens for (pulumi/auth-actions, or pulumi/esc-action with oidc-auth). */
function pulumiTokenRequests() {
    const requests: { file: string; job: string; subject: string; tokenType: string; scope?: string; expiration?: number }[] = [];
    for (const file of fs.readdirSync(WORKFLOWS)) {
        const wf = workflow(file);
        for (const [name, job] of Object.entries<any>(wf.jobs ?? {})) {
            for (const step of job.steps ?? []) {
                const uses = String(step.uses ?? "");
                if (uses.startsWith("pulumi/auth-actions@")) {
                    requests.push({ file, job: name, subject: githubSubjectOf(wf, job), tokenType: step.with["requested-token-type"], scope: step.with.scope, expiration: step.with["token-expiration"] });
                } else if (uses.startsWith("pulumi/esc-action@") && step.with?.["oidc-auth"]) {
                    requests.push({ file, job: name, subject: githubSubjectOf(wf, job), tokenType: step.with["oidc-requested-token-type"], scope: step.with["oidc-scope"], expiration: step.with["oidc-token-expiration"] });
                }
            }
        }
    }
    return requests;
}

/**
 * Whether an OIDC issuer registered in Pulumi Cloud lets a GitHub token (its sub, and the audience pulumi/auth-actions
 * asks GitHub for: `urn:pulumi:org:<org>`, its src/main.ts) be exchanged for a token of a type and scope, as Pulumi
 * documents authorization policies (docs: administration/guides/oidc-issuers, "Configure the authorization policies"):
 * a new issuer denies everything; a policy matches when all its rules match the token's claims, where a rule value's
 * `*` matches zero or more characters, `?` zero or one and `.` exactly one; deny wins over allow.
 */
function issuerGrants(plan: DeploymentsPlan, request: { subject: string; tokenType: string; scope?: string; aud?: string }) {
    const claims: Record<string, string> = { sub: request.subject, aud: request.aud ?? `urn:pulumi:org:${ORG}` };
    const type = request.tokenType.replace("urn:pulumi:token-type:access_token:", "");
    const scoped = request.scope?.replace(/^(team|user):/, "");
    // Pulumi's claim patterns: `*` zero or more characters, `?` zero or one, `.` exactly one (Pulumi docs, "OIDC issuers").
    const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[+^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".?")}$`);
    const matching = plan
        .ofType("pulumiservice:index:OidcIssuer")
        .filter((issuer) => issuer.inputs.url === "https://token.actions.githubusercontent.com" && issuer.inputs.organization === ORG)
        .flatMap((issuer) => issuer.inputs.policies as any[])
        .filter((p) => p.tokenType === type && Object.entries<string>(p.rules).every(([claim, value]) => claim in claims && wildcard(value).test(claims[claim])))
        .filter((p) => (type === "team" ? p.teamName === scoped : type === "personal" ? p.userLogin === scoped : true));
    return matching.some((p) => p.decision === "deny") ? [] : matching.filter((p) => p.decision === "allow");
}

describe("deployments/: what the delivery pipeline needs from Pulumi Cloud and Google Cloud", function () {
    this.timeout(30_000);
    let plan: DeploymentsPlan;
    before(async () => {
        plan = await deploymentsPlan();
    });

    it("issue 20 #5: GitHub's issuer is registered in Pulumi Cloud, and every Pulumi login of the workflows is allowed by one of its policies", () => {
        const requests = pulumiTokenRequests();
        assert.ok(requests.length >= 2, `the workflows request only ${requests.length} Pulumi token(s)`);
        for (const request of requests) {
            assert.strictEqual(issuerGrants(plan, request).length, 1, `${request.file} ${request.job} (${request.subject}) asks for a ${request.tokenType} token (${request.scope}) that no policy of a registered GitHub issuer grants`);
        }
        const team = "urn:pulumi:token-type:access_token:team";
        const refused: { subject: string; tokenType: string; scope?: string; aud?: string }[] = [
            { subject: `${SUBJECT}:pull_request`, tokenType: team, scope: "team:multicloud-service-releasers" },
            { subject: `${SUBJECT}:pull_request`, tokenType: "urn:pulumi:token-type:access_token:organization" },
            { subject: `${SUBJECT}:ref:refs/heads/feature`, tokenType: team, scope: "team:multicloud-service-releasers" },
            { subject: `${SUBJECT}:environment:dev`, tokenType: team, scope: "team:multicloud-service-releasers" },
            { subject: `repo:someone-else/multicloud-service:environment:prod`, tokenType: team, scope: "team:multicloud-service-releasers" },
            // The same prod job's token GitHub minted for AWS (configure-aws-credentials' audience, sts.amazonaws.com):
            // a token is for the audience it names; Pulumi's guide has every policy name the aud, urn:pulumi:org:<org>
            // (Pulumi docs, "Configuring OpenID Connect for GitHub": Aud and Sub).
            { subject: `${SUBJECT}:environment:prod`, tokenType: team, scope: "team:multicloud-service-releasers", aud: "sts.amazonaws.com" },
            { subject: `${SUBJECT}:pull_request`, tokenType: team, scope: "team:multicloud-service-previewers", aud: "sigstore" },
            // A pull request's job only: a push to a branch, a tag or a job in an environment is another subject
            // (GitHub docs, "OpenID Connect reference": example subject claims), whose job may be no pull request's.
            { subject: `${SUBJECT}:ref:refs/heads/feature`, tokenType: team, scope: "team:multicloud-service-previewers" },
            { subject: `${SUBJECT}:environment:dev`, tokenType: team, scope: "team:multicloud-service-previewers" },
            // The same job's token for another Pulumi organization (auth-actions asks for urn:pulumi:org:<its organization>).
            { subject: `${SUBJECT}:pull_request`, tokenType: team, scope: "team:multicloud-service-previewers", aud: "urn:pulumi:org:someone-else" },
            { subject: `${SUBJECT}:environment:prod`, tokenType: team, scope: "team:multicloud-service-releasers", aud: "urn:pulumi:org:someone-else" },
        ];
        for (const request of refused) assert.deepStrictEqual(issuerGrants(plan, request), [], `${request.subject} (aud ${request.aud ?? "urn:pulumi:org"}) gets ${request.scope ?? request.tokenType}`);
        assert.ok(plan.ofType("pulumiservice:index:OidcIssuer")[0].inputs.maxExpirationSeconds <= 4 * 3600, "tokens live no longer than the longest job");
    });

    it("pull requests get a team token of a team that may only read the stacks and open the preview environments, never an organization token", () => {
        const pullRequests = pulumiTokenRequests().filter((r) => r.subject.endsWith(":pull_request"));
        assert.ok(pullRequests.length > 0);
        for (const request of pullRequests) {
            assert.ok(!request.tokenType.endsWith(":organization"), `${request.file} asks for an organization token for pull requests`);
            const team = request.scope!.replace(/^team:/, "");
            const stackGrants = plan.ofType("pulumiservice:index:TeamStackPermission").filter((g) => g.inputs.team === team);
            assert.ok(stackGrants.length > 0 && stackGrants.every((g) => g.inputs.permission === 101), `${team}: ${stackGrants.map((g) => `${g.inputs.stack}=${g.inputs.permission}`)}`);
            // Only the stacks the job previews (its matrix): not the review template, whose stacks run pull requests' code.
            const previewed: string[] = workflow(request.file).jobs[request.job].strategy?.matrix?.stack ?? [];
            assert.deepStrictEqual(stackGrants.map((g) => g.inputs.stack).sort(), [...previewed].sort(), `${team} reads stacks ${request.file} ${request.job} does not preview`);
            const envGrants = plan.ofType("pulumiservice:index:TeamEnvironmentPermission").filter((g) => g.inputs.team === team);
            for (const grant of envGrants) {
                const env = plan.environments.find((e) => e.name === `${grant.inputs.project}/${grant.inputs.environment}`)!;
                assert.ok(["read", "open"].includes(grant.inputs.permission), `${team} may ${grant.inputs.permission} ${env.name}`);
                for (const login of escLogins(env.definition)) {
                    if (login.platform === "aws") assert.ok(!awsRoleWrites(plan.roles().find((r) => r.outputs.arn === login.block.oidc.roleArn)!), `${env.name} logs in with a role that writes`);
                    else assert.ok(!gcpAccountWrites(plan, login.block.oidc.serviceAccount), `${env.name} logs in with an account that writes`);
                }
            }
        }
    });

    it("issue 20 #6: the identity pool's project enables the APIs token exchange needs (iam, iamcredentials, sts) and those its deployers' calls are billed to it for (serviceusage, cloudresourcemanager), kept on destroy", () => {
        const services = plan.ofType("gcp:projects/service:Service").filter((s) => s.inputs.project === "multicloud-service-deployer");
        // Cloud Resource Manager: the provider reads the project (Projects.Get) on every read of a gcp:projects:Service,
        // billed to the calling account's project without user_project_override (terraform-provider-google
        // resource_google_project_service.go), and each stack's program enables its APIs that way.
        assert.deepStrictEqual(services.map((s) => s.inputs.service).sort(), [
            "cloudresourcemanager.googleapis.com",
            "iam.googleapis.com",
            "iamcredentials.googleapis.com",
            "serviceusage.googleapis.com",
            "sts.googleapis.com",
        ]);
        for (const service of services) assert.strictEqual(service.inputs.disableOnDestroy, false, service.inputs.service);
    });

    it("the pull requests' preview role may validate a changed state machine definition and read the health check's schedule, and writes nothing", async () => {
        // terraform-provider-aws validates every changed definition while it plans (sfn/state_machine.go, CustomizeDiff
        // stateMachineDefinitionValidate) and fails the plan on AccessDenied: a pull request changing a state machine
        // would fail its preview if ReadOnlyAccess does not hold the action. Before: ReadOnlyAccess alone.
        const preview = plan.roles().find((r) => String(r.inputs.description ?? "").includes("pulumi preview"))!;
        const inline = (preview.inputs.inlinePolicies ?? []).map((p: { policy: string }) => JSON.parse(p.policy));
        const allowed = async (action: string) => (await Promise.all(inline.map((policy: object) => decideForRole(policy, action, "*")))).includes("Allowed");
        assert.ok(await allowed("states:ValidateStateMachineDefinition"), "states:ValidateStateMachineDefinition");
        // The schedule's group is checked, reads and writes, against its own ARN in githubOidc.spec.ts.
        assert.ok(await allowed("scheduler:GetSchedule"), "scheduler:GetSchedule");
        assert.ok(!(await allowed("states:UpdateStateMachine")) && !(await allowed("scheduler:UpdateSchedule")));
        assert.ok(!awsRoleWrites(preview), "read-only");
    });

    it("every environment a stack deploys or previews with tells it the workload boundary its deploy role requires", () => {
        // The deploy roles write only roles under the workload boundary (deployments/workloadRoles.ts): a stack that did
        // not ask for it would fail its first CreateRole with AccessDenied, and a preview without it would show every
        // role's boundary taken off.
        const boundary = plan.ofType("aws:iam/policy:Policy").find((p) => p.name === "workload-boundary")!;
        for (const name of ["multicloud-service/dev", "multicloud-service/prod", "multicloud-service/review", "multicloud-service/preview"]) {
            const env = plan.environments.find((e) => e.name === name)!;
            assert.deepStrictEqual(env.definition.values.pulumiConfig, { "multicloud-service:aws": { permissionsBoundary: boundary.outputs.arn } }, name);
        }
    });

    it("every environment that logs in to AWS hands on its whole session: key, secret and session token, under the names the AWS SDK reads", () => {
        // aws-login's OIDC login is an STS session (accessKeyId, secretAccessKey, sessionToken), which a tool under the
        // environment uses only with its token: the AWS SDK's fromEnv reads it as ENV_SESSION beside ENV_KEY and ENV_SECRET
        // (@aws-sdk/credential-provider-env dist-cjs/index.js), and `pulumi up` and the README's `aws sts` read the same.
        const aws = plan.environments.filter((e) => escLogins(e.definition).some((l) => l.platform === "aws"));
        assert.ok(aws.length >= 4);
        for (const env of aws) {
            const variables = env.definition.values.environmentVariables;
            assert.deepStrictEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"].map((name) => variables[name]), ["${aws.login.accessKeyId}", "${aws.login.secretAccessKey}", "${aws.login.sessionToken}"], env.name);
        }
    });

    it("every gcp-login names its project by number, the only type ESC takes there", () => {
        // gcp-login's input schema: "project": { "type": "number", "description": "The numerical ID of the GCP project" }
        // (pulumi/esc schema/testdata/esc.json). ESC type-checks a provider's inputs before it opens it (eval/eval.go,
        // evaluateTypedExpr) and a string there is an error, "expected number, got string" (eval/eval_validate.go,
        // typeError); its own `esc env provider gcp-login oidc` writes the number as !!int. The project number is a
        // string output of the provider, so a missed Number() would quote it.
        const projects = plan.environments.flatMap((e) => escLogins(e.definition).filter((l) => l.platform === "gcp").map((l) => [e.name, l.block.project]));
        assert.ok(projects.length >= 4);
        for (const [name, project] of projects) assert.ok(typeof project === "number" && Number.isSafeInteger(project) && project > 0, `${name}: project ${JSON.stringify(project)}`);
    });

    it("every ESC environment decodes as ESC decodes it: no alias node (the two logins share one subject-attribute list)", () => {
        assert.ok(plan.environments.length >= 5);
        for (const environment of plan.environments) assert.deepStrictEqual(environment.decodeErrors, [], environment.name);
        // In ESC's words: the summary alone, the node's path is no part of it (pulumi/esc syntax/encoding/testdata/yaml/alias/decoded.json).
        assert.deepStrictEqual(escDecodeErrors("a: &x [1]\nb: *x\n"), ["alias nodes are not supported"], "the stand-in decoder does refuse one");
    });

    it("the offline plan: ESC environments, GitHub's issuer, the review-stack template (no TTL schedule) and prod's drift schedule", () => {
        const summary = plan.resources.filter((r) => r.type.startsWith("pulumiservice:")).map((r) => `${r.type.replace("pulumiservice:index:", "")} ${r.name}`);
        console.log(summary.map((line) => `      ${line}`).join("\n"));
        assert.deepStrictEqual(plan.environments.map((e) => e.name).sort(), [
            "multicloud-service/dev",
            "multicloud-service/preview",
            "multicloud-service/prod",
            "multicloud-service/prod-release",
            "multicloud-service/review",
        ]);
        assert.strictEqual(plan.ofType("pulumiservice:index:OidcIssuer").length, 1);
        const review = plan.deploymentSettings("review")!;
        assert.deepStrictEqual([review.inputs.github.pullRequestTemplate, review.inputs.github.deployCommits, review.inputs.github.previewPullRequests], [true, false, false]);
        // A TTL schedule destroys its own stack (Pulumi's "Time-to-live stacks"); the template deploys nothing and
        // review stacks are not documented to inherit one, so a TTL on it would retire nothing.
        assert.deepStrictEqual(plan.ofType("pulumiservice:index:TtlSchedule"), []);
        const [drift] = plan.ofType("pulumiservice:index:DriftSchedule");
        assert.deepStrictEqual([drift.inputs.stack, drift.inputs.autoRemediate], ["prod", false]);
        // The schedule Pulumi Cloud runs is settings.stacks.prod.driftSchedule (deployments/Pulumi.main.yaml), not a fixed
        // one (@pulumi/pulumiservice driftSchedule.d.ts, scheduleCron: "Cron expression for when to run drift detection.").
        assert.strictEqual(drift.inputs.scheduleCron, "0 */6 * * *");
    });
});
