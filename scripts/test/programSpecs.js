// @ts-check
/**
 * The program's mocha spec files (what `npm run test:program` globs), longest-running first: mocha's parallel mode
 * hands files to its workers in the order given, so a long file started last would end the run alone.
 */
"use strict";
const fs = require("fs");
const path = require("path");

/** The folders whose *.spec.ts files are the program's tests (package.json's test:program globs). */
const SPEC_FOLDERS = ["tests", path.join("policy", "tests")];

/**
 * The longest in a per-file timing of the suite (README, Testing): each waits on processes it starts (npm ci, the
 * plugin, Pulumi's runner, the analyzer, the tools' bundles) more than it computes. Files not named here follow,
 * in path order.
 */
const LONGEST_FIRST = [
    "tests/package/installedPackage.spec.ts",
    "tests/plan/plan.spec.ts",
    "tests/program/pulumiRuntime.spec.ts",
    "tests/package/construct.spec.ts",
    "policy/tests/runner.spec.ts",
    "tests/e2e/awsDataPath.spec.ts",
    "tests/package/examples.spec.ts",
    "tests/program/deferFunctionSerialization.spec.ts",
    "tests/program/entry.spec.ts",
];

/**
 * @param {string} root
 * @param {string} dir relative to root
 * @returns {string[]} every *.spec.ts below dir, relative to root
 */
function specsUnder(root, dir) {
    const found = [];
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) found.push(...specsUnder(root, relative));
        else if (entry.name.endsWith(".spec.ts")) found.push(relative.split(path.sep).join("/"));
    }
    return found;
}

/**
 * Every spec file once, the long ones first.
 * @param {string} root the project root
 * @returns {string[]} paths relative to root
 */
function programSpecFiles(root) {
    const all = SPEC_FOLDERS.flatMap((dir) => specsUnder(root, dir)).sort();
    const present = new Set(all);
    const first = LONGEST_FIRST.filter((file) => present.has(file));
    return [...first, ...all.filter((file) => !first.includes(file))];
}

module.exports = { programSpecFiles, LONGEST_FIRST };
