// @ts-check
/**
 * The service's tests (app/tests/*.test.ts, what app's `npm run test:run` runs) in two groups: those that assert on
 * how long something took, or that it happened within a deadline or rate window, run at the normal priority
 * (a loaded machine would blur them); the rest at the lowest priority beside them and the program's tests.
 */
"use strict";
const fs = require("fs");
const path = require("path");

/**
 * Files asserting on time: latency under faults (faults, gcsFaults), the drain after SIGTERM (sigterm), storage
 * deadlines and attempt timeouts (clientErrors, storageErrors, gcsRetries, slowStorage, unboundedWork, adminTokenSecret, gcsUploads,
 * gcsDownload: a body cut about one attempt's timeout after its last byte; storeTimeouts: the stores' own attempt timeouts
 * and deadline below the guard; s3Sockets: a batch's HEADs within their
 * attempt timeouts), reads held while a paced body arrives
 * (readBudget), rate windows of one second (rateLimit), and a shutdown within 2 s (server).
 */
const TIMED = [
    "faults.test.ts",
    "gcsFaults.test.ts",
    "sigterm.test.ts",
    "clientErrors.test.ts",
    "storageErrors.test.ts",
    "gcsRetries.test.ts",
    "slowStorage.test.ts",
    "unboundedWork.test.ts",
    "adminTokenSecret.test.ts",
    "gcsUploads.test.ts",
    "gcsDownload.test.ts",
    "storeTimeouts.test.ts",
    "readBudget.test.ts",
    "rateLimit.test.ts",
    "server.test.ts",
    "s3Sockets.test.ts",
];

/**
 * @param {string} app the app folder
 * @returns {{ timed: string[], untimed: string[] }} paths relative to app, every test file in exactly one group
 */
function serviceTestGroups(app) {
    const files = fs.readdirSync(path.join(app, "tests")).filter((name) => name.endsWith(".test.ts")).sort();
    const missing = TIMED.filter((name) => !files.includes(name));
    if (missing.length > 0) throw new Error(`scripts/test/serviceTests.js names app test files that do not exist: ${missing.join(", ")}`);
    const inTests = (/** @type {string} */ name) => `tests/${name}`;
    return { timed: TIMED.map(inTests), untimed: files.filter((name) => !TIMED.includes(name)).map(inTests) };
}

module.exports = { serviceTestGroups };
