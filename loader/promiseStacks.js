/**
 * The Pulumi runtime records a stack trace for every promise it creates (`debuggablePromise`), for a leak
 * report it prints only when PULUMI_DEBUG_PROMISE_LEAKS is set. Pulumi's runner formats every stack trace
 * through source-map-support, which maps each frame; for this program that was ~0.6 s of a 2.5 s run.
 * `skipMappingOfPromiseStacks` skips formatting just those traces while they cannot be printed. Every other
 * trace (errors, the source position Pulumi records per resource) is still mapped, and with
 * PULUMI_DEBUG_PROMISE_LEAKS set nothing is skipped.
 */
"use strict";
const path = require("path");
const { resolveFrom } = require("./deferModule");

const PROMISE_STACK_ORIGIN = { functionName: "debuggablePromise", file: path.join("runtime", "debuggable.js") };

/**
 * @typedef {(error: Error, callSites: NodeJS.CallSite[]) => unknown} PrepareStackTrace
 * @returns {boolean} whether the shortcut was installed
 */
function skipMappingOfPromiseStacks() {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return false;
    /** @type {(PrepareStackTrace & { skipsPromiseStacks?: true }) | undefined} */
    const mapped = Error.prepareStackTrace;
    // Without a hook, V8 formats stack traces itself, cheaply; wrapping it would only lose node's own options.
    if (typeof mapped !== "function" || mapped.skipsPromiseStacks) return false;
    /** @type {PrepareStackTrace & { skipsPromiseStacks?: true }} */
    const prepareStackTrace = (error, callSites) => (isPromiseStack(callSites) ? NOT_RECORDED : mapped(error, callSites));
    prepareStackTrace.skipsPromiseStacks = true;
    Error.prepareStackTrace = prepareStackTrace;
    return true;
}

/**
 * With the mapping skipped, what Pulumi records for each promise is the placeholder whatever the stack was, yet V8
 * still captured the stack for it: about a fifth of the program's evaluation CPU, with the garbage. This records
 * the placeholder without the capture, only while the hook skipMappingOfPromiseStacks installed is the one in place
 * and PULUMI_DEBUG_PROMISE_LEAKS does not ask for real stacks (then Pulumi's own function runs).
 * @param {string} [from] the folder whose @pulumi/pulumi records the promises (the project's by default): the plugin's
 * own, where `pulumi package add` installed only that folder; another copy of the SDK would be patched in vain
 * @returns {boolean} whether it was installed
 */
function skipCapturingPromiseStacks(from) {
    const hook = Error.prepareStackTrace;
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || typeof hook !== "function" || !(/** @type {{ skipsPromiseStacks?: true }} */ (hook).skipsPromiseStacks)) return false;
    // debuggablePromise is internal to the SDK: its declarations leave it out.
    const debuggable = /** @type {{ debuggablePromise: DebuggablePromise & { skipsCapture?: true } }} */ (
        /** @type {unknown} */ (require(resolveFrom("@pulumi/pulumi/runtime/debuggable", from)))
    );
    const record = debuggable.debuggablePromise;
    if (record.skipsCapture) return false;
    /** @type {DebuggablePromise & { skipsCapture?: true }} */
    const recordWithoutCapture = (p, ctx) => {
        if (Error.prepareStackTrace !== hook || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return record(p, ctx);
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return record(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
            Object.defineProperty(p, "_debugStackTrace", { writable: true, value: NOT_RECORDED });
        }
    };
    recordWithoutCapture.skipsCapture = true;
    debuggable.debuggablePromise = recordWithoutCapture;
    return true;
}

/** @typedef {(p: Promise<unknown>, ctx: unknown) => Promise<unknown>} DebuggablePromise */

/** @param {NodeJS.CallSite[]} callSites */
function isPromiseStack(callSites) {
    const origin = callSites[0];
    return origin?.getFunctionName() === PROMISE_STACK_ORIGIN.functionName && (origin.getFileName() ?? "").endsWith(PROMISE_STACK_ORIGIN.file);
}

/** What a promise records instead; Pulumi reads it only when PULUMI_DEBUG_PROMISE_LEAKS is set, and then it is real. */
const NOT_RECORDED = "Error\n    (promise stack not recorded: set PULUMI_DEBUG_PROMISE_LEAKS=true to record it)";

module.exports = { skipMappingOfPromiseStacks, skipCapturingPromiseStacks };
