// @ts-check
/**
 * Loaded first by mocha (.mocharc.json): compiles each .ts file as it is required, with esbuild (already the
 * project's bundler) instead of ts-node's TypeScript transpile, which was about a quarter of a worker's CPU.
 * Like ts-node's transpile-only mode it strips types file by file without checking them (`npm run typecheck`
 * does that); tsconfig.json's settings that change the emitted code are passed on. Stack traces are mapped to
 * the .ts lines with the source-map-support that Pulumi's runner installs, as ts-node did (so the promise-stack
 * shortcut of tests/harness/promiseStacks.ts wraps the same kind of hook).
 *
 * Plain JavaScript on purpose: it runs before anything can compile TypeScript.
 */
"use strict";
const esbuild = require("esbuild");
const fs = require("fs");
const { createRequire } = require("module");
const path = require("path");

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
 * @param {string} source
 * @param {string} filename
 */
function compile(source, filename) {
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
    maps.set(filename, map);
    return code;
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
