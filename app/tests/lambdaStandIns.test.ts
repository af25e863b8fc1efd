import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startLambdaApi } from "./lambdaApi";
import { functionUrlEvent } from "./events";

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
});
