// @ts-check
/**
 * Whether preview.yml previews this run, and what its `preview result` check says when it does not. The workflow runs
 * on every pull request and merge group, with no path filter: GitHub leaves a required check of a workflow skipped by
 * its path filter "Pending" and the pull request blocked (GitHub docs, "Handling skipped but required checks"), and a
 * matrix job skipped by its `if` reports one check named `preview ${{ matrix.stack }}` instead of `preview dev` and
 * `preview prod` (actions/runner#952). So this decides, and one job of a fixed name always reports.
 *
 * Run by the workflow as `git diff -z --no-renames --name-only HEAD^1 HEAD | node previewDecision.js` (the base's copy),
 * with EVENT_NAME, HEAD_REPOSITORY, REPOSITORY and ACTOR set; writes preview, blocks and reason to $GITHUB_OUTPUT.
 */
"use strict";
const fs = require("fs");

/**
 * The files a pull request's preview is about: what the deployment is made from (config/programPaths.json, the paths
 * Pulumi Deployments deploys on), the policy pack, the pull request's comment, the CLI's version, and this workflow
 * with its decision. tests/workflows/workflows.spec.ts checks that every file the program loads or bundles is under
 * one of them.
 */
const PREVIEW_PATHS = [...require("../../config/programPaths.json").paths, "policy/**", "review/**", ".pulumi.version", ".github/workflows/preview.yml", "scripts/ci/**"];

/** `config/**` -> /^config\/.*$/, `Pulumi.*.yaml` -> /^Pulumi\.[^/]*\.yaml$/ (the subset of path globs used here). */
function globToRegExp(/** @type {string} */ glob) {
    const escape = (/** @type {string} */ text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    const pattern = glob
        .split("**")
        .map((part) => part.split("*").map(escape).join("[^/]*"))
        .join(".*");
    // "s": `**` spans a line break too, which a file name may hold.
    return new RegExp(`^${pattern}$`, "s");
}

/** Whether a file is under one of `paths` (each glob compiled once). */
function pathMatcher(/** @type {string[]} */ paths) {
    const patterns = paths.map(globToRegExp);
    return (/** @type {string} */ file) => patterns.some((pattern) => pattern.test(file));
}

/** The files no glob of `paths` matches. */
function uncoveredBy(/** @type {string[]} */ paths, /** @type {string[]} */ files) {
    const covered = pathMatcher(paths);
    return files.filter((file) => !covered(file));
}

/**
 * @typedef {{ eventName: string, headRepository?: string, repository: string, actor: string, changedFiles: string[] }} Run
 * @typedef {{ preview: boolean, blocks: boolean, reason: string }} Decision
 * preview: the preview job runs. blocks: when it does not, `preview result` fails with the reason (a change nobody
 * previewed must not pass as previewed); otherwise it passes with the reason as a notice.
 * @param {Run} run
 * @returns {Decision}
 */
function previewDecision(run) {
    if (run.eventName === "merge_group") {
        return { preview: false, blocks: false, reason: "a merge group is not previewed again: each of its pull requests was, and Pulumi Deployments deploys dev once it merges" };
    }
    if (run.eventName !== "pull_request") throw new Error(`previewDecision: preview.yml runs on pull_request and merge_group, not ${run.eventName}`);
    const touched = run.changedFiles.filter(pathMatcher(PREVIEW_PATHS));
    if (touched.length === 0) return { preview: false, blocks: false, reason: "this pull request changes no file the deployment is made from (docs, tests, tools): nothing to preview" };
    const shown = `${touched.slice(0, 3).join(", ")}${touched.length > 3 ? ` and ${touched.length - 3} more` : ""}`;
    if (run.headRepository !== run.repository) {
        return {
            preview: false,
            blocks: true,
            reason:
                `a fork's pull request gets no secrets and no OIDC token, so it cannot be previewed, and it changes ${shown}. ` +
                "Read its diff first, then push its branch to this repository and open the pull request from there: that branch runs its code as deploy-review in a review stack (docs/delivery.md, 'Pull requests from forks')",
        };
    }
    if (run.actor === "dependabot[bot]") {
        return {
            preview: false,
            blocks: true,
            reason: `Dependabot's runs get no secrets (re-runs neither), and this changes ${shown}: push a commit to its branch (an empty one will do) to preview it`,
        };
    }
    return { preview: true, blocks: false, reason: `changes ${shown}` };
}

function main() {
    // `git diff -z` separates names with NUL (the workflow's form); one name a line is taken too.
    const listed = fs.readFileSync(0, "utf8");
    const changedFiles = listed.split(listed.includes("\0") ? "\0" : "\n").filter(Boolean);
    const env = (/** @type {string} */ name) => process.env[name] ?? "";
    const decision = previewDecision({ eventName: env("EVENT_NAME"), headRepository: env("HEAD_REPOSITORY") || undefined, repository: env("REPOSITORY"), actor: env("ACTOR"), changedFiles });
    // One line each: a file name with a line break in it (-z passes it as it is) cannot add an output of its own.
    const reason = decision.reason.replace(/[\r\n]+/g, " ");
    const output = [`preview=${decision.preview}`, `blocks=${decision.blocks}`, `reason=${reason}`].join("\n") + "\n";
    if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, output);
    process.stdout.write(output);
}

if (require.main === module) main();

module.exports = { PREVIEW_PATHS, globToRegExp, previewDecision, uncoveredBy };
