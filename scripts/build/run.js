// @ts-check
/**
 * Runs a TypeScript tool from its bundle: `node scripts/build/run.js scripts/plan/main.ts [args...]`. The bundle
 * is rebuilt only when one of its files changed (see loader/bundle.js), so tools start in plain node, without ts-node.
 */
"use strict";
const path = require("path");
const { ensureBundle, ROOT } = require("../../loader/bundle");
const { beforeTheSdkLoads } = require("../../loader/startProgram");

const [entry, ...args] = process.argv.slice(2);
if (!entry || !entry.endsWith(".ts")) {
    console.error("usage: node scripts/build/run.js <path/to/tool.ts, from the project root> [arguments...]");
    process.exit(2);
}
let outfile;
try {
    outfile = ensureBundle(path.relative(ROOT, path.resolve(entry))).outfile;
} catch (err) {
    console.error(/** @type {Error} */ (err).message);
    process.exit(1);
}
// Tools load the Pulumi SDK and zod (the settings check) before the program does (for its mocks), so program.js's own
// deferral comes too late: do here what it would do first.
beforeTheSdkLoads();
process.argv = [process.argv[0], outfile, ...args];
require(outfile);
