// .ci/install: CI's npm ci, tried again only when npm failed on the network. Each case runs the script with a fake
// `npm` first on PATH that answers, attempt by attempt, what npm 11 itself prints.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { recordedCalls } from "../harness/recordedCalls";
import { scratchDir } from "../harness/tempDirs";

/**
 * npm's own words when the registry drops a tarball part-way: copied from the CI run that failed on 2026-12-04
 * (minipass-fetch's body.js raises "Invalid response body while trying to fetch"; npm's lib/utils/error-message.js
 * files ECONNRESET under "network" and adds the proxy advice).
 */
const CONNECTION_RESET = [
    "npm error code ECONNRESET",
    "npm error errno ECONNRESET",
    "npm error network Invalid response body while trying to fetch https://registry.npmjs.org/zod: aborted",
    "npm error network This is a problem related to network connectivity.",
    "npm error network In most cases you are behind a proxy or have bad network settings.",
];

/** npm ci's refusal when package.json and the lockfile disagree (npm 11, lib/commands/ci.js): no network involved. */
const LOCKFILE_OUT_OF_SYNC = [
    "npm error code EUSAGE",
    "npm error",
    "npm error `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.",
];

/** The root postinstall's `npm ci --prefix app` failing on the network: its lines come through unprefixed, then npm's own. */
const POSTINSTALL_CONNECTION_RESET = [
    ...CONNECTION_RESET,
    "npm error code 1",
    "npm error path /work/main",
    "npm error command failed",
    "npm error command sh -c npm ci --prefix app --no-audit --no-fund",
];

type Answer = { lines: string[]; exit: number } | "installed";

/** Runs .ci/install with a fake npm that gives `answers` in turn; returns its exit, output and the npm calls made. */
function install(answers: Answer[]) {
    const dir = scratchDir("ci-install");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    answers.forEach((answer, i) => {
        const body = answer === "installed" ? "added 812 packages in 41s\n" : answer.lines.join("\n") + "\n";
        fs.writeFileSync(path.join(dir, `answer-${i + 1}`), body);
        fs.writeFileSync(path.join(dir, `exit-${i + 1}`), String(answer === "installed" ? 0 : answer.exit));
    });
    const fakeNpm = [
        "#!/usr/bin/env bash",
        `calls="${dir}/calls"`,
        'echo "$*" >> "$calls"',
        'n=$(wc -l < "$calls")',
        `[ -f "${dir}/answer-$n" ] || { echo "fake npm: no answer for call $n" >&2; exit 99; }`,
        // npm writes its errors to stderr.
        `cat "${dir}/answer-$n" >&2`,
        `exit "$(cat "${dir}/exit-$n")"`,
    ].join("\n");
    fs.writeFileSync(path.join(bin, "npm"), fakeNpm, { mode: 0o755 });
    const run = spawnSync("bash", [path.join(PROJECT_ROOT, ".ci", "install")], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CI_INSTALL_PAUSE_SECONDS: "0" },
    });
    const calls = recordedCalls(path.join(dir, "calls"));
    return { status: run.status, output: run.stdout + run.stderr, calls };
}

describe(".ci/install (npm ci in CI)", () => {
    it("installs once with npm ci when the first attempt succeeds", () => {
        const run = install(["installed"]);
        assert.strictEqual(run.status, 0, run.output);
        assert.deepStrictEqual(run.calls, ["ci --no-audit --no-fund"]);
    });

    it("tries again after the registry drops the connection, and passes when the next attempt installs", () => {
        const run = install([{ lines: CONNECTION_RESET, exit: 1 }, "installed"]);
        assert.strictEqual(run.status, 0, run.output);
        assert.strictEqual(run.calls.length, 2);
        assert.match(run.output, /npm ci failed on the network \(ECONNRESET\), attempt 1 of 3; trying again/);
    });

    it("tries again when the failure came from the root postinstall's own npm ci", () => {
        const run = install([{ lines: POSTINSTALL_CONNECTION_RESET, exit: 1 }, "installed"]);
        assert.strictEqual(run.status, 0, run.output);
        assert.strictEqual(run.calls.length, 2);
    });

    it("gives up after three failures on the network and keeps npm's exit status", () => {
        const reset = { lines: CONNECTION_RESET, exit: 1 };
        const run = install([reset, reset, reset, "installed"]);
        assert.strictEqual(run.status, 1, run.output);
        assert.strictEqual(run.calls.length, 3);
        assert.match(run.output, /npm ci failed on the network \(ECONNRESET\) 3 times; giving up/);
    });

    it("does not try again when npm failed for a reason of the project's own, and passes its words and status on", () => {
        const run = install([{ lines: LOCKFILE_OUT_OF_SYNC, exit: 1 }, "installed"]);
        assert.strictEqual(run.status, 1, run.output);
        assert.strictEqual(run.calls.length, 1);
        assert.match(run.output, /`npm ci` can only install packages when your package.json and package-lock.json/);
        assert.match(run.output, /not on the network: not trying again/);
    });

    it("is what .ci/run installs with", () => {
        const ciRun = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
        assert.match(ciRun, /^bash \.ci\/install$/m);
        assert.doesNotMatch(ciRun, /^npm ci\b/m, ".ci/run must not install a second time without the retry");
    });
});
