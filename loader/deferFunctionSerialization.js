/**
 * Importing `@pulumi/pulumi` loads its function-serialization machinery (`runtime/closure`), and with it the
 * TypeScript compiler, and codePaths' package.json reader, normalize-package-data (npm's Arborist in SDKs before 3.276):
 * about 0.3 s of every run, for `pulumi.runtime.serializeFunction` and dynamic providers, which this program does not use.
 * `deferFunctionSerialization` puts a stand-in for each of those modules in node's module cache. Every export of
 * both is a function, so each stand-in export is a function that loads the real module on its first call and
 * forwards to it: nothing changes but when they load.
 */
"use strict";
const { deferModules } = require("./deferModule");

/** The modules deferred, with every export each one has (a test checks the lists against the installed SDK). */
const DEFERRED = {
    "@pulumi/pulumi/runtime/closure/serializeClosure": ["serializeFunction", "serializeFunctionAsync"],
    "@pulumi/pulumi/runtime/closure/codePaths": ["computeCodePaths", "findWorkspaceRoot", "packageArchivePath"],
};

/**
 * @param {string} [from] the folder whose @pulumi/pulumi to defer in (the project's by default): the plugin's own, where
 * `pulumi package add` installed only that folder
 * @returns {string[]} the modules deferred; none when they were already loaded or cannot be found
 */
function deferFunctionSerialization(from) {
    return deferModules(DEFERRED, from);
}

module.exports = { deferFunctionSerialization, DEFERRED };
