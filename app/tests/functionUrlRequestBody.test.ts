import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { resultBytes, resultJson } from "./lambdaApi";
import { bootstrap } from "../src/bootstrap";
import { functionUrlHandler } from "../src/functionUrlHandler";
import { MemoryStore } from "../src/storage";

// How the handler's request gets its body. Hono's adapter decodes a base64 body with hono's utils/encode.ts
// decodeBase64, atob and then a charCodeAt per byte: ~40 ms of Lambda's CPU for a 4 MiB upload, where Buffer takes
// under 1 ms. Buffer decodes without atob, so atob seeing the body means Hono's decoder did.
describe("functionUrlHandler: the request's body", () => {
    const service = () => functionUrlHandler(bootstrap("lambda-api", { LOG_LEVEL: "error" }, new MemoryStore()).app);

    it("is base64-decoded without Hono's per-byte decoder (atob never sees the upload)", async (t) => {
        const upload = randomBytes(64 * 1024);
        const handler = service();
        const event = functionUrlEvent("PUT", "/objects/big.bin", upload, { "content-type": "application/octet-stream" });
        const atob = t.mock.method(globalThis, "atob");
        const put = await handler(event);
        const decodedByAtob = atob.mock.calls.map((call) => String(call.arguments[0]).length).filter((length) => length > 0);
        t.mock.restoreAll();
        assert.deepEqual(decodedByAtob, [], "characters atob decoded, call by call");
        assert.equal(put.statusCode, 201, put.body);
        assert.ok(resultBytes(await handler(functionUrlEvent("GET", "/objects/big.bin"))).equals(upload), "the object read back is the upload");
    });

    it("is stored byte for byte whether the Function URL sent it as base64 or as text", async () => {
        const handler = service();
        const binary = Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x0a]);
        const text = "caf\u00e9 \u2713 \u{1f600}\r\n"; // 1, 3 and 4 bytes a character in UTF-8
        const uploads = [
            { name: "bytes.bin", event: functionUrlEvent("PUT", "/objects/bytes.bin", binary, { "content-type": "application/octet-stream" }), bytes: binary },
            { name: "note.txt", event: functionUrlEvent("PUT", "/objects/note.txt", text, { "content-type": "text/plain" }), bytes: Buffer.from(text) },
        ];
        assert.equal(uploads[1].event.isBase64Encoded, false, "the text upload comes as text");
        for (const { name, event, bytes } of uploads) {
            const put = await handler(event);
            assert.deepEqual([put.statusCode, resultJson(put)], [201, { name, renamed: false, bytes: bytes.byteLength }]);
            assert.deepEqual(resultBytes(await handler(functionUrlEvent("GET", `/objects/${name}`))), bytes, name);
        }
    });

    it("comes with the content-length of its bytes, as Hono's adapter set it, and env.event is the event with its body", async () => {
        const app = new Hono<{ Bindings: { event: unknown } }>().put("/echo", async (c) =>
            c.json({ contentLength: c.req.header("content-length") ?? null, body: Buffer.from(await c.req.arrayBuffer()).toString("hex"), sameEvent: c.env.event === event }),
        );
        const handler = functionUrlHandler(app as unknown as Hono);
        let event = functionUrlEvent("PUT", "/echo", Buffer.from([1, 2, 3]), { "content-type": "application/octet-stream", "content-length": "999" });
        assert.deepEqual(resultJson(await handler(event)), { contentLength: "3", body: "010203", sameEvent: true }, "base64, declared 999");
        event = functionUrlEvent("PUT", "/echo", "\u00e9", { "content-type": "text/plain", "content-length": "999" });
        assert.deepEqual(resultJson(await handler(event)), { contentLength: "2", body: "c3a9", sameEvent: true }, "text, declared 999");
        // An empty body is no body to the adapter: no content-length is added, as before.
        event = { ...functionUrlEvent("PUT", "/echo"), body: "" };
        assert.deepEqual(resultJson(await handler(event)), { contentLength: null, body: "", sameEvent: true }, "empty body");
    });
});
