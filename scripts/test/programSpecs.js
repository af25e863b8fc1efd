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
 * The longest in a per-file timing of the suite (each file alone, quiet machine, wall seconds in the comments):
 * each waits on processes it starts (npm ci, the plugin, Pulumi's runner, the analyzer, the tools' bundles) or on
 * paced loads more than it computes. Files not named here follow, in path order.
 */
const LONGEST_FIRST = [
    "tests/package/installedPackage.spec.ts", // 24 s alone (88 s in a loaded run): npm ci in multicloud/, then the plugin from there, three times
    "tests/plan/plan.spec.ts", // 12 s: the offline plan as processes
    // 10 s: Pulumi's cmd/run three times, against an engine in the worker. Its prod run once hung when handed out
    // after construct.spec in the same worker (the loopback APIs answered from that spec's stopped engine's cloud,
    // fixed with tests/offline/cloudApiServer.spec.ts); early, for its length.
    "tests/program/pulumiRuntime.spec.ts",
    "tests/package/construct.spec.ts", // 11 s: the plugin, and the analyzer in it
    "policy/tests/runner.spec.ts", // 8 s: the CLI's policy runner four times (the pack with prod's and dev's config, the published pack, a pack without package.json)
    "tests/image/supplyChain.spec.ts", // 15 s: the program once per registry state
    "tests/release/probe.spec.ts", // 15 s: paced loads of 2 s against loopback services
    "tests/e2e/awsDataPath.spec.ts", // 6 s: per stack file s3rver and both functions' bundles; one state machine runner
    "tests/bench/limiterBaseline.spec.ts", // 9 s: two server bundles built with tsx and esbuild
    "tests/package/schema.spec.ts", // 7 s: the analyzer in process
    "tests/image/registryCleanup.spec.ts",
    "tests/image/firstDeploy.spec.ts",
    "tests/image/promotion.spec.ts",
    "tests/review/cost.spec.ts",
    "tests/program/deferFunctionSerialization.spec.ts",
    "tests/program/entry.spec.ts",
    "tests/review/planCost.spec.ts",
    "tests/package/examples.spec.ts",
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
