import * as assert from "assert";
import { skipMappingOfPromiseStacks } from "../../loader/promiseStacks";

const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T> };

/** The stack Pulumi records for a promise, as its leak report would print it. */
function recordedStack(): string {
    const p = Promise.resolve();
    void debuggable.debuggablePromise(p, "test");
    return (p as unknown as { _debugStackTrace: string })._debugStackTrace;
}

describe("promise stacks are not source-mapped while nothing can print them (loader/promiseStacks.js)", () => {
    const original = Error.prepareStackTrace;
    const debugLeaks = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    let mappings = 0;
    /** Stands in for source-map-support: counts what it is asked to map. */
    const mapper = (error: Error, callSites: NodeJS.CallSite[]) => {
        mappings++;
        return `${error}\n    at MAPPED ${callSites.join("\n    at MAPPED ")}`;
    };

    beforeEach(() => {
        mappings = 0;
        Error.prepareStackTrace = mapper;
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    });
    afterEach(() => {
        Error.prepareStackTrace = original;
        if (debugLeaks === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        else process.env.PULUMI_DEBUG_PROMISE_LEAKS = debugLeaks;
    });

    it("skips the trace of every Pulumi promise, and still maps every other trace", () => {
        assert.strictEqual(skipMappingOfPromiseStacks(), true);
        assert.match(recordedStack(), /promise stack not recorded: set PULUMI_DEBUG_PROMISE_LEAKS=true/);
        assert.strictEqual(mappings, 0, "the Pulumi promise's stack went through the mapper");
        assert.match(new Error("boom").stack!, /^Error: boom\n {4}at MAPPED /);
        assert.strictEqual(mappings, 1);
    });

    it("is idempotent, and leaves V8's own formatting alone when no hook is installed", () => {
        skipMappingOfPromiseStacks();
        assert.strictEqual(skipMappingOfPromiseStacks(), false);
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
        assert.strictEqual(skipMappingOfPromiseStacks(), false);
        assert.strictEqual(Error.prepareStackTrace, undefined);
    });

    it("maps promise stacks too when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report", () => {
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
        assert.strictEqual(skipMappingOfPromiseStacks(), false);
        assert.match(recordedStack(), /at MAPPED .*debuggablePromise/);
        assert.strictEqual(mappings, 1);
    });
});
