// @ts-check
/**
 * What Pulumi runs for this project (Pulumi.yaml `main`, typescript: false), as program.js does for the service's:
 * index.ts bundled into ../bin/deployments/index.js, rebuilt whenever a file it imports has changed, then loaded in
 * plain node. Without a `main` the runner would take "." and look up the nearest package.json, the repository's,
 * whose `main` is the service's program.js: `pulumi up --stack main` here would run the service instead of this.
 */
"use strict";
const { startProgram } = require("../loader/startProgram");

module.exports = startProgram("deployments/index.ts");
