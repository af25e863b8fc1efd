import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultBytes, startLambdaApi } from "./lambdaApi";
import { SERVER_CHUNKED_ANSWER_OVER_BYTES } from "../src/bodyLimits";
import { RunningServer, httpCall, startServer } from "./helpers";

// "Readable with the bytes sent" for every content type: bytes that are not valid UTF-8 (a Latin-1 CSV, a
// binary body labelled text) come back byte for byte on Cloud Run, and on Lambda (Function URL) under a binary type.
// A Function URL hands a text-typed body (text/*, JSON, XML) to the function as a string (events.ts): bytes that
// are not UTF-8 do not survive that, so such an upload is refused there, never stored changed.

const BODY = Buffer.concat([Buffer.from("caf\xe9;na\xefve;\r\n", "latin1"), Buffer.from([0x00, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff, 0xfe]), Buffer.from("ok \u00e9\n")]);
const CONTENT_TYPES = [
    "text/plain",
    "text/csv; charset=iso-8859-1",
    "text/html",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "application/octet-stream",
    "image/png",
];

describe("every content type comes back byte for byte: dist/api.js (Function URL)", () => {
    let api: LambdaApi;
    before(() => {
        api = startLambdaApi({ STORAGE_BACKEND: "memory" });
    });
    after(async () => api?.stop());

    for (const [i, contentType] of CONTENT_TYPES.entries()) {
        it(contentType, async () => {
            const event = functionUrlEvent("PUT", `/objects/bytes-${i}`, BODY, { "content-type": contentType });
            const put = await api.call(event);
            if (!event.isBase64Encoded) {
                assert.equal(put.statusCode, 400, resultBytes(put).toString());
                assert.match(JSON.parse(resultBytes(put).toString()).error, /bytes that are not UTF-8 .* send them as application\/octet-stream/);
                assert.equal((await api.call(functionUrlEvent("GET", `/objects/bytes-${i}`))).statusCode, 404, "nothing was stored");
                return;
            }
            assert.equal(put.statusCode, 201, resultBytes(put).toString());
            const get = await api.call(functionUrlEvent("GET", `/objects/bytes-${i}`));
            assert.equal(get.statusCode, 200);
            assert.equal(get.headers["content-type"], contentType);
            assert.equal(resultBytes(get).toString("hex"), BODY.toString("hex"));
        });
    }

    it("UTF-8 under every text type comes back byte for byte", async () => {
        const text = Buffer.from("naïve;café\r\n✓ 日本 \u{1F600}\n");
        for (const [i, contentType] of CONTENT_TYPES.entries()) {
            const event = functionUrlEvent("PUT", `/objects/utf8-${i}`, text, { "content-type": contentType });
            assert.equal((await api.call(event)).statusCode, 201);
            const get = await api.call(functionUrlEvent("GET", `/objects/utf8-${i}`));
            assert.equal(resultBytes(get).toString("hex"), text.toString("hex"), contentType);
        }
    });

    it("a text object that starts with a UTF-8 byte-order mark (a CSV Excel saved) keeps it: TextDecoder drops one by default", async () => {
        const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("id,name\n1,a\n")]);
        const put = await api.call(functionUrlEvent("PUT", "/objects/excel.csv", body, { "content-type": "text/csv" }, "base64"));
        assert.equal(put.statusCode, 201);
        const get = await api.call(functionUrlEvent("GET", "/objects/excel.csv"));
        assert.deepEqual(resultBytes(get), body);
    });

    it("only uploads are refused so: a JSON name holding U+FFFD is looked up, a binary body holding it is stored, an unknown path is 404", async () => {
        const exists = await api.call(functionUrlEvent("POST", "/objects/exists", JSON.stringify({ names: ["report\uFFFD.csv"] }), { "content-type": "application/json" }));
        assert.equal(exists.statusCode, 200, resultBytes(exists).toString());
        const binary = Buffer.from("\uFFFD stays");
        const put = await api.call(functionUrlEvent("PUT", "/objects/replacement.bin", binary, { "content-type": "application/octet-stream" }));
        assert.equal(put.statusCode, 201);
        assert.ok(resultBytes(await api.call(functionUrlEvent("GET", "/objects/replacement.bin"))).equals(binary));
        const nowhere = await api.call(functionUrlEvent("PUT", "/no/such/route", "caf\uFFFD", { "content-type": "text/plain" }));
        assert.equal(nowhere.statusCode, 404);
    });

    it("the event decides, not the content type: a body the URL passed as text is refused whatever its type, one it passed base64 is stored", async () => {
        const asText = await api.call(functionUrlEvent("PUT", "/objects/passed-as-text.svg", "caf\uFFFD", { "content-type": "image/svg+xml" }, "text"));
        assert.equal(asText.statusCode, 400);
        // "école" written in Windows-1252: its one lost byte is the body's first, where U+FFFD then stands alone.
        const lostFirst = await api.call(functionUrlEvent("PUT", "/objects/latin1.csv", "\uFFFDcole", { "content-type": "text/csv" }, "text"));
        assert.equal(lostFirst.statusCode, 400);
        const asBase64 = await api.call(functionUrlEvent("PUT", "/objects/passed-whole.txt", Buffer.from("caf\uFFFD"), { "content-type": "text/plain" }, "base64"));
        assert.equal(asBase64.statusCode, 201);
    });

    // A Function URL passes image/svg+xml base64 (it is not among SENT_AS_TEXT), so a Latin-1 SVG is stored whole; Hono reads the type as
    // text, so the answer is decoded back to text, and only a strict decoder keeps the bytes. The BODY above goes back
    // base64 anyway (its U+FFFD text, JSON-escaped, is longer than its base64): a short body is where it would not.
    it("a short body that is not UTF-8 under a type Hono reads as text (image/svg+xml) comes back byte for byte, not as U+FFFD", async () => {
        const latin1 = Buffer.from("<svg>caf\xe9</svg>", "latin1");
        const put = await api.call(functionUrlEvent("PUT", "/objects/latin1.svg", latin1, { "content-type": "image/svg+xml" }));
        assert.equal(put.statusCode, 201, resultBytes(put).toString());
        const get = await api.call(functionUrlEvent("GET", "/objects/latin1.svg"));
        assert.equal(resultBytes(get).toString("hex"), latin1.toString("hex"));
    });

    it("the service's own JSON answers stay readable text", async () => {
        const health = await api.call(functionUrlEvent("GET", "/health"));
        assert.equal(health.isBase64Encoded, false);
        assert.equal(JSON.parse(health.body).status, "ok");
    });
});

describe("every content type comes back byte for byte: dist/server.js (Cloud Run)", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer();
    });
    after(async () => server.stop());

    for (const [i, contentType] of CONTENT_TYPES.entries()) {
        it(contentType, async () => {
            const put = await fetch(`${server.url}/objects/bytes-${i}`, { method: "PUT", body: BODY, headers: { "content-type": contentType } });
            assert.equal(put.status, 201);
            const get = await fetch(`${server.url}/objects/bytes-${i}`);
            assert.equal(get.headers.get("content-type"), contentType);
            assert.equal(Buffer.from(await get.arrayBuffer()).toString("hex"), BODY.toString("hex"));
        });
    }
});

describe("an object over what Cloud Run answers with a Content-Length goes out chunked: dist/server.js", () => {
    let server: RunningServer;
    before(async () => {
        // MAX_BODY_BYTES at its ceiling on Cloud Run (32 MiB): an object that large is an answer over 32 MiB with its headers.
        server = await startServer({ MAX_BODY_BYTES: String(32 * 1024 * 1024), MAX_BODY_BYTES_IN_FLIGHT: String(96 * 1024 * 1024) });
    });
    after(async () => server.stop());

    it("32 MiB: chunked, no Content-Length, every byte back; a small object keeps its Content-Length", async () => {
        const big = Buffer.alloc(32 * 1024 * 1024);
        for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
        // node:http rather than fetch for the 32 MiB: undici copies such a body several times over (about 2 s of CPU).
        assert.equal((await httpCall(`${server.url}/objects/big.bin`, "PUT", big, { "content-type": "application/octet-stream" })).status, 201);
        const get = await httpCall(`${server.url}/objects/big.bin`, "GET");
        assert.equal(get.status, 200);
        assert.ok(big.length > SERVER_CHUNKED_ANSWER_OVER_BYTES);
        assert.equal(get.headers["content-length"], undefined);
        assert.equal(get.headers["transfer-encoding"], "chunked");
        assert.ok(get.body.equals(big), "the same bytes");
        assert.equal((await fetch(`${server.url}/objects/small.txt`, { method: "PUT", body: "small", headers: { "content-type": "text/plain" } })).status, 201);
        assert.equal((await fetch(`${server.url}/objects/small.txt`)).headers.get("content-length"), "5");
    });
});
