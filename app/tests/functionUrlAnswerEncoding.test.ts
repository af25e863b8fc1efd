import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { functionUrlHandler } from "../src/functionUrlHandler";

// How the handler's result gets its body. Hono's adapter base64-encodes it with hono's utils/encode.ts encodeBase64,
// a String.fromCharCode per byte and then btoa: 0.3 to 1.5 s of Lambda's CPU for a 4 MiB object (the bench's row
// "Lambda API handler"). Buffer encodes the same bytes without btoa, so btoa seeing the bytes means Hono's encoder did.
describe("functionUrlHandler: the answer's body", () => {
    it("is base64-encoded without Hono's per-byte encoder (btoa never sees the answer)", async (t) => {
        const object = randomBytes(64 * 1024);
        const app = new Hono().get("/objects/:name", (c) => c.body(object, 200, { "content-type": "application/octet-stream" }));
        const btoa = t.mock.method(globalThis, "btoa");
        const result = await functionUrlHandler(app)(functionUrlEvent("GET", "/objects/big.bin"));
        const encodedByBtoa = btoa.mock.calls.map((call) => String(call.arguments[0]).length).filter((length) => length > 0);
        t.mock.restoreAll();
        assert.deepEqual(encodedByBtoa, [], "characters btoa encoded, call by call");
        assert.equal(result.isBase64Encoded, true);
        assert.equal(result.body, object.toString("base64"));
    });

    it("is a text answer's UTF-8 as text, never base64-encoded to be decoded again", async (t) => {
        const text = "caf\u00e9 ".repeat(8 * 1024);
        const app = new Hono().get("/note", (c) => c.text(text));
        const toBase64 = t.mock.method(Buffer.prototype, "toString" as const);
        const result = await functionUrlHandler(app)(functionUrlEvent("GET", "/note"));
        const encodedToBase64 = toBase64.mock.calls.filter((call: { arguments: unknown[] }) => call.arguments[0] === "base64").map((call: { this: unknown }) => (call.this as Buffer).length);
        t.mock.restoreAll();
        assert.deepEqual(encodedToBase64, [], "bytes encoded to base64, call by call");
        assert.deepEqual([result.isBase64Encoded, result.body], [false, text]);
    });

    it("is each invocation's own when two run at once (Lambda Managed Instances run several in one process)", async () => {
        // Both answers come in the same turn: a body kept anywhere but the invocation's own closure is the other's.
        let answer!: () => void;
        const bothMayAnswer = new Promise<void>((resolve) => (answer = resolve));
        const app = new Hono().get("/objects/:name", async (c) => {
            await bothMayAnswer;
            return c.body(Buffer.from(c.req.param("name")), 200, { "content-type": "application/octet-stream" });
        });
        const handler = functionUrlHandler(app);
        const results = [handler(functionUrlEvent("GET", "/objects/first")), handler(functionUrlEvent("GET", "/objects/second"))];
        answer();
        const bodies = (await Promise.all(results)).map((result) => Buffer.from(result.body!, "base64").toString());
        assert.deepEqual(bodies, ["first", "second"]);
    });

    it("is the text Response.text() reads when the adapter sends text (no content type), beside the adapter's status, headers and cookies", async () => {
        // A byte-order mark and a byte that is not UTF-8: Response.text() drops the one and replaces the other, as before.
        const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("ok "), Buffer.from([0xff])]);
        const app = new Hono().get("/typeless", () => {
            const headers = new Headers({ "x-kind": "typeless" });
            headers.append("set-cookie", "a=1");
            headers.append("set-cookie", "b=2");
            return new Response(bytes, { status: 203, headers });
        });
        const result = await functionUrlHandler(app)(functionUrlEvent("GET", "/typeless"));
        assert.deepEqual(result, { statusCode: 203, isBase64Encoded: false, body: "ok \ufffd", headers: { "x-kind": "typeless" }, cookies: ["a=1", "b=2"] });
    });

    // Hono's adapter answers an event it cannot build a Request from itself, without the app (hono adapter/aws-lambda
    // handler.js `handle`: createRequest's TypeError is `new Response("Invalid request", { status: 400 })`); a Function
    // URL always names its domain, but a hand-made invocation may not name a host.
    it("is the adapter's own 400 where the adapter could not build the request (the app never ran)", async (t) => {
        t.mock.method(console, "error", () => undefined); // the adapter prints the TypeError's stack
        const app = new Hono().get("/health", (c) => c.text("served"));
        const event = functionUrlEvent("GET", "/health");
        event.requestContext.domainName = "not a host";
        const result = await functionUrlHandler(app)(event);
        assert.deepEqual([result.statusCode, Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8").toString()], [400, "Invalid request"]);
    });
});
