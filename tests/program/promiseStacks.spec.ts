import * as assert from "assert";
import { skipCapturingPromiseStacks, skipMappingOfPromiseStacks } from "../../loader/promiseStacks";
import { inFreshNode } from "../harness/freshNode";

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

    // Only Pulumi's own debuggablePromise (runtime/debuggable.js) records promise stacks: an error raised in a function
    // of another file that has the same name is an error like any other, and keeps its mapped frames.
    it("maps an error from a function of the same name in another file", () => {
        skipMappingOfPromiseStacks();
        function debuggablePromise(): string {
            return new Error("mine").stack!;
        }
        assert.match(debuggablePromise(), /^Error: mine\n {4}at MAPPED .*debuggablePromise/);
        assert.strictEqual(mappings, 1);
    });

    it("is idempotent, and leaves V8's own formatting alone when no hook is installed", () => {
        skipMappingOfPromiseStacks();
        assert.strictEqual(skipMappingOfPromiseStacks(), false);
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
        assert.strictEqual(skipMappingOfPromiseStacks(), false);
        assert.strictEqual(Error.prepareStackTrace, undefined);
    });

    // A second start in one process (a tool's entry, then the program it runs) finds its own recorder in place.
    it("does not wrap Pulumi's promise recorder twice: installed once, it says so and leaves it as it is", () => {
        skipMappingOfPromiseStacks();
        skipCapturingPromiseStacks();
        const installed = debuggable.debuggablePromise;
        assert.strictEqual(skipCapturingPromiseStacks(), false);
        assert.strictEqual(debuggable.debuggablePromise, installed);
    });

    it("maps promise stacks too when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report", () => {
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
        assert.strictEqual(skipMappingOfPromiseStacks(), false);
        assert.match(recordedStack(), /at MAPPED .*debuggablePromise/);
        assert.strictEqual(mappings, 1);
    });
});

/**
 * Runs loader/promiseStacks.js's two shortcuts in a fresh node process (the specs' own process has them installed
 * already, by tests/harness/promiseStacks.ts), with a stand-in for source-map-support that notes how many frames
 * it is handed, then records one Pulumi promise and formats one error.
 */
function recordInFreshProcess(env: NodeJS.ProcessEnv): { installed: boolean; framesMapped: number[]; promiseStack: string; errorStack: string; limit: number } {
    const script = `
        const framesMapped = [];
        Error.prepareStackTrace = (error, callSites) => { framesMapped.push(callSites.length); return String(error) + callSites.map((c) => "\\n    at MAPPED " + c).join(""); };
        const { skipMappingOfPromiseStacks, skipCapturingPromiseStacks } = require("./loader/promiseStacks");
        skipMappingOfPromiseStacks();
        const installed = skipCapturingPromiseStacks();
        const debuggable = require("@pulumi/pulumi/runtime/debuggable");
        const p = Promise.resolve();
        void debuggable.debuggablePromise(p, "test");
        const promiseFrames = framesMapped.splice(0);
        const errorStack = new Error("boom").stack;
        console.log(JSON.stringify({ installed, framesMapped: promiseFrames, promiseStack: p._debugStackTrace, errorStack, limit: Error.stackTraceLimit }));
    `;
    return inFreshNode(script, env);
}

describe("promise stacks are not even captured while only the placeholder would be recorded (loader/promiseStacks.js)", function () {
    this.timeout(30_000);

    it("records the placeholder with no frame captured, and every other error keeps its mapped frames", () => {
        const run = recordInFreshProcess({ PULUMI_DEBUG_PROMISE_LEAKS: "" });
        assert.strictEqual(run.installed, true);
        assert.match(run.promiseStack, /promise stack not recorded: set PULUMI_DEBUG_PROMISE_LEAKS=true/);
        // V8 formats the promise's stack once, with the frame limit at 0: one call to the mapper with no frames.
        assert.deepStrictEqual(run.framesMapped, [0], "V8 captured the promise's stack");
        assert.match(run.errorStack, /^Error: boom\n {4}at MAPPED /);
        assert.strictEqual(run.limit, 10, "Error.stackTraceLimit restored");
    });

    it("records the real stack when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report", () => {
        const run = recordInFreshProcess({ PULUMI_DEBUG_PROMISE_LEAKS: "true" });
        assert.strictEqual(run.installed, false);
        assert.match(run.promiseStack, /at MAPPED .*debuggablePromise/);
    });
});

describe("the programs Pulumi runs (program.js, deployments/program.js) install both promise-stack shortcuts", function () {
    this.timeout(60_000);

    // skipCapturingPromiseStacks installs itself only over the hook skipMappingOfPromiseStacks put in place: called
    // first, it finds source-map-support's own hook and does nothing, and every Pulumi promise captures its stack again.
    // deployments/program.js's bundle is replaced by a module already loaded: its program would run outside an engine.
    const starts = { "program.js": `require("./program.js")`, "deployments/program.js": `require("./loader/bundle").ensureBundle = () => ({ outfile: require.resolve("./loader/bundle") }); require("./deployments/program.js")` };
    for (const [entry, start] of Object.entries(starts)) it(`${entry}: with Pulumi's runner's source-map hook in place, promises record the placeholder without capturing a frame`, () => {
        const out = inFreshNode(`
            const framesMapped = [];
            Error.prepareStackTrace = (error, callSites) => { framesMapped.push(callSites.length); return String(error) + callSites.map((c) => "\\n    at MAPPED " + c).join(""); };
            ${start};
            const debuggable = require("@pulumi/pulumi/runtime/debuggable");
            framesMapped.splice(0);
            const p = Promise.resolve();
            void debuggable.debuggablePromise(p, "test");
            console.log(JSON.stringify({ skipsMapping: !!Error.prepareStackTrace.skipsPromiseStacks, skipsCapture: !!debuggable.debuggablePromise.skipsCapture, framesMapped, promiseStack: p._debugStackTrace }));
        `, { PULUMI_DEBUG_PROMISE_LEAKS: "" });
        assert.strictEqual(out.skipsMapping, true, "skipMappingOfPromiseStacks installed");
        assert.strictEqual(out.skipsCapture, true, "skipCapturingPromiseStacks installed");
        assert.deepStrictEqual(out.framesMapped, [0], "V8 captured the promise's stack");
        assert.match(out.promiseStack, /promise stack not recorded/);
    });
});
