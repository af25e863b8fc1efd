import * as assert from "assert";
import * as path from "path";
import * as fs from "fs";
import { parse } from "yaml";
import { MockCloud, RecordedResource, runUnderMocks } from "../../scripts/offline/mockCloud";
import { isSecretInput, revealSecrets } from "../../scripts/offline/registeredInputs";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { filesShapingTheDeployment } from "../harness/programFiles";
import { uncoveredBy } from "../../scripts/ci/previewDecision";
import { scratchDir } from "../harness/tempDirs";
import { EXECUTOR_NODE_MAJOR, executorImage } from "../../deployments/executorImage";
import { MAX_PROJECT_FOR_TOKENS, TEAM_TOKEN_KEYS, teamTokenName } from "../../deployments/teamTokens";
import { PLUGIN_DOWNLOAD_URL_OVERRIDES } from "../../deployments/pluginDownloads";
import { NO_GITHUB_TOKEN } from "../../deployments/deploymentSettings";
import { pulumiServiceRefreshedInputs } from "../../scripts/offline/pulumiServiceReads";
import { nextUpAgainst } from "../harness/nextUp";
import { settingsSchema } from "../../deployments/settings";
import { gitBranchProblem } from "../../deployments/branchName";
import { committedSettings } from "./deploymentsPlan";

const PROJECT = "multicloud-service-deployments";

async function deploy(change: (settings: any) => void = () => {}, setup?: (cloud: MockCloud) => void, preview = false) {
    const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
    const settings = JSON.parse(config[`${PROJECT}:settings`]);
    change(settings);
    const program = require("../../deployments/index");
    return runUnderMocks({ stack: "main", project: PROJECT, config: { ...config, [`${PROJECT}:settings`]: JSON.stringify(settings) }, setup, preview }, () => program());
}

describe("deployments/: Pulumi Deployments settings as code (under mocks)", function () {
    this.timeout(30_000);
    let resources: RecordedResource[];
    const settingsOf = (stack: string) => resources.find((r) => r.type === "pulumiservice:index:DeploymentSettings" && r.inputs.stack === stack)!.inputs;

    before(async () => {
        resources = (await deploy()).cloud.resources;
    });

    it("dev deploys on push to main, path-filtered so docs-only pushes deploy nothing; its pull requests are previewed by preview.yml, not Deployments", () => {
        const dev = settingsOf("dev");
        assert.strictEqual(dev.organization, "my-pulumi-org");
        assert.strictEqual(dev.project, "multicloud-service");
        assert.deepStrictEqual(dev.sourceContext.git.branch, "refs/heads/main");
        // Not `vcs`: with it a push deploys nothing (pulumi/pulumi-pulumiservice#754).
        assert.strictEqual(dev.vcs, undefined);
        assert.strictEqual(dev.github.repository, "my-github-org/multicloud-service");
        assert.strictEqual(dev.github.deployCommits, true);
        assert.strictEqual(dev.github.previewPullRequests, false);
        assert.deepStrictEqual(uncoveredBy(dev.github.paths, filesShapingTheDeployment()), [], "a file that changes the deployment does not trigger one");
        assert.ok(!dev.github.paths.some((p: string) => /README|\.md|docs/.test(p)));
    });

    // image.yml keeps at most one waiting image run (GitHub's concurrency groups: "at most one running and one pending
    // job ... Any existing pending job ... will be canceled"), so a push between two others may never get its image;
    // its dev `up` would wait image.waitMinutes for it and fail. Pulumi Deployments consolidates queued deployments
    // of a stack the same way when asked (OperationContextOptions.skipIntermediateDeployments, pulumi-pulumiservice's schema).
    it("dev's queued push deployments are consolidated to the newest, as image.yml's waiting image runs are", () => {
        assert.strictEqual(revealSecrets(settingsOf("dev").operationContext).options.skipIntermediateDeployments, true);
    });

    // Off unless set: each run would download every provider plugin and the policy pack again ("Dependency Caching",
    // Pulumi Deployments docs: a cache entry holds the language packages, the resource plugins and the policy packs).
    it("each stack's deployments keep their plugins and policy pack in Deployments' dependency cache", () => {
        for (const stack of ["dev", "prod", "review"]) assert.deepStrictEqual(settingsOf(stack).cacheOptions, { enable: true }, stack);
    });

    // Deployments' own install is skipped (OperationContextOptions.skipInstallDependencies, "whether to skip the default
    // dependency installation step": pulumi-pulumiservice provider/pkg/apitype/operation_context_options_.go), so the
    // pre-run commands are all that installs the program's packages: without them `pulumi up` finds no @pulumi/pulumi.
    // `npm ci` installs the lock file as the workflows do; `npm install` may resolve newer versions than any preview ran.
    it("each stack's deployment installs the program's packages once, from the lock file: Deployments' own install skipped, `npm ci` before Pulumi runs", () => {
        for (const stack of ["dev", "prod", "review"]) {
            const { preRunCommands, options } = revealSecrets(settingsOf(stack).operationContext);
            assert.strictEqual(options.skipInstallDependencies, true, `${stack}: Deployments installs nothing itself`);
            const installs = preRunCommands.filter((command: string) => /^npm (ci|install|i|clean-install)\b/.test(command));
            assert.deepStrictEqual(installs.map((command: string) => command.split(" ")[1]), ["ci"], `${stack}: ${JSON.stringify(preRunCommands)}`);
        }
    });

    it("every stack it configures exists first: a Stack resource per stack, kept on delete, that its settings, permissions and schedules depend on", () => {
        // Pulumi Cloud answers 404 "Stack '<name>' not found" to deployment settings for a stack it does not have
        // (pulumi/pulumi-pulumiservice#224); a preview passes regardless (the provider calls nothing in a dry run).
        const stacks = resources.filter((r) => r.type === "pulumiservice:index:Stack");
        const about = resources.filter((r) =>
            ["pulumiservice:index:DeploymentSettings", "pulumiservice:index:TeamStackPermission", "pulumiservice:index:DriftSchedule"].includes(r.type),
        );
        assert.ok(about.length >= 6);
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        // Whether `r` waits for `target`: directly, or through resources of the same stack (a schedule depends on the
        // stack's deployment settings, which depend on the stack).
        const waitsFor = (r: RecordedResource, target: string, seen = new Set<string>()): boolean =>
            r.dependsOn.some((urn) => {
                if (urn === target) return true;
                const next = byUrn.get(urn);
                if (!next || seen.has(urn) || next.inputs.stack !== r.inputs.stack) return false;
                seen.add(urn);
                return waitsFor(next, target, seen);
            });
        for (const r of about) {
            const stack = stacks.find((st) => st.inputs.organizationName === r.inputs.organization && st.inputs.projectName === r.inputs.project && st.inputs.stackName === r.inputs.stack);
            assert.ok(stack, `${r.type} ${r.name}: no Stack resource for ${r.inputs.organization}/${r.inputs.project}/${r.inputs.stack}`);
            assert.strictEqual(stack.options.retainOnDelete, true, `${stack.name}: removing it from the program would delete the stack and its state`);
            assert.ok(waitsFor(r, stack.urn), `${r.type} ${r.name} does not wait for its stack`);
        }
        assert.deepStrictEqual(stacks.map((st) => st.inputs.stackName).sort(), ["dev", "prod", "review"]);
    });

    it("Pulumi Cloud's grants wait for what they name, and a changed stack grant is removed before its successor is made", () => {
        // The provider only forwards these calls (pulumi-pulumiservice v1.3.0 provider/pkg/resources): a grant on an
        // environment sent before the environment exists, or an issuer policy naming a team not made yet, races it.
        const byName = new Map(resources.filter((r) => r.type === "pulumiservice:index:Environment").map((e) => [e.inputs.name, e.urn]));
        const grants = resources.filter((r) => r.type === "pulumiservice:index:TeamEnvironmentPermission");
        assert.ok(grants.length >= 6);
        for (const grant of grants) assert.ok(grant.dependsOn.includes(byName.get(grant.inputs.environment)!), `${grant.name} waits for environment ${grant.inputs.environment}`);
        const teams = new Map(resources.filter((r) => r.type === "pulumiservice:index:Team").map((t) => [t.inputs.name, t.urn]));
        const issuer = resources.find((r) => r.type === "pulumiservice:index:OidcIssuer")!;
        for (const policy of issuer.inputs.policies) assert.ok(issuer.dependsOn.includes(teams.get(policy.teamName)!), `the issuer waits for team ${policy.teamName}`);
        // Every input of a TeamStackPermission replaces it; made first, the new grant would be removed with the old one.
        for (const grant of resources.filter((r) => r.type === "pulumiservice:index:TeamStackPermission")) assert.strictEqual(grant.deleteBeforeReplace, true, grant.name);
        assert.ok(resources.filter((r) => r.type === "pulumiservice:index:Team").every((t) => !t.deleteBeforeReplace), "recorded per resource, not for all");
    });

    it("what names a team waits for it, and a policy group for its stacks and its pack's published version", () => {
        // Each of these names its team or stacks by a plain string and the provider sends it as it is in one call, with
        // no retry (pulumi-pulumiservice v1.3.0 provider/pkg/resources: team_access_token.go Create, "error creating
        // team access token %q: %w"; team_stack_perm.go and team_environment_perm.go Create, "error granting team
        // stack permission: %w" / "error granting team environment permission: %w"; policy_group.go Create, which
        // creates the group and then adds its stacks and pack version in one batch, "failed to add items to policy
        // group: %w"). Without the order the first `up` races the team, stack or publish it names.
        const teams = new Map(resources.filter((r) => r.type === "pulumiservice:index:Team").map((t) => [t.inputs.name, t.urn]));
        const named = resources.filter((r) => ["pulumiservice:index:TeamAccessToken", "pulumiservice:index:TeamStackPermission", "pulumiservice:index:TeamEnvironmentPermission"].includes(r.type));
        assert.ok(named.length >= 12);
        for (const r of named) {
            const team = r.inputs.teamName ?? r.inputs.team;
            assert.ok(teams.has(team), `${r.type} ${r.name}: no Team ${team}`);
            assert.ok(r.dependsOn.includes(teams.get(team)!), `${r.type} ${r.name} does not wait for team ${team}`);
        }
        const stacks = new Map(resources.filter((r) => r.type === "pulumiservice:index:Stack").map((st) => [`${st.inputs.projectName}/${st.inputs.stackName}`, st.urn]));
        const pack = resources.find((r) => r.type === "pulumiservice:index:PolicyPack")!;
        const groups = resources.filter((r) => r.type === "pulumiservice:index:PolicyGroup");
        assert.strictEqual(groups.length, 2);
        for (const group of groups) {
            for (const stack of group.inputs.stacks) assert.ok(group.dependsOn.includes(stacks.get(`${stack.routingProject}/${stack.name}`)!), `${group.name} does not wait for stack ${stack.name}`);
            assert.ok(group.dependsOn.includes(pack.urn), `${group.name} does not wait for the pack's publish`);
        }
    });

    it("every team's membership is the program's: the releasers from settings.releasers, the machine teams none", async () => {
        // The provider's Team reads a missing members list as none and its update removes everyone else (pulumi-
        // pulumiservice v1.3.0 resources/team.go, Check and Update): members left to the console would go at the next up.
        const teams = resources.filter((r) => r.type === "pulumiservice:index:Team");
        assert.strictEqual(teams.length, 4);
        for (const team of teams) assert.deepStrictEqual(team.inputs.members, [], team.name);
        const listed = (await deploy((s) => (s.releasers = ["alice", "bob"]))).cloud.resources.filter((r) => r.type === "pulumiservice:index:Team");
        assert.deepStrictEqual(Object.fromEntries(listed.map((t) => [t.name, t.inputs.members])), { "multicloud-service-previewers": [], "multicloud-service-releasers": ["alice", "bob"], "multicloud-service-deployers": [], "multicloud-service-reviewers": [] });
        await assert.rejects(deploy((s) => (s.releasers = ["alice smith"])), /settings\.releasers\.0: must be a Pulumi Cloud username/);
    });

    it("team tokens get names Pulumi Cloud takes: at most 40 characters, and a new one whenever the token is replaced", async () => {
        // CreateTeamToken: a name "must be unique across the organization (including deleted tokens) and cannot exceed
        // 40 characters"; every input of TeamAccessToken replaces it (no update).
        const tokens = resources.filter((r) => r.type === "pulumiservice:index:TeamAccessToken");
        assert.strictEqual(tokens.length, 3);
        for (const token of tokens) assert.ok(token.inputs.name.length <= 40 && token.inputs.name.startsWith(`multicloud-service-${token.name}-`), token.inputs.name);
        const longest = "p".repeat(MAX_PROJECT_FOR_TOKENS);
        for (const key of TEAM_TOKEN_KEYS) assert.strictEqual(teamTokenName(longest, key, [1]).length, 40, key);
        // Raising settings.tokenGeneration rotates them: a new name for each.
        const rotated = (await deploy((s) => (s.tokenGeneration = 2))).cloud.resources.filter((r) => r.type === "pulumiservice:index:TeamAccessToken");
        for (const token of rotated) assert.ok(!tokens.some((t) => t.inputs.name === token.inputs.name), token.inputs.name);
        await assert.rejects(deploy((s) => (s.project = "multicloud-service-platform")), /settings\.project: must be at most 23 characters: the team tokens are named <project>-deployers-<6 hex>, and Pulumi Cloud allows 40/);
    });

    it("prod neither deploys on push nor previews pull requests on Deployments (it is released from deploy-prod.yml)", () => {
        const prod = settingsOf("prod");
        assert.strictEqual(prod.github.deployCommits, false);
        assert.strictEqual(prod.github.previewPullRequests, false);
        assert.strictEqual(prod.github.pullRequestTemplate, false);
    });

    it("every stack deploys with the Pulumi CLI of .pulumi.version on the workflows' Node.js, not Deployments' newest CLI", () => {
        // Pulumi's docs (Deployments, Custom Executor Images): the image field is how "to pin a specific Pulumi CLI
        // version"; pulumi/pulumi-docker-containers tags pulumi/pulumi-nodejs-<major> with each CLI release.
        const cli = fs.readFileSync(path.join(PROJECT_ROOT, ".pulumi.version"), "utf8").trim();
        const workflows = path.join(PROJECT_ROOT, ".github", "workflows");
        const nodeVersions = new Set(
            fs.readdirSync(workflows).flatMap((file) =>
                Object.values<any>(parse(fs.readFileSync(path.join(workflows, file), "utf8")).jobs).flatMap((job) =>
                    (job.steps ?? []).filter((s: any) => String(s.uses ?? "").startsWith("actions/setup-node@")).map((s: any) => String(s.with["node-version"])),
                ),
            ),
        );
        assert.deepStrictEqual([...nodeVersions], [String(EXECUTOR_NODE_MAJOR)], "the workflows' Node.js is the executor's");
        for (const stack of ["dev", "prod", "review"]) assert.deepStrictEqual(settingsOf(stack).executorContext, { executorImage: `pulumi/pulumi-nodejs-${EXECUTOR_NODE_MAJOR}:${cli}` }, stack);
    });

    it("a .pulumi.version that names no CLI release is refused, naming the file and what it holds", () => {
        const root = scratchDir("cli-version");
        assert.throws(() => executorImage(root), /\.pulumi\.version is missing: it names the Pulumi CLI version/);
        fs.writeFileSync(path.join(root, ".pulumi.version"), "latest\n");
        assert.throws(() => executorImage(root), /\.pulumi\.version holds "latest", not a Pulumi CLI version such as 3\.270\.0/);
        // The image tags are the bare version (pulumi/pulumi-nodejs-<major>:<cli version>, as above), not the CLI's git
        // tag (v3.271.1): a tag no image has would fail every deployment's pull.
        for (const written of ["v3.271.1", "3.271.1.0"]) {
            fs.writeFileSync(path.join(root, ".pulumi.version"), `${written}\n`);
            assert.throws(() => executorImage(root), /not a Pulumi CLI version such as 3\.270\.0/, written);
        }
        fs.writeFileSync(path.join(root, ".pulumi.version"), "3.271.1\n");
        assert.strictEqual(executorImage(root), `pulumi/pulumi-nodejs-${EXECUTOR_NODE_MAJOR}:3.271.1`);
    });

    it("credentials come from the stacks' ESC environments: no Deployments OIDC, a team token to open them (the deployers', review stacks the reviewers', prod's drift runs the releasers')", () => {
        const operationContext = (stack: string) => revealSecrets(settingsOf(stack).operationContext);
        for (const stack of ["dev", "prod", "review"]) assert.strictEqual(operationContext(stack).oidc, undefined, stack);
        for (const stack of ["dev", "prod", "review"]) {
            assert.deepStrictEqual(Object.keys(operationContext(stack).environmentVariables).sort(), ["GITHUB_TOKEN", "PULUMI_ACCESS_TOKEN", "PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"], stack);
            assert.strictEqual(operationContext(stack).environmentVariables.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES, PLUGIN_DOWNLOAD_URL_OVERRIDES, stack);
            assert.ok(isSecretInput(settingsOf(stack).operationContext), `${stack}: the token is a secret`);
        }
        const tokens = resources.filter((r) => r.type === "pulumiservice:index:TeamAccessToken").map((t) => t.inputs.teamName).sort();
        assert.deepStrictEqual(tokens, ["multicloud-service-deployers", "multicloud-service-releasers", "multicloud-service-reviewers"], "team tokens, never an organization token");
        assert.deepStrictEqual(resources.filter((r) => r.type === "pulumiservice:index:OrgAccessToken"), []);
        for (const [file, imports] of [["Pulumi.dev.yaml", ["multicloud-service/dev"]], ["Pulumi.prod.yaml", ["multicloud-service/prod", "multicloud-service/prod-release"]], ["Pulumi.review.yaml", ["multicloud-service/review"]]] as const) {
            assert.deepStrictEqual(parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")).environment, imports, file);
        }
    });

    it("the OIDC issuer shows no change on a later preview, whose state holds the thumbprints Pulumi Cloud computed; after a refresh, one change that sends none", () => {
        const issuer = resources.find((r) => r.type === "pulumiservice:index:OidcIssuer")!;
        assert.ok(issuer.outputs.thumbprints.length > 0, "Create's state holds Pulumi Cloud's thumbprints");
        assert.deepStrictEqual(nextUpAgainst(issuer, issuer.inputs, { inferState: issuer.outputs }).changed, [], "no change on every preview");
        const afterRefresh = nextUpAgainst(issuer, pulumiServiceRefreshedInputs[issuer.type](issuer.inputs), { inferState: issuer.outputs });
        assert.deepStrictEqual([afterRefresh.changed, afterRefresh.sent.thumbprints], [["thumbprints"], undefined], "docs/setup.md, 'When GitHub's Pulumi logins start failing'");
    });

    it("the first up after a refresh: the deployment settings send GitHub's settings as `github` alone", () => {
        // docs/setup.md runs `pulumi refresh`, then `pulumi up`. Pulumi Cloud answers with more than this
        // program sends (scripts/offline/pulumiServiceReads.ts says what and where from).
        for (const stack of ["dev", "prod", "review"]) {
            const settings = resources.find((r) => r.type === "pulumiservice:index:DeploymentSettings" && r.inputs.stack === stack)!;
            const { sent, changed } = nextUpAgainst(settings, pulumiServiceRefreshedInputs[settings.type](settings.inputs));
            // With `vcs` in the request, Pulumi Cloud runs no deployment on a push (pulumi/pulumi-pulumiservice#754).
            assert.strictEqual(sent.vcs, undefined, `${stack}: the update sends no vcs block`);
            assert.deepStrictEqual(changed, ["vcs"], `${stack}: the one change shown, once per refresh`);
        }
    });

    it("a new description of the workload boundary changes nothing: it would replace the policy under its fixed name, which IAM refuses", () => {
        const boundary = resources.find((r) => r.type === "aws:iam/policy:Policy" && r.name === "workload-boundary")!;
        const earlier = { ...boundary.inputs, description: "The most any role may do (an earlier wording)" };
        assert.deepStrictEqual(nextUpAgainst(boundary, earlier).changed, []);
        assert.deepStrictEqual(nextUpAgainst(boundary, { ...earlier, policy: "{}" }).changed, ["policy"], "a new policy is still an update");
    });

    it("no deployment runs with the Pulumi GitHub App's installation token: GITHUB_TOKEN is set to no credential", () => {
        // Pulumi injects GITHUB_TOKEN, an installation token for every repository the app may write to, unless the
        // settings give one (Pulumi's docs, "GitHub app: GitHub token in deployments"): a review stack would hand it
        // to a pull request's code.
        for (const stack of ["dev", "prod", "review"]) {
            const given = revealSecrets(settingsOf(stack).operationContext).environmentVariables;
            assert.ok(Object.hasOwn(given, "GITHUB_TOKEN"), `${stack}: GITHUB_TOKEN is given, so Pulumi injects none`);
            assert.strictEqual(given.GITHUB_TOKEN, NO_GITHUB_TOKEN, stack);
        }
        assert.ok(typeof NO_GITHUB_TOKEN === "string" && NO_GITHUB_TOKEN !== "" && !/^(gh[pousr]_|github_pat_)/.test(NO_GITHUB_TOKEN), "set (an empty value may read as unset) and not a GitHub token");
    });

    it("review stacks run a pull request's code with a token that opens the review environment only: no other stack's credentials, no stack grant", () => {
        // Review stacks run with the template's deployment settings, and the pull request may change their stack file
        // (Pulumi's docs, "Review stacks"): whatever the token may open, the pull request's code may.
        const token = revealSecrets(settingsOf("review").operationContext).environmentVariables.PULUMI_ACCESS_TOKEN;
        const team = resources.find((r) => r.type === "pulumiservice:index:TeamAccessToken" && r.outputs.value === token)!.inputs.teamName;
        assert.strictEqual(team, "multicloud-service-reviewers");
        assert.deepStrictEqual(resources.filter((r) => r.type === "pulumiservice:index:TeamStackPermission" && r.inputs.team === team), []);
        const opens = resources.filter((r) => r.type === "pulumiservice:index:TeamEnvironmentPermission" && r.inputs.team === team).map((g) => `${g.inputs.environment} ${g.inputs.permission}`);
        assert.deepStrictEqual(opens, ["review open"]);
        for (const stack of ["dev", "prod"]) assert.notStrictEqual(revealSecrets(settingsOf(stack).operationContext).environmentVariables.PULUMI_ACCESS_TOKEN, token, `${stack} runs with another token`);
    });

    it("Deployments run the stack from the folder of the service's Pulumi.yaml", () => {
        // The pulumiservice provider's schema, DeploymentSettings sourceContext.git.repoDir: "The directory within the
        // repository where the Pulumi.yaml is located."
        for (const stack of ["dev", "prod", "review"]) {
            const { repoDir } = settingsOf(stack).sourceContext.git;
            const project = path.join(PROJECT_ROOT, repoDir, "Pulumi.yaml");
            assert.ok(fs.existsSync(project), `${stack}: no Pulumi.yaml in ${repoDir}`);
            assert.strictEqual(parse(fs.readFileSync(project, "utf8")).name, settingsOf(stack).project, stack);
        }
    });

    it("each stack's Deployments open the ESC environments its stack file imports: prod's drift runs with the releasers' token, dev's with the deployers'", () => {
        // A drift run is a Deployments operation of the stack, run with these settings' PULUMI_ACCESS_TOKEN, which opens
        // the environments the stack file imports; the deployers are granted none of a released stack's
        // (deployments/pulumiAccess.ts), so prod's drift runs would fail on the deployers' token.
        for (const [stack, expected] of [["dev", "multicloud-service-deployers"], ["prod", "multicloud-service-releasers"], ["review", "multicloud-service-reviewers"]]) {
            const token = revealSecrets(settingsOf(stack).operationContext).environmentVariables.PULUMI_ACCESS_TOKEN;
            const team = resources.find((r) => r.type === "pulumiservice:index:TeamAccessToken" && r.outputs.value === token)!.inputs.teamName;
            assert.strictEqual(team, expected, stack);
            const opens = resources.filter((r) => r.type === "pulumiservice:index:TeamEnvironmentPermission" && r.inputs.team === team && ["open", "write", "admin"].includes(r.inputs.permission)).map((g) => `multicloud-service/${g.inputs.environment}`);
            for (const imported of parse(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")).environment) assert.ok(opens.includes(imported), `${stack}: its token cannot open ${imported}`);
        }
    });

    it("a released stack's release-state environment starts empty and is never reset by deployments/: the state the release wrote survives every later up", () => {
        // The release PATCHes the environment's definition (release/stack/escReleaseState.ts); an input the engine diffs
        // would send this program's empty definition back over it at the next `up` of deployments/.
        const state = resources.find((r) => r.type === "pulumiservice:index:Environment" && r.inputs.name === "prod-release")!;
        assert.ok(state.ignoreChanges.includes("yaml"), `prod-release's definition is left as the release wrote it (ignoreChanges: ${JSON.stringify(state.ignoreChanges)})`);
        const credentials = resources.find((r) => r.type === "pulumiservice:index:Environment" && r.inputs.name === "prod")!;
        assert.ok(!credentials.ignoreChanges.includes("yaml"), "prod's credentials environment follows the program");
    });

    it("taking a stack out of the settings, or destroying deployments/, keeps its stack and its release state and revokes its access", () => {
        // The provider's Environment Delete calls ESC's DELETE (pulumi-pulumiservice v1.3.0 resources/environment.go),
        // which "Permanently deletes a Pulumi ESC environment and all of its revision history" (its cloud/spec.json).
        // The release state cannot be made again; the credentials environment is this program's YAML over roles that go
        // in the same `up`, and grants, tokens, Deployments settings and schedules are access that should go with them.
        const kept = resources.filter((r) => r.type.startsWith("pulumiservice:") && r.options.retainOnDelete).map((r) => r.name);
        assert.deepStrictEqual(kept.sort(), ["dev-stack", "esc-prod-release", "prod-stack", "review-stack"]);
    });

    it("the release records its state in the released stack's release-state environment: the releasers may update it, the previewers only open it", () => {
        // release/stack/escReleaseState.ts updates prod-release's definition (ESC's UpdateEnvironmentWithRevision). Pulumi
        // Cloud's environment permissions (pulumi-pulumiservice schema.json, EnvironmentPermission): "open" is
        // "Permission to open and read the environment", "write" "Permission to open, read and update the environment".
        const permissions = (team: string) =>
            resources.filter((r) => r.type === "pulumiservice:index:TeamEnvironmentPermission" && r.inputs.environment === "prod-release" && r.inputs.team === team).map((g) => g.inputs.permission);
        assert.deepStrictEqual(permissions("multicloud-service-releasers"), ["write"], "deploy-prod.yml's release writes its state");
        assert.deepStrictEqual(permissions("multicloud-service-previewers"), ["open"], "a preview reads the traffic split the release left");
    });

    // A team's token opens what its grants name, and a credentials environment hands out its stack's write
    // credentials: pull requests' previewers open the read-only environment and the release state alone.
    it("each team opens its own environments only: the previewers the preview environment and the release state, no stack's credentials", () => {
        const grants = resources.filter((r) => r.type === "pulumiservice:index:TeamEnvironmentPermission").map((g) => `${g.inputs.team} ${g.inputs.environment} ${g.inputs.permission}`);
        assert.deepStrictEqual(grants.sort(), [
            "multicloud-service-deployers dev open",
            "multicloud-service-previewers preview open",
            "multicloud-service-previewers prod-release open",
            "multicloud-service-releasers prod open",
            "multicloud-service-releasers prod-release write",
            "multicloud-service-reviewers review open",
        ]);
    });

    it("AWS: an OIDC provider for ESC's audience and a deploy role per stack that only its environment's login may assume", () => {
        const provider = resources.find((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" && r.name === "pulumi-oidc")!;
        assert.strictEqual(provider.inputs.url, "https://api.pulumi.com/oidc");
        assert.deepStrictEqual(provider.inputs.clientIdLists, ["aws:my-pulumi-org"]);
        for (const stack of ["dev", "prod", "review"]) {
            const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.name === `deploy-${stack}`)!;
            const [statement] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
            assert.strictEqual(statement.Action, "sts:AssumeRoleWithWebIdentity");
            assert.deepStrictEqual(statement.Condition, {
                StringEquals: {
                    "api.pulumi.com/oidc:aud": "aws:my-pulumi-org",
                    "api.pulumi.com/oidc:sub": `pulumi:environments:pulumi.organization.login:my-pulumi-org:currentEnvironment.name:multicloud-service/${stack}`,
                },
            });
        }
    });

    it("AWS: an account that already has the OIDC providers (IAM allows one per issuer URL) uses them by ARN and creates none", async () => {
        const existing = {
            pulumi: "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc",
            github: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        };
        // The account's providers, with the audiences the tokens carry among their client IDs.
        const account = (clientIds: { pulumi: string[]; github: string[] }) => (cloud: MockCloud) => {
            cloud.oidcProviders.set(existing.pulumi, clientIds.pulumi);
            cloud.oidcProviders.set(existing.github, clientIds.github);
        };
        const adopted = (await deploy((s) => (s.existingAwsOidcProviders = existing), account({ pulumi: ["aws:my-pulumi-org"], github: ["sts.amazonaws.com"] }))).cloud.resources;
        assert.deepStrictEqual(adopted.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider").map((r) => r.name), []);
        const federated = (name: string) => JSON.parse(adopted.find((r) => r.type === "aws:iam/role:Role" && r.name === name)!.inputs.assumeRolePolicy).Statement[0].Principal.Federated;
        assert.strictEqual(federated("deploy-prod"), existing.pulumi);
        assert.strictEqual(federated("image-dev"), existing.github);
        assert.strictEqual(federated("promote-prod"), existing.github);
        await assert.rejects(
            deploy((s) => (s.existingAwsOidcProviders = { github: existing.pulumi })),
            /settings\.existingAwsOidcProviders\.github: must be the ARN of the account's IAM OIDC provider for token\.actions\.githubusercontent\.com/,
        );
    });

    it("AWS: an existing OIDC provider without the tokens' audience among its client IDs is refused, naming the command that adds it", async () => {
        // STS checks a token's aud against the provider's client IDs before any trust policy ("Incorrect token
        // audience"): ESC's AWS logins carry aws:<org>, GitHub's configure-aws-credentials sts.amazonaws.com.
        const existing = { pulumi: "arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc" };
        await assert.rejects(
            deploy((s) => (s.existingAwsOidcProviders = existing), (cloud) => cloud.oidcProviders.set(existing.pulumi, ["my-pulumi-org"])),
            /settings\.existingAwsOidcProviders\.pulumi: arn:aws:iam::123456789012:oidc-provider\/api\.pulumi\.com\/oidc lists the client IDs \["my-pulumi-org"\], not aws:my-pulumi-org, so STS would refuse every token with "Incorrect token audience"\. Add it: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::123456789012:oidc-provider\/api\.pulumi\.com\/oidc --client-id aws:my-pulumi-org/,
        );
        // An ARN the account does not have: the provider's answer names neither it nor the setting, so the check does.
        await assert.rejects(
            deploy((s) => (s.existingAwsOidcProviders = existing)),
            /settings\.existingAwsOidcProviders\.pulumi: arn:aws:iam::123456789012:oidc-provider\/api\.pulumi\.com\/oidc could not be read; it must be an IAM OIDC provider of the account deployments\/ runs in \(aws iam list-open-id-connect-providers\)\. [\s\S]*reading IAM OIDC Provider: couldn't find resource/,
        );
    });

    it("GCP: a workload identity pool whose Pulumi provider takes ESC logins of this org's project only, impersonation per environment, no keys", () => {
        const provider = resources.find((r) => r.type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider" && r.name === "pulumi")!;
        assert.strictEqual(provider.inputs.oidc.issuerUri, "https://api.pulumi.com/oidc");
        assert.deepStrictEqual(provider.inputs.oidc.allowedAudiences, ["gcp:my-pulumi-org"]);
        assert.strictEqual(provider.inputs.attributeCondition, 'assertion.sub.startsWith("pulumi:environments:pulumi.organization.login:my-pulumi-org:currentEnvironment.name:multicloud-service/")');
        for (const stack of ["dev", "prod", "review"]) {
            const binding = resources.find((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && r.name === `deploy-${stack}-impersonation`)!;
            assert.strictEqual(binding.inputs.role, "roles/iam.workloadIdentityUser");
            assert.match(binding.inputs.member, new RegExp(`^principal://iam\\.googleapis\\.com/projects/\\d+/locations/global/workloadIdentityPools/pulumi-deployments/subject/pulumi:environments:pulumi\\.organization\\.login:my-pulumi-org:currentEnvironment\\.name:multicloud-service/${stack}$`));
        }
        assert.deepStrictEqual(resources.filter((r) => r.type === "gcp:serviceaccount/key:Key"), []);
        assert.deepStrictEqual(resources.filter((r) => r.type === "aws:iam/accessKey:AccessKey"), []);
    });

    // Google refuses a grant naming a service account created moments before ("you might need to wait for 60 seconds
    // or more"), and the provider does not retry it (components/gcp/accountPropagation.ts); the mock cloud's fresh
    // account refuses such grants in the provider's words (scripts/offline/fakeAccountPropagation.ts).
    it("GCP, a first up: the grants naming the new service accounts (project roles, ID tokens) wait until IAM knows them", async () => {
        const { cloud } = await deploy(() => {}, (c) => (c.freshAccount = true));
        const grantsToNewAccounts = cloud.resources.filter((r) => /^gcp:(projects|serviceaccount)\/iAMMember:IAMMember$/.test(r.type) && String(r.inputs.member).startsWith("serviceAccount:"));
        assert.ok(grantsToNewAccounts.length >= 10, `${grantsToNewAccounts.length} grants`);
        for (const grant of grantsToNewAccounts) {
            assert.ok(grant.dependsOn.some((urn) => urn.includes("time:index/sleep:Sleep::")), `${grant.name} waits for its member`);
            // By dependsOn, not through the wait's outputs: where the accounts exist already and only the waits are new
            // (a stack made before them), a member from a wait still to be made would be unknown in the preview, which
            // shows every grant naming it replaced (the member is ForceNew).
            assert.ok(!(grant.propertyDependencies.member ?? []).some((urn) => urn.includes("time:index/sleep:Sleep::")), `${grant.name}'s member comes from its account alone`);
        }
        const waits = cloud.ofType("time:index/sleep:Sleep");
        assert.ok(waits.every((w) => w.inputs.createDuration === "60s"));
        assert.deepStrictEqual(new Set(waits.map((w) => w.inputs.triggers.member)).size, waits.length, "one wait per account");
    });

    // pulumi-pulumiservice v1.3.0's Environment Update drops ESC's error and reports revision 0 (environment.go); the mock
    // cloud answers so when told ESC refuses (scripts/offline/mockCloud.ts, escRefusesDefinitions).
    it("an ESC environment whose new definition ESC did not take fails the up, naming it and the refresh that sends it again", async () => {
        await assert.rejects(
            deploy(() => {}, (c) => (c.escRefusesDefinitions = true)),
            /ESC did not take the new definition of my-pulumi-org\/multicloud-service\/[a-z-]+: the provider reports revision 0, .* run `pulumi up --refresh` \(in deployments\/\)/,
        );
        const preview = await deploy(() => {}, (c) => (c.escRefusesDefinitions = true), true);
        assert.ok(preview.cloud.ofType("pulumiservice:index:Environment").length >= 4, "a preview changes nothing and checks nothing");
    });

    // Before: the SDK's "Missing required configuration variable ... pulumi config set <key> <value>", which does not
    // set an object, and for null "multicloud-service-deployments:settings.:" with an empty path.
    it("settings that are missing or not an object are named as such", async () => {
        const program = require("../../deployments/index");
        const run = (config: Record<string, string>) => runUnderMocks({ stack: "main", project: PROJECT, config: { "aws:region": "ap-northeast-1", ...config } }, () => program());
        await assert.rejects(run({}), {
            message:
                "multicloud-service-deployments:settings is not set; nothing was deployed: this stack reads its settings object from deployments/Pulumi.<stack>.yaml (deployments/Pulumi.main.yaml is the example; docs/setup.md)",
        });
        await assert.rejects(run({ [`${PROJECT}:settings`]: "null" }), { message: "invalid settings; nothing was deployed:\n  - multicloud-service-deployments:settings: Invalid input: expected object, received null (got null)" });
    });

    // Pulumi 3.139+ names resources by pulumi:autonaming when it is set, in the stack file, Pulumi.yaml or an ESC
    // environment (pulumi/pulumi pkg/cmd/pulumi/autonaming/config.go). Before, `mode: verbatim` (the Pulumi docs'
    // "Autonaming configuration") passed: the roles became image-dev, deploy-dev..., which the signing key's
    // `role/<name>-???????` patterns match no longer, so no image role could sign and the deploy roles were not kept
    // from the key's policy.
    it("pulumi:autonaming other than the default is refused before anything is registered, naming the key and the signing key's policy", async () => {
        const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
        const program = require("../../deployments/index");
        let cloud: MockCloud | undefined;
        const run = (autonaming: unknown) =>
            runUnderMocks({ stack: "main", project: PROJECT, config: { ...config, "pulumi:autonaming": JSON.stringify(autonaming) }, setup: (c) => (cloud = c) }, () => program());
        await assert.rejects(
            run({ mode: "verbatim" }),
            (err: Error) =>
                err.message.startsWith(`invalid settings; nothing was deployed:\n  - pulumi:autonaming: sets mode "verbatim", but this program relies on Pulumi's default autonaming`) &&
                err.message.includes("the image signing key's policy names this stack's roles as <logical name>-???????"),
        );
        assert.deepStrictEqual(cloud?.resources, []);
        await assert.rejects(run({ providers: { aws: { pattern: "${name}-${hex(8)}" } } }), /pulumi:autonaming: sets providers\.aws\.pattern "\$\{name\}-\$\{hex\(8\)\}", but/);
    });

    it("drift detection runs where settings.stacks.<stack>.driftSchedule asks, on that schedule, and on no other stack", async () => {
        // scheduleCron: "Cron expression for when to run drift detection." (@pulumi/pulumiservice driftSchedule.d.ts)
        const schedules = (await deploy((s) => ((s.stacks.dev.driftSchedule = "15 3 * * MON"), delete s.stacks.prod.driftSchedule))).cloud.ofType("pulumiservice:index:DriftSchedule");
        assert.deepStrictEqual(schedules.map((d) => [d.inputs.stack, d.inputs.scheduleCron, d.inputs.autoRemediate]), [["dev", "15 3 * * MON", false]]);
    });

    it("bad settings are refused before anything is registered, naming the key and the rule", async () => {
        await assert.rejects(deploy((s) => (s.repository = "not a repo")), /multicloud-service-deployments:settings\.repository: must be owner\/name/);
        await assert.rejects(deploy((s) => (s.stacks.prod.reviewTemplate = true)), /settings\.stacks\.prod\.reviewTemplate: must be false in a production stack/);
        await assert.rejects(deploy((s) => (s.stacks["prod-eu"] = { deployOnPush: true })), /settings\.stacks\.prod-eu\.deployOnPush: must be false in a production stack/);
        await assert.rejects(deploy((s) => (s.stacks.prod.promoteFrom = "staging")), /settings\.stacks\.prod\.promoteFrom: names no stack of settings\.stacks \(dev, prod, review\)/);
        // One review-stack template, never deployed or released itself; a released stack is deployed by promotion only, from a stack that builds images.
        await assert.rejects(deploy((s) => (s.stacks["review-b"] = { deployOnPush: false, reviewTemplate: true })), /settings\.stacks: at most one review-stack template \(got review, review-b\)/);
        await assert.rejects(deploy((s) => (s.stacks.review.deployOnPush = true)), /settings\.stacks\.review\.deployOnPush: must be false in a review-stack template/);
        await assert.rejects(deploy((s) => (s.stacks.review.promoteFrom = "dev")), /settings\.stacks\.review\.promoteFrom: a review-stack template is not released/);
        await assert.rejects(deploy((s) => (s.stacks.prod.promoteFrom = "review")), /settings\.stacks\.prod\.promoteFrom: review builds no image: only a stack deployed on push does/);
        await assert.rejects(deploy((s) => (s.stacks.staging = { deployOnPush: true, promoteFrom: "dev" })), /settings\.stacks\.staging\.deployOnPush: a released stack does not deploy on push/);
        // A stack name of lowercase letters, digits and '-' only (it names the stack's accounts and roles in both clouds).
        await assert.rejects(deploy((s) => (s.stacks.dev_b = { deployOnPush: false })), /settings\.stacks\.dev_b: "dev_b" is not a stack name of lowercase letters, digits and '-'/);
        // Every deployer holds roles/iam.serviceAccountAdmin in its stack's project, and the identities' accounts are in the pool's.
        await assert.rejects(deploy((s) => (s.gcpProject = "multicloud-service-dev")), /Pulumi\.dev\.yaml deploys to gcp:project multicloud-service-dev, the identity pool's project \(settings\.gcpProject\)/);
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "hourly")), /settings\.stacks\.prod\.driftSchedule: must be a cron expression of five fields/);
        // Six fields is croner's seconds-first form, not the "standard 5-field cron syntax" Pulumi Cloud's schedules take.
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "0 0 */6 * * *")), /settings\.stacks\.prod\.driftSchedule: must be a cron expression of five fields/);
        // Five fields, but no cron: Pulumi Cloud would refuse the schedule only when `up` creates it.
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "61 * * * *")), /settings\.stacks\.prod\.driftSchedule: "61 \* \* \* \*" is not a cron expression Pulumi Cloud can run: Invalid value for minute: 61/);
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "a b c d e")), /settings\.stacks\.prod\.driftSchedule: "a b c d e" is not a cron expression/);
        // Valid, and never due: drift detection would never run. Before: accepted.
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "0 0 30 2 *")), /settings\.stacks\.prod\.driftSchedule: "0 0 30 2 \*" is not a cron expression Pulumi Cloud can run: it names a day no month has, so it would never run/);
        // Pulumi Cloud's schedules take "standard 5-field cron syntax (MIN HOUR DOM MON DOW)" (its REST API's OpenAPI
        // document, CreateScheduledDeploymentRequest.scheduleCron; pulumi-pulumiservice v1.3.0 provider/pkg/cloud/spec.json).
        // croner's extensions (last day L, nearest weekday W, nth weekday #) are not that syntax, so they are refused.
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "0 0 L * *")), /settings\.stacks\.prod\.driftSchedule: "0 0 L \* \*" is not a cron expression Pulumi Cloud can run: its day of month field "L" is not standard five-field cron/);
        await assert.rejects(deploy((s) => (s.stacks.prod.driftSchedule = "0 6 * * 1#1")), /settings\.stacks\.prod\.driftSchedule: "0 6 \* \* 1#1" is not a cron expression Pulumi Cloud can run: its day of week field "1#1" is not standard five-field cron/);
        // Names of months and days are standard: still taken.
        await deploy((s) => (s.stacks.prod.driftSchedule = "30 2 * JAN-DEC MON-FRI"));
        // Steps, lists and ranges in every field are standard too, and a name in any case (Vixie cron's crontab(5) manual
        // page: "Use the first three letters of the particular day or month (case doesn't matter)").
        await deploy((s) => (s.stacks.prod.driftSchedule = "*/15 1,13 1-15 jan *"));
        await assert.rejects(deploy((s) => (s.stacks["review-of-a-very-long-feature-branch-name"] = { deployOnPush: true })), /settings\.stacks\.review-of-a-very-long-feature-branch-name: ESC's token subject for environment multicloud-service\/review-of-a-very-long-feature-branch-name of organization my-pulumi-org has 144 bytes; Google Cloud maps at most 127/);
        await assert.rejects(deploy((s) => (s.repository = "my-github-org/multicloud.service")), /settings\.repository: my-github-org\/multicloud\.service has a '\.', which Pulumi Cloud's OIDC issuer policies match as any one character/);
        await assert.rejects(deploy((s) => s.awsPolicyArns.push("arn:aws:iam::aws:policy/IAMFullAccess")), /settings\.awsPolicyArns\.1: must not grant all of IAM/);
        // Every ARN deployments/ writes is arn:aws: (trusts, key policy, ECR repositories), as its stacks refuse the other
        // partitions. Before: a GovCloud policy or provider ARN passed, and trusts would name arn:aws: principals beside it.
        await assert.rejects(deploy((s) => (s.awsPolicyArns = ["arn:aws-us-gov:iam::aws:policy/PowerUserAccess"])), /settings\.awsPolicyArns\.0: must be an IAM policy ARN, in the commercial partition \(arn:aws:\)/);
        await assert.rejects(
            deploy((s) => (s.existingAwsOidcProviders = { pulumi: "arn:aws-cn:iam::123456789012:oidc-provider/api.pulumi.com/oidc" })),
            /settings\.existingAwsOidcProviders\.pulumi: must be the ARN of the account's IAM OIDC provider for api\.pulumi\.com\/oidc, in the commercial partition \(arn:aws:\)/,
        );
        // The subject prefix is the repository's own, with or without the IDs GitHub appends after an '@' (GitHub docs,
        // OpenID Connect, "Immutable subject claims": repo:octocat@123456/my-repo@456789:ref:refs/heads/main).
        await assert.rejects(deploy((s) => delete s.githubSubjectPrefix), /settings\.githubSubjectPrefix: Invalid input: expected string, received undefined/);
        await assert.rejects(deploy((s) => (s.githubSubjectPrefix = "my-github-org/multicloud-service")), /settings\.githubSubjectPrefix: must be repo:<owner>\/<name> as the repository's GitHub Actions tokens name it/);
        await assert.rejects(deploy((s) => (s.githubSubjectPrefix = "repo:someone-else@42/multicloud-service@7")), /settings\.githubSubjectPrefix: repo:someone-else@42\/multicloud-service@7 is not the subject of my-github-org\/multicloud-service's tokens/);
        await assert.rejects(deploy((s) => (s.githubSubjectPrefix = "repo:my-github-org@1/multicloud-service@extra")), /is not the subject of my-github-org\/multicloud-service's tokens/);
        // An ID after a '-' is no subject GitHub makes, and my-github-org-1234567 may well be another organization.
        await assert.rejects(deploy((s) => (s.githubSubjectPrefix = "repo:my-github-org-1234567/multicloud-service-987654321")), /is not the subject of my-github-org\/multicloud-service's tokens: it is repo:my-github-org\/multicloud-service, or repo:<owner>@<owner id>\/<name>@<repository id>/);
        // GitHub gives both IDs or neither.
        await assert.rejects(deploy((s) => (s.githubSubjectPrefix = "repo:my-github-org@1234567/multicloud-service")), /is not the subject of my-github-org\/multicloud-service's tokens/);
        // A separator an issuer policy would read as a pattern would match other repositories' tokens too.
        for (const prefix of ["repo:my-github-org*1/multicloud-service*2", "repo:my-github-org?1/multicloud-service+2"]) {
            await assert.rejects(deploy((s) => (s.githubSubjectPrefix = prefix)), /is not the subject of my-github-org\/multicloud-service's tokens/, prefix);
        }
        // One spelling in every claim of GitHub's tokens; Google's condition (assertion.repository == ...) and the
        // provenance's workflow compare exactly, so a repository written in another case would fail every Google login.
        await assert.rejects(
            deploy((s) => ((s.repository = "My-GitHub-Org/MultiCloud-Service"), (s.githubSubjectPrefix = "repo:my-github-org@1234567/multicloud-service@987654321"))),
            /settings\.repository: My-GitHub-Org\/MultiCloud-Service is spelled my-github-org\/multicloud-service in githubSubjectPrefix: GitHub's tokens carry one spelling/,
        );
        await assert.rejects(deploy((s) => (s.githubSubjectPrefix = "repo:My-GitHub-Org/multicloud-service")), /settings\.repository: my-github-org\/multicloud-service is spelled My-GitHub-Org\/multicloud-service/);
        // Spelled alike, the settings pass; then prod's image.verify.workflow must be spelled so too.
        await assert.rejects(
            deploy((s) => ((s.repository = "My-GitHub-Org/MultiCloud-Service"), (s.githubSubjectPrefix = "repo:My-GitHub-Org@1234567/MultiCloud-Service@987654321"))),
            /Pulumi\.prod\.yaml sets multicloud-service:image\.verify\.workflow to my-github-org\/.*; image\.yml of My-GitHub-Org\/MultiCloud-Service builds its images/,
        );
        await deploy((s) => (s.githubSubjectPrefix = "repo:my-github-org@1234567/multicloud-service@987654321"));
        await deploy((s) => (s.githubSubjectPrefix = "repo:my-github-org/multicloud-service"));
        // GitHub allows repository names of 100 characters; its subject reaches Google's pool for the image push.
        const longRepository = `my-github-org/${"r".repeat(100)}`;
        await assert.rejects(deploy((s) => ((s.repository = longRepository), (s.githubSubjectPrefix = `repo:${longRepository}`))), new RegExp(`settings\\.branch: GitHub's token subject repo:${longRepository}:ref:refs/heads/main has 139 bytes; Google Cloud maps at most 127 [^\\n]*\\n.*settings\\.stacks\\.prod: GitHub.s token subject repo:${longRepository}:environment:prod has 136 bytes`));
    });

    // Stack names are keys of a plain object: a name Object.prototype has (constructor, toString, __proto__) was found
    // there, and promoteFrom naming it was told that stack "builds no image"; zod drops a `__proto__` key of a record,
    // so a stack named so was left out without a word.
    it("a stack named like a property every object has is refused or looked up as any other name", async () => {
        for (const source of ["constructor", "toString", "__proto__"]) {
            await assert.rejects(deploy((s) => (s.stacks.prod.promoteFrom = source)), new RegExp(`settings\\.stacks\\.prod\\.promoteFrom: names no stack of settings\\.stacks \\(dev, prod, review\\)`));
        }
        await assert.rejects(
            deploy((s) => Object.defineProperty(s.stacks, "__proto__", { value: { deployOnPush: false }, enumerable: true })),
            /settings\.stacks\.__proto__: "__proto__" is not a stack name of lowercase letters, digits and '-'/,
        );
    });

    // Deployments clones refs/heads/<branch> and the image roles trust a token of that ref: a name git refuses is a
    // branch nobody can push, and dev would never deploy (git's Documentation/git-check-ref-format.txt).
    it("a branch name git refuses is refused, with the rule it breaks; a name git takes passes the settings", async () => {
        const refused: [string, string][] = [
            ["my branch", "it has a space, a control character or one of ~ ^ : ? * [ \\"],
            ["release..1", "it has '..'"],
            ["feature/", "it starts or ends with '/', or has '//'"],
            ["fix/.hidden", "a part between '/' starts with '.'"],
            ["main.lock", "a part between '/' ends with '.lock'"],
            ["v1.", "it ends with '.'"],
            ["a@{1}", "it has '@{'"],
            ["-main", "it starts with '-'"],
            ["HEAD", "HEAD names no branch"],
        ];
        for (const [branch, why] of refused) {
            const expected = `settings.branch: ${JSON.stringify(branch)} is not a valid branch name: ${why} (git check-ref-format)`;
            await assert.rejects(deploy((s) => (s.branch = branch)), (err: Error) => (assert.ok(err.message.includes(expected), `${expected}\ngot: ${err.stack}`), true), branch);
        }
        // The other rules, by the check itself (each deploy above costs a plan): rule 9 ("@" alone), rule 10 (a backslash),
        // rule 6 ('//', a leading '/'), rule 1 for a part before the last ('.lock' at a part's end).
        const byRule: [string, string][] = [
            ["@", "@ names no branch"],
            ["fix\\1", "it has a space, a control character or one of ~ ^ : ? * [ \\"],
            ["fix//1", "it starts or ends with '/', or has '//'"],
            ["/fix", "it starts or ends with '/', or has '//'"],
            ["fix.lock/1", "a part between '/' ends with '.lock'"],
        ];
        for (const [branch, why] of byRule) assert.strictEqual(gitBranchProblem(branch), `${JSON.stringify(branch)} is not a valid branch name: ${why} (git check-ref-format)`);
        // (Planned further, prod's image.verify.workflow would have to name the branch too: imageWorkflow.ts.)
        for (const branch of ["main", "release/été-1.x@2", "feature/a.b_c-d"]) assert.ok(settingsSchema.safeParse({ ...committedSettings(), branch }).success, branch);
    });

    // A prefix with no '/' (the owner alone, or `repo:` with nothing after it) fails its own rule, and the check of
    // whose tokens it names read its missing name: a TypeError with a stack trace, and no other problem listed.
    it("a githubSubjectPrefix without owner/name is refused by its own rule, with the other problems, not a TypeError", async () => {
        for (const prefix of ["repo:my-github-org", "repo:", ""]) {
            await assert.rejects(
                deploy((s) => ((s.githubSubjectPrefix = prefix), (s.organization = "-org"))),
                (err: Error) => {
                    assert.strictEqual(err.constructor.name, "RunError", `${JSON.stringify(prefix)}: ${err.stack}`);
                    assert.match(err.message, /settings\.organization: must be a Pulumi organization name \(got "-org"\)\n {2}- [^\n]*settings\.githubSubjectPrefix: must be repo:<owner>\/<name> as the repository's GitHub Actions tokens name it/);
                    return true;
                },
                JSON.stringify(prefix),
            );
        }
    });
});
