// @ts-check
/**
 * What the CLI's policy runner loads (package.json "main"). The runner registers ts-node in type-check mode for every
 * pack (cmd/run-policy-pack, whatever tsconfig.json says), and a TypeScript main made ts-node parse and bind every
 * declaration file the pack reaches, even with noCheck: about 2.3 s of CPU on each preview. In the repository the
 * pack loads index.ts bundled with esbuild into bin/ instead (rebuilt when a file it imports has changed, as
 * program.js does for the program), which leaves ts-node nothing to compile. Published, the pack is this folder
 * alone: `pulumi policy publish` runs `npm pack` here, and the CLI unpacks it under ~/.pulumi/policies and runs
 * `npm install` there (pulumi/pulumi pkg/backend/httpstate/policypack.go: Publish, installRequiredPolicy); with no
 * ../loader beside it, the runner's ts-node loads index.ts.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const LOADER = path.join(__dirname, "..", "loader", "bundle.js");

if (fs.existsSync(LOADER)) require(require(LOADER).ensureBundle("index.ts", { root: __dirname }).outfile);
else require("./index.ts");
