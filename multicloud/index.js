/**
 * What the Pulumi CLI runs for the plugin (package.json "main"; PulumiPlugin.yaml runtime nodejs): provider.ts
 * bundled with esbuild into node_modules/.cache/multicloud/ of this folder (rebuilt when a file it imports has
 * changed), so the components in ../components load their packages from this folder's node_modules, the only ones
 * a plugin install has.
 * The CLI starts the plugin in the consuming program's folder, and cmd/run-plugin registers ts-node with that
 * folder's tsconfig.json (pulumi/pulumi sdk/nodejs/cmd/run-plugin/run.ts): a TypeScript consumer's allowJs would
 * have it compile and type-check the bundle under the consumer's settings (seconds more per start, and
 * failing under `strict` with checkJs). ts-node leaves files under node_modules alone (its default `ignore`), hence
 * the bundle's place, as build tools keep their caches. This file and the files of ../loader it requires carry no
 * `// @ts-check` for the same reason: the repository's type-check covers them (checkJs), a consumer's need not.
 * It exports a function rather than the classes: the CLI's runner would host exported classes itself, without
 * the secret markings provider.ts adds to the schema. The schema analyzer reads index.ts, not this file.
 * (The folder is not named `package`: beside the root's package.json, `require("<repo>/package")` loads that file.)
 */
"use strict";
const path = require("path");
const { startProgram } = require("../loader/startProgram");

module.exports = () => {
    // program.js's start-up, for the packages of this folder (the ones the bundle loads; installed, the only ones). By the
    // time the runner calls this, its stack-trace hooks are in place (cmd/run-plugin's index.js registers
    // source-map-support first, run.js registers ts-node before it requires this file), so the promise stacks' hook
    // wraps the one that stays.
    const provider = /** @type {{ serve(dir: string, args: string[]): Promise<void> }} */ (startProgram("provider.ts", { root: __dirname, outDir: path.join("node_modules", ".cache", "multicloud") }));
    return provider.serve(__dirname, process.argv.slice(2));
};
