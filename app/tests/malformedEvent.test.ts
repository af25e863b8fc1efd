import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { invokeBundle } from "./invokeBundle";

// A malformed event (a direct invoke, a test event from the console) is answered 400 with one JSON log line,
// not a stack trace over many lines (Hono's adapter prints the error with console.error).

const malformed: [string, unknown][] = [
    ["a null event", null],
    ["an event that is not a Function URL event", { hello: "world" }],
    ["a body marked base64 that is not base64", { ...functionUrlEvent("PUT", "/objects/a.bin", "x"), body: "not base64!!", isBase64Encoded: true }],
];

describe("dist/api.js answers a malformed event 400 with one JSON log line", () => {
    for (const [label, event] of malformed) {
        it(label, async () => {
            const { result, error, output } = await invokeBundle("api", event, { STORAGE_BACKEND: "memory" });
            assert.equal(error, undefined, `the handler threw: ${JSON.stringify(error)}`);
            assert.equal(result.statusCode, 400);
            assert.match(JSON.parse(result.body).error, /^malformed event: /);
            const lines = output.trim().split("\n");
            assert.equal(lines.length, 1, output);
            assert.equal(JSON.parse(lines[0]).message, "malformed Function URL event");
        });
    }
});
