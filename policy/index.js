// @ts-check
/**
 * What the CLI's policy runner loads (package.json "main"): index.ts's bundle where it matches the sources, else
 * index.ts itself (packEntry.js says which, and why).
 */
"use strict";
require(require("./packEntry").packEntry(__dirname).file);
