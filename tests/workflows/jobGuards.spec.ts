import * as assert from "assert";
import { parse } from "yaml";
import { runnerLabelProblems } from "../../scripts/workflows/runnerLabels";
import { ParsedWorkflow as Workflow, parsedWorkflows, readWorkflow, workflowFiles, workflowJobs, workflowSteps } from "./workflowFiles";

const committed = parsedWorkflows();
const jobsOf = (workflows: Workflow[]) => workflowJobs(workflows).map((j) => ({ ...j, where: `${j.file} ${j.jobName}` }));
const stepsOf = (workflows: Workflow[]) =>
    workflowSteps(workflows).map((s) => ({ ...s, where: `${s.file} ${s.jobName}: ${s.step.name ?? s.step.id ?? s.step.uses ?? s.step.run}` }));

/** Each job's token: a job's `permissions` replace the workflow's; with neither, the repository's default applies (GitHub docs, "Controlling permissions for GITHUB_TOKEN"). */
function tokenPermissions(workflows: Workflow[]): Record<string, unknown> {
    return Object.fromEntries(jobsOf(workflows).map(({ where, workflow, job }) => [where, job.permissions ?? workflow.permissions ?? "the repository's default"]));
}

/** Scripts into which the runner pastes an expression's value before the shell or github-script reads them. */
function expressionsInScripts(workflows: Workflow[]): string[] {
    return stepsOf(workflows)
        .filter(({ step }) => /\$\{\{/.test(String(step.run ?? "")) || (String(step.uses ?? "").startsWith("actions/github-script@") && /\$\{\{/.test(String(step.with?.script ?? ""))))
        .map(({ where }) => where);
}

function withoutTimeout(workflows: Workflow[]): string[] {
    return jobsOf(workflows)
        .filter(({ job }) => typeof job["timeout-minutes"] !== "number")
        .map(({ where }) => where);
}

function continuingOnError(workflows: Workflow[]): string[] {
    return [...jobsOf(workflows).filter(({ job }) => job["continue-on-error"] !== undefined), ...stepsOf(workflows).filter(({ step }) => step["continue-on-error"] !== undefined)].map(({ where }) => where);
}

/** Steps that hand the job's GITHUB_TOKEN to what they run, under any name, through their own env, the job's or the workflow's. */
function jobTokenHolders(workflows: Workflow[]): string[] {
    const token = /\$\{\{\s*(github\.token|secrets\.GITHUB_TOKEN)\s*\}\}/;
    return stepsOf(workflows)
        .filter(({ workflow, job, step }) => Object.values({ ...workflow.env, ...job.env, ...step.env }).some((value) => token.test(String(value))))
        .map(({ where }) => where);
}

describe("GitHub workflows: each job's token, scripts, gates and limits", () => {
    // A job's permissions replace the workflow's, and any scope a `permissions` map leaves out is none (GitHub docs,
    // "Controlling permissions for GITHUB_TOKEN"). A workflow without one gets the repository's default, which may be
    // read and write on every scope. Each job's token is listed here: a scope added anywhere is a change to this table.
    it("every workflow is read-only by default, and each job's token holds exactly the scopes it uses", () => {
        for (const { file, workflow } of committed) assert.deepStrictEqual(workflow.permissions, { contents: "read" }, file);
        assert.deepStrictEqual(tokenPermissions(committed), {
            "ci.yml test": { contents: "read" },
            // actions: read for the guard's environments API call; id-token for the promotion, release and Pulumi logins.
            "deploy-prod.yml up": { contents: "read", "id-token": "write", actions: "read" },
            "image.yml dev": { contents: "read", "id-token": "write" },
            "package-tag.yml version": { contents: "read" },
            "package-tag.yml installed": { contents: "read" },
            "preview.yml changes": { contents: "read" },
            "preview.yml preview": { contents: "read", "id-token": "write", "pull-requests": "write" },
            "preview.yml not-previewed": { contents: "read", "pull-requests": "write" },
            "preview.yml result": { contents: "read" },
        });
    });

    // The runner replaces `${{ }}` in a run: script (or github-script's script) before the shell reads it (GitHub docs,
    // "Script injections": pass values through an environment variable). actionlint flags only the github.event fields
    // of its list (rhysd/actionlint expr_insecure.go, BuiltinUntrustedInputs): not needs.changes.outputs.reason, which
    // names the files a fork's pull request changed, nor a secret.
    it("no run: script or github-script script interpolates an expression: every value reaches it through env", () => {
        assert.deepStrictEqual(expressionsInScripts(committed), []);
    });

    // continue-on-error "prevents a job from failing when a step fails" (GitHub docs, workflow syntax): on the prod
    // guard, the credentials check or `preview result`, the gate would report and let the run pass. The one exception
    // gates nothing: ECR Public's login only buys the base image's pulls the account's quota, and a refused login (an
    // organization's region-deny SCP) leaves the build to pull the public image anonymously, with a warning step.
    it("no job or step continues on error but the ECR Public login (every other step here is a gate or what a gate needs)", () => {
        assert.deepStrictEqual(continuingOnError(committed), ["image.yml dev: Log in to ECR Public (the base image)"]);
    });

    // Without timeout-minutes GitHub lets a job run 360 minutes (workflow syntax, jobs.<job_id>.timeout-minutes): a hung
    // image build holds image-dev's group, and the sessions it took, for six hours.
    it("every job has its own timeout-minutes", () => {
        assert.deepStrictEqual(withoutTimeout(committed), []);
    });

    // A `-latest` label moves to the next OS image over 1-2 months of GitHub's choosing (actions/runner-images README,
    // "Latest Migration Process"), and the image's skopeo, jq, gh, git, docker and Pulumi with it (scripts/workflows/runnerLabels.ts).
    it("every job runs on a runner image named by its version, none on a -latest label", () => {
        assert.deepStrictEqual(
            workflowFiles.flatMap((file) => runnerLabelProblems(`.github/workflows/${file}`, readWorkflow(file))),
            [],
        );
    });

    // gh reads GH_TOKEN or GITHUB_TOKEN (cli/cli, `gh help environment`); any step given the job's token can use its
    // scopes. Only the prod guard reads GitHub's API with it; github-script steps take it through their own input.
    it("the job's GITHUB_TOKEN reaches no step's environment but the prod guard's", () => {
        assert.deepStrictEqual(jobTokenHolders(committed), ["deploy-prod.yml up: the prod environment is protected"]);
    });

    it("each check can fail: it names a widened token, an interpolated script, a gate that continues, a job without a limit, a token passed on, a moving runner label", () => {
        const text = [
            "on: pull_request",
            "jobs:",
            "  a:",
            "    runs-on: ubuntu-latest",
            "    permissions: { contents: read, packages: write }",
            "    env: { GH_TOKEN: '${{ github.token }}' }",
            "    steps:",
            "      - name: reason",
            "        continue-on-error: true",
            "        run: echo \"${{ needs.changes.outputs.reason }}\"",
            "      - uses: actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd # v8.0.0",
            "        with: { script: 'core.info(`${{ secrets.X }}`)' }",
            "  b:",
            "    runs-on: ubuntu-latest",
            "    timeout-minutes: 5",
            "    steps: [{ run: 'true' }]",
        ].join("\n");
        const broken = [{ file: "w.yml", workflow: parse(text) }];
        assert.deepStrictEqual(tokenPermissions(broken), { "w.yml a": { contents: "read", packages: "write" }, "w.yml b": "the repository's default" });
        assert.deepStrictEqual(expressionsInScripts(broken), ["w.yml a: reason", "w.yml a: actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd"]);
        assert.deepStrictEqual(continuingOnError(broken), ["w.yml a: reason"]);
        assert.deepStrictEqual(withoutTimeout(broken), ["w.yml a"]);
        assert.deepStrictEqual(jobTokenHolders(broken), ["w.yml a: reason", "w.yml a: actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd"]);
        const moving = (at: string, job: string, label: string) =>
            `w.yml:${at}: job ${job} runs on "${label}", which GitHub moves to the next image on its own schedule: name the image by its version, \`runs-on: ubuntu-24.04\`, and raise it by hand when GitHub announces the next (docs/delivery.md)`;
        assert.deepStrictEqual(runnerLabelProblems("w.yml", text), [moving("4", "a", "ubuntu-latest"), moving("14", "b", "ubuntu-latest")]);
        const runsOn = (value: string) => runnerLabelProblems("w.yml", `on: push\njobs:\n  a:\n    runs-on: ${value}\n    steps: [{ run: 'true' }]\n`);
        assert.deepStrictEqual(runsOn("[self-hosted, macos-latest-xlarge]"), [moving("4", "a", "macos-latest-xlarge")]);
        assert.deepStrictEqual(runsOn("{ group: g, labels: Windows-Latest }"), [moving("4", "a", "Windows-Latest")]);
        assert.deepStrictEqual(runsOn("${{ matrix.os }}").length, 1);
        for (const named of ["ubuntu-24.04", "[self-hosted, linux]", "{ group: g, labels: [ubuntu-24.04] }"]) assert.deepStrictEqual(runsOn(named), [], named);
    });
});
