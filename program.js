// @ts-check
/**
 * What Pulumi runs (package.json "main"; Pulumi.yaml sets typescript: false): the program in index.ts, bundled
 * into bin/index.js and rebuilt whenever a file it imports has changed, then loaded in plain node. Settings are
 * validated by the program itself; type-checking runs in `npm test` and CI, not on every `pulumi up`.
 */
"use strict";
const { ensureBundle } = require("./loader/bundle");
const { deferFunctionSerialization } = require("./loader/deferFunctionSerialization");
const { deferZodLocales } = require("./loader/deferZodLocales");
const { skipCapturingPromiseStacks, skipMappingOfPromiseStacks } = require("./loader/promiseStacks");
const { useProxyFromEnvironment } = require("./loader/proxyFromEnvironment");

useProxyFromEnvironment();
deferFunctionSerialization();
deferZodLocales();
skipMappingOfPromiseStacks();
skipCapturingPromiseStacks();
module.exports = require(ensureBundle("index.ts").outfile);
