// .ci/run's order: .ci/debianTools in the background beside .ci/install, then npm test once both have ended. Each case
// runs a copy of the real .ci/run in a scratch folder whose .ci/install, .ci/debianTools and `npm` are stand-ins that
// log when they start and end, and wait on each other's lines so that the order the log shows is the script's, not
// the scheduler's.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { recordedCalls } from "../harness/recordedCalls";
import { scratchDir } from "../harness/tempDirs";

/** What every stand-in starts with: `record LINE` appends to the log; `await_line LINE` waits (3 s at most) for it. */
function standIn(dir: string, body: string[]): string {
    return [
        "#!/usr/bin/env bash",
        `log="${dir}/log"`,
        'record() { echo "$1" >> "$log"; }',
        "await_line() {",
        "    for _ in $(seq 150); do",
        '        [ -f "$log" ] && while read -r line; do [ "$line" = "$1" ] && return 0; done < "$log"',
        "        sleep 0.02",
        "    done",
        '    record "$self gave up waiting for $1"',
        "}",
        ...body,
    ].join("\n");
}

const FAKE_INSTALL = [
    "self=install",
    'record "install start"',
    // Ends only once debianTools has started: a run that started it after install would have this give up first.
    'await_line "debianTools start"',
    'record "install end"',
    'exit "${INSTALL_EXIT:-0}"',
];

const FAKE_DEBIAN_TOOLS = [
    "self=debianTools",
    'record "debianTools start"',
    // Side by side: a run that started install only after this ended would have this give up here.
    'await_line "install start"',
    'await_line "install end"',
    // Still at work after install has ended, as apt-get often is after npm ci: a run that did not wait for it would
    // start npm test within these 0.3 s (it takes a few milliseconds).
    "sleep 0.3",
    'record "debianTools end"',
    'exit "${DEBIAN_TOOLS_EXIT:-0}"',
];

const FAKE_NPM = [
    "self=npm",
    'if [ "$1" = --version ]; then echo 11.6.2; exit 0; fi',
    'record "npm $* start"',
    'record "npm $* end"',
];

/** Runs a copy of the real .ci/run beside the stand-ins; returns its exit, output and the stand-ins' log. */
function ciRun(env: { INSTALL_EXIT?: string; DEBIAN_TOOLS_EXIT?: string } = {}) {
    const dir = scratchDir("ci-run");
    const ci = path.join(dir, ".ci");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(ci);
    fs.mkdirSync(bin);
    fs.copyFileSync(path.join(PROJECT_ROOT, ".ci", "run"), path.join(ci, "run"));
    fs.writeFileSync(path.join(ci, "install"), standIn(dir, FAKE_INSTALL));
    fs.writeFileSync(path.join(ci, "debianTools"), standIn(dir, FAKE_DEBIAN_TOOLS));
    fs.writeFileSync(path.join(bin, "npm"), standIn(dir, FAKE_NPM), { mode: 0o755 });
    const run = spawnSync("bash", [path.join(ci, "run")], {
        encoding: "utf8",
        env: { ...process.env, ...env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
        timeout: 15_000,
    });
    return { status: run.status, output: run.stdout + run.stderr, log: recordedCalls(path.join(dir, "log")) };
}

/** Asserts `first` and `then` are both in the log, `first` earlier. */
function assertBefore(log: string[], first: string, then: string) {
    const [a, b] = [log.indexOf(first), log.indexOf(then)];
    assert.ok(a >= 0 && b >= 0 && a < b, `expected "${first}" before "${then}" in the stand-ins' log:\n${log.join("\n")}`);
}

describe(".ci/run (what CI runs)", () => {
    it("installs Debian's tools side by side with npm ci, and runs npm test once both have ended", () => {
        const run = ciRun();
        assert.strictEqual(run.status, 0, run.output);
        assertBefore(run.log, "debianTools start", "install end");
        assertBefore(run.log, "install start", "debianTools end");
        assertBefore(run.log, "install end", "npm test start");
        assertBefore(run.log, "debianTools end", "npm test start");
        assert.deepStrictEqual(run.log.filter((line) => /gave up/.test(line)), [], run.log.join("\n"));
    });

    it("runs npm test and passes when Debian's tools could not be installed", () => {
        const run = ciRun({ DEBIAN_TOOLS_EXIT: "1" });
        assert.strictEqual(run.status, 0, run.output);
        assertBefore(run.log, "debianTools end", "npm test start");
        assert.ok(run.log.includes("npm test end"), run.log.join("\n"));
    });

    it("fails with install's status, and never runs npm test, when npm ci failed", () => {
        const run = ciRun({ INSTALL_EXIT: "1" });
        assert.strictEqual(run.status, 1, run.output);
        assert.ok(run.log.includes("install end"), run.log.join("\n"));
        assert.deepStrictEqual(run.log.filter((line) => line.startsWith("npm ")), [], run.log.join("\n"));
    });
});
