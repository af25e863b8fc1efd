// @ts-check
/**
 * What a failed check printed about its failures, short enough to repeat at the end of npm test's output: a check's
 * output is printed when it ends, so the timed service tests' failure (about 75 s in) sits above the mocha suite's
 * whole report (about 280 s in), and a CI log viewer that shows only the end of a log showed every spec passing and
 * then "npm test failed" with no failing test named.
 */
"use strict";

/** Lines a digest keeps at most; the check's whole output is printed above it. */
const DIGEST_LINES = 60;

/**
 * Where each test runner's own summary of its failures starts: node:test's spec reporter ends with "✖ failing
 * tests:" and each failure under it; mocha's reporters with "  N failing" and the numbered failures.
 */
const FAILURE_SECTIONS = [/^✖ failing tests:$/m, /^ {2}\d+ failing$/m];

/** A stack frame, which names no test and says nothing of what failed. */
const STACK_FRAME = /^\s+at /;

/**
 * The failure section of a test runner's output without its stack frames, or the output's last lines when it has
 * none (a type-check, a check stopped at its deadline), at most DIGEST_LINES lines.
 * @param {string} output
 */
function failureDigest(output) {
    const starts = FAILURE_SECTIONS.map((section) => output.search(section)).filter((at) => at >= 0);
    if (starts.length === 0) return output.trimEnd().split("\n").slice(-DIGEST_LINES).join("\n");
    const lines = output.slice(Math.min(...starts)).trimEnd().split("\n").filter((line) => !STACK_FRAME.test(line));
    if (lines.length <= DIGEST_LINES) return lines.join("\n");
    return [...lines.slice(0, DIGEST_LINES), `… ${lines.length - DIGEST_LINES} more lines in its output above`].join("\n");
}

module.exports = { failureDigest, DIGEST_LINES };
