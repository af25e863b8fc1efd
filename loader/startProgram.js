/**
 * What every program Pulumi runs (program.js, deployments/program.js, the plugin's multicloud/index.js) does before its
 * bundle loads: the proxy from the environment, then the SDK's shortcuts (function serialization, the Automation API
 * and zod's locales loaded on first use, promise stacks neither captured nor source-mapped unless
 * PULUMI_DEBUG_PROMISE_LEAKS asks). One list, so no program lacks one.
 */
"use strict";
const { ensureBundle } = require("./bundle");
const { deferAutomationApi } = require("./deferAutomationApi");
const { deferFunctionSerialization } = require("./deferFunctionSerialization");
const { deferZodLocales } = require("./deferZodLocales");
const { skipCapturingPromiseStacks, skipMappingOfPromiseStacks } = require("./promiseStacks");
const { useProxyFromEnvironment } = require("./proxyFromEnvironment");

/**
 * The steps that must come before anything loads the SDK or zod: the proxy from the environment, then function
 * serialization, the Automation API and zod's locales loaded on first use. startProgram's first, and
 * scripts/build/run.js's, whose tools load the SDK and zod before the program they run does.
 * @param {string} [root] the folder whose packages are deferred (the repository's root by default)
 */
function beforeTheSdkLoads(root) {
    useProxyFromEnvironment();
    deferFunctionSerialization(root);
    deferAutomationApi(root);
    deferZodLocales(root);
}

/**
 * @param {string} entry the program's TypeScript entry, from `root`
 * @param {{ root?: string, outDir?: string }} [where] the folder the entry is in, whose packages the shortcuts patch
 * (the repository's root by default; the plugin's own folder, whose node_modules are the only ones an install has), and
 * where under it the bundle goes (ensureBundle's)
 * @returns {unknown} the bundled program's exports
 */
function startProgram(entry, { root, outDir } = {}) {
    beforeTheSdkLoads(root);
    skipMappingOfPromiseStacks();
    skipCapturingPromiseStacks(root);
    return require(ensureBundle(entry, { root, outDir }).outfile);
}

module.exports = { beforeTheSdkLoads, startProgram };
