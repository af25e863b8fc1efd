// @ts-check
/**
 * What Pulumi runs (package.json "main"; Pulumi.yaml sets typescript: false): the program in index.ts, bundled
 * into bin/index.js and rebuilt whenever a file it imports has changed, then loaded in plain node. Settings are
 * validated by the program itself; type-checking runs in `npm test` and CI, not on every `pulumi up`.
 */
"use strict";
const { startProgram } = require("./loader/startProgram");

module.exports = startProgram("index.ts");
