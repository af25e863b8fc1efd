import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { startLambdaApi } from "./lambdaApi";
import { invokeBundle } from "./invokeBundle";
import { startLambdaEnvironment } from "./lambdaRuntime";
import { functionUrlEvent } from "./events";
import { settledWithin } from "./settledWithin";

// Before, a call waiting on a process that had died never settled, and node:test (no default timeout) hung the whole
// run instead of failing the test: seen when dist/ was rebuilt under a running test.
describe("the Lambda stand-in, when the bundle's process dies before answering", () => {
    const event = functionUrlEvent("GET", "/health");
    const settled = (answer: Promise<unknown>) => answer.then(() => "answered", (err: Error) => `${err.name}: ${err.message}`);

    it("startLambdaApi: the waiting call fails as Lambda answers it (Runtime.ExitError), naming the exit", { timeout: 30_000 }, async () => {
        const lambda = startLambdaApi({});
        const answer = settled(lambda.call(event));
        await lambda.stop(); // SIGKILL, sent while the process is still loading the bundle
        assert.match(await answer, /^Runtime\.ExitError: RequestId: req-0 Error: Runtime exited with error: signal: killed\n/);
    });

    // Before, an invocation sent after the process had ended waited for an exit already past: a bundle that fails to
    // load (dist/ not built) hung the run on the second call into it.
    it("a call sent after the process has ended fails at once as Lambda answers it (Runtime.ExitError)", { timeout: 30_000 }, async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "ended-"));
        try {
            const handler = path.join(dir, "exits.js");
            writeFileSync(handler, `process.exit(3);`);
            const lambda = startLambdaEnvironment("api", {}, handler);
            assert.deepEqual(await lambda.exited, { code: 3, signal: null });
            const answer = await settledWithin(settled(lambda.answer({})), 5_000);
            assert.notEqual(answer, "pending", "the call sent after the exit never settled");
            assert.match((answer as { value: string }).value, /^Runtime\.ExitError: RequestId: req-0 Error: Runtime exited with error: exit status 3\n/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

// aws-lambda-nodejs-runtime-interface-client src/index.mjs and src/Runtime.js (_setErrorCallbacks): an error that escapes
// the handler is the answer of the invocation in progress, and then the process exits (128 for a rejection, 129 for an
// exception). Before, the stand-in left it to Node (exit 1, nothing answered): Runtime.ExitError instead.
describe("the Lambda stand-in, when an error escapes the handler", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "escaping-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const handlerFile = (name: string, body: string) => {
        const file = path.join(dir, name);
        writeFileSync(file, `exports.handler = async () => { ${body}; await new Promise((r) => setTimeout(r, 200)); return "finished"; };`);
        return file;
    };

    it("a rejection nobody handles answers Runtime.UnhandledPromiseRejection, and the process exits 128", { timeout: 30_000 }, async () => {
        const lambda = startLambdaEnvironment("api", {}, handlerFile("rejects.js", `Promise.reject(new Error("left behind"))`));
        const outcome = await lambda.answer({});
        assert.deepEqual(outcome, { i: 0, error: { name: "Runtime.UnhandledPromiseRejection", message: "Error: left behind" } });
        assert.deepEqual(await lambda.exited, { code: 128, signal: null });
    });

    it("an exception thrown outside the handler's promise answers with its name and message, and the process exits 129", { timeout: 30_000 }, async () => {
        const lambda = startLambdaEnvironment("api", {}, handlerFile("throws.js", `setTimeout(() => { throw new TypeError("thrown later"); }, 0)`));
        const outcome = await lambda.answer({});
        assert.deepEqual(outcome, { i: 0, error: { name: "TypeError", message: "thrown later" } });
        assert.deepEqual(await lambda.exited, { code: 129, signal: null });
    });

    // What is not an Error is answered as the client's toRapidResponse answers it (src/Errors.js): errorType its typeof,
    // errorMessage its toString(); a rejection's message is `new UnhandledPromiseRejection(reason)`'s, Error's own
    // conversion, which leaves an undefined reason's message empty.
    it("a value thrown outside the handler's promise that is not an Error: its typeof and its text", { timeout: 30_000 }, async () => {
        const lambda = startLambdaEnvironment("api", {}, handlerFile("throwsString.js", `setTimeout(() => { throw "thrown later"; }, 0)`));
        assert.deepEqual(await lambda.answer({}), { i: 0, error: { name: "string", message: "thrown later" } });
        assert.deepEqual(await lambda.exited, { code: 129, signal: null });
    });

    it("a rejection without a reason: Runtime.UnhandledPromiseRejection with an empty message", { timeout: 30_000 }, async () => {
        const lambda = startLambdaEnvironment("api", {}, handlerFile("rejectsEmpty.js", `Promise.reject()`));
        assert.deepEqual(await lambda.answer({}), { i: 0, error: { name: "Runtime.UnhandledPromiseRejection", message: "" } });
        assert.deepEqual(await lambda.exited, { code: 128, signal: null });
    });

    it("invokeBundle: a rejection nobody handles is the invocation's error, Runtime.UnhandledPromiseRejection", { timeout: 30_000 }, async () => {
        const { error } = await invokeBundle("api", {}, {}, handlerFile("rejectsOnce.js", `Promise.reject(new Error("left behind"))`));
        assert.deepEqual(error, { phase: "invoke", name: "Runtime.UnhandledPromiseRejection", message: "Error: left behind" });
    });

    it("invokeBundle: a handler that throws what is not an Error fails the invocation with its typeof and its text", { timeout: 30_000 }, async () => {
        const { error } = await invokeBundle("api", {}, {}, handlerFile("throwsText.js", `throw "nope"`));
        assert.deepEqual(error, { phase: "invoke", name: "string", message: "nope" });
    });

    // The runtime client fails a promise rejected with nothing as the string "handled" (src/CallbackContext.js).
    it("invokeBundle: a handler that rejects with undefined fails the invocation as the string 'handled'", { timeout: 30_000 }, async () => {
        const { error } = await invokeBundle("api", {}, {}, handlerFile("rejectsNothing.js", `return Promise.reject(undefined)`));
        assert.deepEqual(error, { phase: "invoke", name: "string", message: "handled" });
    });
});
