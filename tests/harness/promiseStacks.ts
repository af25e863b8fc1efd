// Loaded by mocha after the TypeScript hook (.mocharc.json): the tests run the program as Pulumi does, with the same
// shortcut.
import { skipMappingOfPromiseStacks } from "../../loader/promiseStacks";

type DebuggablePromise = <T>(p: Promise<T>, ctx: unknown) => Promise<T>;

skipMappingOfPromiseStacks();
skipCapturingPromiseStacks();

/**
 * With the shortcut in place, what Pulumi records as each promise's stack is one placeholder whatever the stack
 * was, yet V8 still captured the stack for it: ~17 % of the CPU of the specs that run the program in process (a
 * cpu profile of tests/image/supplyChain, promotion, aws/iam, gcp/service, program/stacks), plus the garbage.
 * In the tests only, the placeholder is recorded without the capture, and only while the hook the shortcut
 * installed is still the one in place (a spec that installs another, tests/program/promiseStacks.spec.ts, gets
 * the SDK's own capture) and PULUMI_DEBUG_PROMISE_LEAKS does not ask for real stacks.
 */
function skipCapturingPromiseStacks(): void {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: DebuggablePromise };
    const record = debuggable.debuggablePromise;
    const hook = Error.prepareStackTrace;
    if (typeof hook !== "function" || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
    // What the hook makes of a stack that starts in debuggablePromise: the placeholder, if the shortcut is in place.
    const origin = { getFunctionName: () => "debuggablePromise", getFileName: () => require.resolve("@pulumi/pulumi/runtime/debuggable") };
    let placeholder: unknown;
    try {
        placeholder = hook(new Error(), [origin as unknown as NodeJS.CallSite]);
    } catch {
        return; // the hook tried to format the stack: no shortcut
    }
    if (typeof placeholder !== "string" || / at /.test(placeholder)) return;
    debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
        if (Error.prepareStackTrace !== hook || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return record(p, ctx);
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return record(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
            Object.defineProperty(p, "_debugStackTrace", { writable: true, value: placeholder });
        }
    };
}
