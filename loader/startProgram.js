// @ts-check
/**
 * What both programs Pulumi runs (program.js, deployments/program.js) do before their bundle loads: the proxy from the
 * environment, then the SDK's shortcuts (function serialization and zod's locales loaded on first use, promise stacks
 * neither captured nor source-mapped unless PULUMI_DEBUG_PROMISE_LEAKS asks). One list, so neither program lacks one.
 */
"use strict";
const { ensureBundle } = require("./bundle");
const { deferFunctionSerialization } = require("./deferFunctionSerialization");
const { deferZodLocales } = require("./deferZodLocales");
const { skipCapturingPromiseStacks, skipMappingOfPromiseStacks } = require("./promiseStacks");
const { useProxyFromEnvironment } = require("./proxyFromEnvironment");

/**
 * @param {string} entry the program's TypeScript entry, from the repository's root
 * @returns {unknown} the bundled program's exports
 */
function startProgram(entry) {
    useProxyFromEnvironment();
    deferFunctionSerialization();
    deferZodLocales();
    skipMappingOfPromiseStacks();
    skipCapturingPromiseStacks();
    return require(ensureBundle(entry).outfile);
}

module.exports = { startProgram };
