// @ts-check
/**
 * Which file the pack's main (index.js) loads. The CLI's runner registers ts-node in type-check mode for every pack,
 * and loading index.ts that way parses and binds every declaration file the pack reaches: about 2.3 s of CPU on each
 * preview. So the pack loads index.ts bundled with esbuild into bin/ wherever that bundle is known to match the
 * sources:
 * - in the repository, ../loader/bundle.js rebuilds it when a source changed (as program.js does for the program);
 * - published, the pack is this folder alone: `pulumi policy publish` starts the pack here (GetAnalyzerInfo, which
 *   builds bin/), then runs `npm pack`, and the CLI unpacks the tarball under ~/.pulumi/policies and runs
 *   `npm install` there (pulumi/pulumi pkg/backend/httpstate/policypack.go: Publish, installRequiredPolicy). The
 *   bundle is used when every source it was built from is shipped unchanged beside it (its stamp's sha256s);
 *   otherwise index.ts goes to the runner's ts-node, as for any TypeScript pack.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ENTRY = "index.ts";

/**
 * @param {string} packDir the pack's folder (policy/, or where the CLI installed it)
 * @returns {{ file: string, why: string }} the file to require, and why that one
 */
function packEntry(packDir) {
    const loader = path.join(packDir, "..", "loader", "bundle.js");
    if (fs.existsSync(loader)) {
        return { file: require(loader).ensureBundle(ENTRY, { root: packDir }).outfile, why: "in the repository: index.ts's bundle, rebuilt when a source changed" };
    }
    const problem = packedBundleProblem(packDir);
    if (problem === undefined) return { file: bundleOf(packDir), why: "published: the bundle packed with the sources it was built from" };
    return { file: path.join(packDir, ENTRY), why: `published: index.ts through the runner's ts-node, because ${problem}` };
}

/** @param {string} packDir */
function bundleOf(packDir) {
    return path.join(packDir, "bin", ENTRY.replace(/\.ts$/, ".js"));
}

/**
 * Why the bundle shipped in a published pack cannot stand for its sources, or undefined when it can: the input
 * hashes of ../loader/bundle.js's stamp, checked here because the loader is not shipped with the pack.
 * @param {string} packDir
 * @returns {string | undefined}
 */
function packedBundleProblem(packDir) {
    const bundle = bundleOf(packDir);
    /** @type {{ entry?: string, inputs?: Record<string, string> }} */
    let stamp;
    try {
        stamp = JSON.parse(fs.readFileSync(`${bundle}.inputs.json`, "utf8"));
    } catch {
        return "no bundle was packed";
    }
    if (!fs.existsSync(bundle)) return "no bundle was packed";
    const inputs = Object.entries(stamp.inputs ?? {});
    if (stamp.entry !== ENTRY || !inputs.some(([input]) => input === ENTRY)) return `the packed bundle was not built from ${ENTRY}`;
    for (const [input, hash] of inputs) {
        if (sha256Of(path.join(packDir, input)) !== hash) return `${input} is not what the packed bundle was built from`;
    }
    return undefined;
}

/** @param {string} file */
function sha256Of(file) {
    try {
        return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    } catch {
        return "missing";
    }
}

module.exports = { packEntry };
