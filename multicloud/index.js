// @ts-check
/**
 * What the Pulumi CLI runs for the plugin (package.json "main"; PulumiPlugin.yaml runtime nodejs): provider.ts
 * bundled with esbuild into bin/ beside this file (rebuilt when a file it imports has changed), so the components
 * in ../components load their packages from this folder's node_modules, the only ones a plugin install has.
 * It exports a function rather than the classes: the CLI's runner would host exported classes itself, without
 * the secret markings provider.ts adds to the schema. The schema analyzer reads index.ts, not this file.
 * (The folder is not named `package`: beside the root's package.json, `require("<repo>/package")` loads that file.)
 */
"use strict";
const { ensureBundle } = require("../loader/bundle");

module.exports = () => {
    const { serve } = require(ensureBundle("provider.ts", { root: __dirname }).outfile);
    return serve(__dirname, process.argv.slice(2));
};
