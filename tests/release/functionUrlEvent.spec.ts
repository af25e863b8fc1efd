import * as assert from "assert";
import { functionUrlEvent, functionUrlResponse, requestTime } from "../../release/probe/functionUrlEvent";

/**
 * The event the release's probe (and the end-to-end specs) hand a function, against the Lambda developer guide's
 * "Invoking Lambda function URLs" request payload example: `"time": "12/Mar/2020:19:03:58 +0000"`, a text body
 * as sent with `"isBase64Encoded": false`.
 */
describe("the Function URL event the probe sends", () => {
    it("writes requestContext.time as Lambda does, not as an HTTP date", () => {
        assert.strictEqual(requestTime(new Date(Date.UTC(2020, 2, 12, 19, 3, 58))), "12/Mar/2020:19:03:58 +0000");
        const event = functionUrlEvent({ method: "GET", path: "/health" }, "eu-west-1");
        assert.match(event.requestContext.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    });

    it("hands a JSON body over as text, and a binary one base64-encoded", () => {
        const json = functionUrlEvent({ method: "POST", path: "/objects/exists", body: '{"names":["a"]}', headers: { "Content-Type": "application/json; charset=utf-8" } }, "eu-west-1");
        assert.deepStrictEqual([json.body, json.isBase64Encoded], ['{"names":["a"]}', false]);
        const bytes = functionUrlEvent({ method: "PUT", path: "/objects/a", body: new Uint8Array([0, 255, 1]), headers: { "content-type": "application/octet-stream" } }, "eu-west-1");
        assert.deepStrictEqual([bytes.body, bytes.isBase64Encoded], ["AP8B", true]);
        const none = functionUrlEvent({ method: "GET", path: "/objects" }, "eu-west-1");
        assert.deepStrictEqual([none.body, none.isBase64Encoded], [undefined, false]);
    });

    it("reads the function's answer as the URL does: statusCode, headers, a base64 body decoded; anything else a 200 of JSON", () => {
        assert.deepStrictEqual(functionUrlResponse({ statusCode: 503, headers: { "retry-after": "1" }, body: "eyJhIjoxfQ==", isBase64Encoded: true }), {
            status: 503,
            headers: { "retry-after": "1" },
            bytes: Buffer.from('{"a":1}'),
            body: '{"a":1}',
            setCookies: [],
        });
        assert.deepStrictEqual(functionUrlResponse({ ok: true }), { status: 200, headers: { "content-type": "application/json" }, bytes: Buffer.from('{"ok":true}'), body: '{"ok":true}', setCookies: [] });
    });

    it("keeps a binary body's bytes as the URL sends them, and makes each of `cookies` a Set-Cookie header", () => {
        const answer = functionUrlResponse({ statusCode: 200, body: Buffer.from([0xff, 0x00, 0xfe]).toString("base64"), isBase64Encoded: true, cookies: ["a=1; Secure", "b=2"] });
        assert.deepStrictEqual([...answer.bytes], [0xff, 0x00, 0xfe], "not UTF-8 text, whose decoding would turn 0xff into U+FFFD");
        assert.deepStrictEqual(answer.setCookies, ["a=1; Secure", "b=2"]);
    });
});
