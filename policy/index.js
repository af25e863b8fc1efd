// @ts-check
/**
 * What the CLI's policy runner loads (package.json "main"): index.ts bundled with esbuild into bin/ beside this
 * file, rebuilt when a file it imports has changed (as program.js does for the program). The runner registers
 * ts-node in type-check mode for every pack (cmd/run-policy-pack, whatever tsconfig.json says), and a TypeScript
 * main made ts-node parse and bind every declaration file the pack reaches even with noCheck: about 2.3 s of CPU
 * in each preview with the pack. A JavaScript main leaves ts-node nothing to compile. Type-checking stays in npm test.
 */
"use strict";
const { ensureBundle } = require("../loader/bundle");

require(ensureBundle("index.ts", { root: __dirname }).outfile);
