// @ts-check
/**
 * Where the program's spec files spend the run, recorded on every `npm test`: a mocha root-hook plugin (loaded with
 * --require) that, when SPEC_COSTS_FILE names a file, appends one JSON line per spec file with
 *   - wall: seconds from the end of the worker's previous file (or the worker's loading of this plugin) to the end
 *     of this one,
 *   - own: the CPU the worker used meanwhile (loading the file and its imports, its tests and hooks),
 *   - processes: the CPU of the processes it started and waited for (npm, Pulumi's runners, the tools; Linux only).
 * Root hooks run once per file under --parallel, so every file is one line; in a serial run (no --parallel) they run
 * once, and the one line covers every file. `costliestSpecFiles` reads the lines back for npm test's summary.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { performance } = require("perf_hooks");
const { childrenCpuSeconds } = require("./childrenCpu");

const ROOT = path.resolve(__dirname, "..", "..");

/** @typedef {{ file: string, wall: number, own: number, processes: number | undefined }} SpecCost */

const ownCpuSeconds = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
};

const now = () => ({ at: performance.now() / 1000, own: ownCpuSeconds(), processes: childrenCpuSeconds() });

/** The previous file's end in this worker; before its first file, when the worker loaded this plugin. */
let previous = now();

/** @param {any} root mocha's root suite for this file */
function specFile(root) {
    const file = root.suites[0]?.file ?? root.tests[0]?.file;
    return file ? path.relative(ROOT, file).split(path.sep).join("/") : "(no tests)";
}

const mochaHooks = {
    /** @this {any} */
    afterAll() {
        const record = process.env.SPEC_COSTS_FILE;
        if (!record) return;
        const end = now();
        /** @type {SpecCost} */
        const cost = {
            file: specFile(this.test.parent),
            wall: end.at - previous.at,
            own: end.own - previous.own,
            processes: end.processes === undefined || previous.processes === undefined ? undefined : end.processes - previous.processes,
        };
        fs.appendFileSync(record, `${JSON.stringify(cost)}\n`);
        previous = end;
    },
};

/**
 * The `count` spec files that cost the most CPU (their own and their processes'), from a SPEC_COSTS_FILE.
 * @param {string} record
 * @param {number} count
 * @returns {{ files: SpecCost[], all: SpecCost[] }}
 */
function costliestSpecFiles(record, count) {
    const all = fs
        .readFileSync(record, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => /** @type {SpecCost} */ (JSON.parse(line)));
    const cpu = (/** @type {SpecCost} */ c) => c.own + (c.processes ?? 0);
    return { files: [...all].sort((a, b) => cpu(b) - cpu(a)).slice(0, count), all };
}

module.exports = { mochaHooks, costliestSpecFiles };
