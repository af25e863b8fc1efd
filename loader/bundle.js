/**
 * Bundles a TypeScript entry point into one CommonJS file under bin/ (or another folder) with esbuild, and rebuilds it only when
 * one of the files it was built from has changed. Packages stay external, so the bundle shares
 * @pulumi/pulumi (and its mocks) with whoever loads it.
 *
 * Why a bundle instead of ts-node: ts-node transpiled every source file on every run and added its own
 * source-map hook. The bundle's source map is written beside it; Pulumi's runner (which registers
 * source-map-support) uses it to point stack traces at the TypeScript files.
 *
 * Plain JavaScript on purpose: it runs before anything can compile TypeScript.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** The project root: this file lives in loader/. */
const ROOT = path.resolve(__dirname, "..");

/** Shapes every bundle besides the sources esbuild reports. */
const COMPILER_SETTINGS = "tsconfig.json";

/**
 * What a bundle was made from: the builder (esbuild's version and this file) and each input's sha256.
 * @typedef {{ esbuild: string, builder: string, entry: string, inputs: Record<string, string> }} Stamp
 * @typedef {{ outfile: string, rebuilt: boolean, reason?: string }} BundleResult
 */

/**
 * <outDir>/<entry without .ts>.js for an entry path relative to the project root.
 * @param {string} entry
 * @param {string} root
 * @param {string} outDir relative to root
 */
function outfileFor(entry, root, outDir) {
    return path.join(root, outDir, entry.replace(/\.ts$/, ".js"));
}

/**
 * Returns the bundle of `entry` (a path relative to `root`, the project root by default), building it first
 * when it is missing or anything it was made from changed since. `outDir`: where under root (bin/ by default).
 * @param {string} entry
 * @param {{ root?: string, outDir?: string }} [options]
 * @returns {BundleResult}
 */
function ensureBundle(entry, { root = ROOT, outDir = "bin" } = {}) {
    const outfile = outfileFor(entry, root, outDir);
    const staleBecause = whyStale(root, entry, outfile);
    if (staleBecause === undefined) return { outfile, rebuilt: false };
    build(root, entry, outfile);
    return { outfile, rebuilt: true, reason: staleBecause };
}

/**
 * Why the bundle must be rebuilt, or undefined when it is current.
 * @param {string} root
 * @param {string} entry
 * @param {string} outfile
 * @returns {string | undefined}
 */
function whyStale(root, entry, outfile) {
    /** @type {Stamp} */
    let stamp;
    try {
        stamp = JSON.parse(fs.readFileSync(stampFileOf(outfile), "utf8"));
    } catch {
        return "no bundle yet";
    }
    if (stamp.entry !== entry || stamp.builder !== builderHash()) return "the bundler changed";
    if (stamp.esbuild !== esbuildVersion(root)) return `esbuild changed (${stamp.esbuild} -> ${esbuildVersion(root)})`;
    if (!fs.existsSync(outfile)) return "the bundle is missing";
    for (const [input, hash] of Object.entries(stamp.inputs)) {
        if (hashOf(path.join(root, input)) !== hash) return `${input} changed`;
    }
    return undefined;
}

/**
 * @param {string} root
 * @param {string} entry
 * @param {string} outfile
 */
function build(root, entry, outfile) {
    const esbuild = require(esbuildModule(root));
    const entryPath = path.join(root, entry);
    if (!fs.existsSync(entryPath)) throw new Error(`cannot bundle ${entry}: no such file in ${root}`);
    let result;
    try {
        result = esbuild.buildSync({
            absWorkingDir: root,
            tsconfigRaw: compilerSettingsWithoutPaths(root),
            entryPoints: [entryPath],
            outfile,
            bundle: true,
            packages: "external",
            platform: "node",
            target: "node20",
            format: "cjs",
            // import() as require, as the specs' transpiler has it: a native import() from CommonJS resolves as ES
            // modules do, and "@pulumi/pulumi/automation" (a package without an `exports` map) is then a directory
            // import, which Node refuses (ERR_UNSUPPORTED_DIR_IMPORT). The load stays where the import() was.
            supported: { "dynamic-import": false },
            sourcemap: "linked",
            sourcesContent: false,
            metafile: true,
            write: false,
            logLevel: "silent",
        });
    } catch (err) {
        throw new Error(`cannot bundle ${entry}:\n${describeBuildFailure(err)}`);
    }
    const inlined = Object.keys(result.metafile.inputs).filter((input) => input.split(/[\\/]/).includes("node_modules"));
    if (inlined.length > 0) throw new Error(`cannot bundle ${entry}: packages must stay external, but ${inlined.length} files of node_modules were bundled (${inlined[0]}, ...)`);
    const inputs = Object.keys(result.metafile.inputs).concat(COMPILER_SETTINGS);
    /** @type {Stamp} */
    const stamp = { esbuild: esbuildVersion(root), builder: builderHash(), entry, inputs: {} };
    for (const input of inputs) stamp.inputs[input] = hashOf(path.join(root, input));
    for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
    // Last: a stamp only ever describes a bundle that is fully written.
    writeAtomically(stampFileOf(outfile), JSON.stringify(stamp, null, 2));
}

/**
 * The root's tsconfig.json for esbuild, without `baseUrl` and `paths`: those map bare imports to files (the package
 * folder points them at a node_modules for its schema analyzer), and esbuild would then bundle a second copy of
 * @pulumi/pulumi, whose gRPC messages the loaded SDK refuses ("Expected argument of type pulumirpc...").
 * @param {string} root
 * @returns {string}
 */
function compilerSettingsWithoutPaths(root) {
    const file = path.join(root, COMPILER_SETTINGS);
    if (!fs.existsSync(file)) return "{}";
    let settings;
    try {
        settings = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`${file} must be plain JSON for the bundler: ${/** @type {Error} */ (err).message}`);
    }
    if (settings.compilerOptions) {
        delete settings.compilerOptions.paths;
        delete settings.compilerOptions.baseUrl;
    }
    return JSON.stringify(settings);
}

/**
 * esbuild's errors carry a location per message; print them the way a compiler would.
 * @param {any} err
 */
function describeBuildFailure(err) {
    /** @type {{ text: string, location?: { file: string, line: number, column: number } | null }[]} esbuild's Message, the fields read here */
    const messages = Array.isArray(err?.errors) ? err.errors : [];
    if (messages.length === 0) return `  ${err?.message ?? err}`;
    return messages
        .map((m) => {
            const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : "";
            return `  ${where}${m.text}`;
        })
        .join("\n");
}

/**
 * Writes `file` whole or not at all (another process may read it the moment it appears), making its folder.
 * @param {string} file
 * @param {string | Uint8Array} contents
 */
function writeAtomically(file, contents) {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(temporary, contents);
        fs.renameSync(temporary, file);
    } catch (err) {
        try {
            fs.rmSync(temporary, { force: true });
        } catch {
            // the folder itself is unusable: nothing was written to clean up
        }
        throw new Error(`cannot write the bundle ${file}: ${/** @type {Error} */ (err).message}`);
    }
}

/** @param {string} outfile */
function stampFileOf(outfile) {
    return `${outfile}.inputs.json`;
}

/**
 * sha256 of a file, or "missing".
 * @param {string} file
 */
function hashOf(file) {
    try {
        return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    } catch {
        return "missing";
    }
}

/** @type {string | undefined} */
let ownHash;
function builderHash() {
    return (ownHash ??= hashOf(__filename));
}

/**
 * esbuild as the bundle's root installed it: the package folder (multicloud/) has its own node_modules, and where
 * `pulumi package add` installs it, that is the only one (the repository's root is cloned, never installed).
 * @param {string} root
 * @param {string} [request]
 */
function esbuildModule(root, request = "esbuild") {
    return require.resolve(request, { paths: [root, __dirname] });
}

/** @param {string} root */
function esbuildVersion(root) {
    return require(esbuildModule(root, "esbuild/package.json")).version;
}

module.exports = { ensureBundle, compilerSettingsWithoutPaths, writeAtomically, ROOT };
