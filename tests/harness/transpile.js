// @ts-check
/**
 * Loaded first by mocha (.mocharc.json): compiles each .ts file as it is required, with esbuild (already the
 * project's bundler) instead of ts-node's TypeScript transpile, which was about a quarter of a worker's CPU.
 * Like ts-node's transpile-only mode it strips types file by file without checking them (`npm run typecheck`
 * does that); tsconfig.json's settings that change the emitted code are passed on. Stack traces are mapped to
 * the .ts lines with the source-map-support that Pulumi's runner installs, as ts-node did (so the promise-stack
 * shortcut of tests/harness/promiseStacks.ts wraps the same kind of hook).
 * Each file's output is kept under node_modules/.cache/transpile for the next process (CACHE_DIR says when it is used).
 *
 * Plain JavaScript on purpose: it runs before anything can compile TypeScript.
 */
"use strict";
const { createHash } = require("crypto");
const fs = require("fs");
const { createRequire } = require("module");
const path = require("path");
const { writeAtomically } = require("../../loader/bundle");

const ROOT = path.resolve(__dirname, "..", "..");
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8"));

/** The settings of tsconfig.json that esbuild reads when transforming one file (class fields follow `target`). */
const TSCONFIG_RAW = {
    compilerOptions: {
        target: compilerOptions.target,
        esModuleInterop: compilerOptions.esModuleInterop,
        useDefineForClassFields: compilerOptions.useDefineForClassFields,
        experimentalDecorators: compilerOptions.experimentalDecorators,
    },
};

/** Each compiled file's source map, by file name, for stack traces. */
const maps = new Map();

/**
 * Where each file's last compiled output is kept, one entry per file, for the next process that loads it: npm test's
 * mocha workers and the node processes specs start (tests/harness/freshNode.ts) each loaded esbuild and compiled the
 * same files again (about a quarter of such a process's CPU, release/ reads behind a proxy: 1.0 s, 0.75 s kept). An entry is used only for the same
 * source, esbuild, tsconfig.json settings and this file (its `key`); anything else compiles and replaces it.
 */
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "transpile");
/** What else decides the output: esbuild's version, and this file (its options to esbuild). */
const COMPILER = createHash("sha256")
    .update(JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json"), "utf8")).version)
    .update(fs.readFileSync(__filename))
    .digest("hex");

/**
 * @param {string} source
 * @param {string} filename
 */
function compile(source, filename) {
    const key = createHash("sha256").update(JSON.stringify([COMPILER, TSCONFIG_RAW, filename, source])).digest("hex");
    const entry = path.join(CACHE_DIR, `${createHash("sha256").update(filename).digest("hex").slice(0, 32)}.json`);
    const kept = keptOutput(entry, key);
    if (kept) {
        maps.set(filename, kept.map);
        return kept.code;
    }
    const { code, map } = compiled(source, filename);
    maps.set(filename, map);
    keep(entry, { key, code, map });
    return code;
}

/**
 * @param {string} entry
 * @param {string} key
 * @returns {{ code: string; map: string } | undefined}
 */
function keptOutput(entry, key) {
    try {
        const kept = JSON.parse(fs.readFileSync(entry, "utf8"));
        return kept.key === key ? kept : undefined;
    } catch {
        return undefined; // not kept yet (or unreadable): compile it
    }
}

/**
 * A folder that cannot be written only costs the next process a compile.
 * @param {string} entry
 * @param {{ key: string; code: string; map: string }} output
 */
function keep(entry, output) {
    try {
        writeAtomically(entry, JSON.stringify(output));
    } catch {
        // not kept: the next process compiles it again
    }
}

/**
 * @param {string} source
 * @param {string} filename
 */
function compiled(source, filename) {
    // Loaded at the first file not kept: a process whose files are all kept starts no esbuild service.
    const esbuild = require("esbuild");
    const { code, map } = esbuild.transformSync(source, {
        loader: "ts",
        format: "cjs",
        platform: "node",
        target: compilerOptions.target,
        sourcefile: filename,
        sourcemap: "external",
        tsconfigRaw: TSCONFIG_RAW,
        // `await import("./x")` becomes a require, as TypeScript emits it for module commonjs (node's own import()
        // would resolve extensionless paths and folders as ES modules do, and fail).
        supported: { "dynamic-import": false },
    });
    return { code, map };
}

/** @type {any} */ (require.extensions)[".ts"] = function (/** @type {any} */ module, /** @type {string} */ filename) {
    module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};

const sourceMapSupport = createRequire(require.resolve("@pulumi/pulumi"))("source-map-support");
sourceMapSupport.install({
    environment: "node",
    retrieveSourceMap: (/** @type {string} */ source) => (maps.has(source) ? { url: source, map: maps.get(source) } : null),
});

module.exports = { compile };
