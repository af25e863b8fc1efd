import assert from "node:assert/strict";
import { Hono } from "hono";
import http from "node:http";
import { describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { startServer } from "./helpers";
import { invokeBundle } from "./invokeBundle";
import { functionUrlHandler } from "../src/functionUrlHandler";
import { setLogLevel } from "../src/log";

// A malformed event (a direct invoke, a test event from the console) is answered 400 with one JSON log line,
// not a stack trace over many lines (Hono's adapter prints the error with console.error).

const malformed: [string, unknown][] = [
    ["a null event", null],
    ["an event that is not a Function URL event", { hello: "world" }],
    ["a body marked base64 that is not base64", { ...functionUrlEvent("PUT", "/objects/a.bin", "x"), body: "not base64!!", isBase64Encoded: true }],
    // Base64 as RFC 4648 section 4 has it, which a Function URL sends: padded with "=" to a multiple of 4 characters.
    ["a body marked base64 without its padding", { ...functionUrlEvent("PUT", "/objects/a.bin", "x"), body: "eA", isBase64Encoded: true }],
    // Before: Hono's adapter answered these with its own 400 "Invalid request", without the security headers, and
    // printed a stack (fetch's Headers and Request refuse them).
    ["a NUL in a header value", { ...functionUrlEvent("GET", "/health"), headers: { ...functionUrlEvent("GET", "/health").headers, "x-note": "a\u0000b" } }],
    ["a method fetch refuses (TRACE)", functionUrlEvent("TRACE", "/health")],
    // Before: 201 {"name":"a/b"}, another object than named (the URL parser reads \ as /), where the Node server
    // answers 400 (@hono/node-server's validateRequestTarget: "Backslash in request path").
    ["a backslash in the path", functionUrlEvent("PUT", "/objects/a\\b", "x")],
];

describe("dist/api.js answers a malformed event 400 with one JSON log line", () => {
    for (const [label, event] of malformed) {
        it(label, async () => {
            const { result, error, output } = await invokeBundle("api", event, { STORAGE_BACKEND: "memory" });
            assert.equal(error, undefined, `the handler threw: ${JSON.stringify(error)}`);
            assert.equal(result.statusCode, 400);
            assert.match(JSON.parse(result.body).error, /^malformed event: /);
            assert.equal(result.headers["x-content-type-options"], "nosniff", "the service's security headers");
            const lines = output.trim().split("\n");
            assert.equal(lines.length, 1, output);
            assert.equal(JSON.parse(lines[0]).message, "malformed Function URL event");
        });
    }
});

// A browser script can set a cookie with any character (document.cookie), and the Function URL hands it over in
// `cookies`. Before: Hono's adapter put it in the Cookie header as it was, fetch's Headers refused a character above
// U+00FF, and every request of that client failed with the adapter's 400, GET /health included.
describe("dist/api.js serves a request whose cookies are not Latin-1", () => {
    it("GET /health with a cookie holding ☃ and é: 200 with the security headers, nothing on stderr", async () => {
        const event = { ...functionUrlEvent("GET", "/health"), cookies: ["theme=dark", "name=José ☃"] };
        const { result, error, output } = await invokeBundle("api", event, { STORAGE_BACKEND: "memory", LOG_LEVEL: "warn" });
        assert.equal(error, undefined, `the handler threw: ${JSON.stringify(error)}`);
        assert.equal(result.statusCode, 200, result.body);
        assert.equal(result.headers["x-content-type-options"], "nosniff");
        assert.equal(output.trim(), "");
    });
});

describe("a backslash names an object only percent-encoded, on both entry points", () => {
    it("dist/api.js: PUT /objects/a%5Cb stores a\\b", async () => {
        const { result } = await invokeBundle("api", functionUrlEvent("PUT", "/objects/a%5Cb", "x"), { STORAGE_BACKEND: "memory" });
        assert.equal(result.statusCode, 201, result.body);
        assert.equal(JSON.parse(result.body).name, "a\\b");
    });

    it("dist/server.js: a raw backslash in the path is 400, as the Function URL's answer", async () => {
        const server = await startServer({ STORAGE_BACKEND: "memory" });
        try {
            // A URL string would be parsed first, the backslash read as a slash (fetch's and http.request's alike):
            // the path goes as written only as the `path` option.
            const { hostname, port } = new URL(server.url);
            const status = await new Promise<number | undefined>((resolve, reject) =>
                http.request({ hostname, port, path: "/objects/a\\b", method: "PUT" }, (res) => (res.resume(), resolve(res.statusCode))).on("error", reject).end("x"),
            );
            assert.equal(status, 400);
        } finally {
            await server.stop();
        }
    });
});

// In process: a direct invoke (a console test event) can send any JSON as the body. Passed on to Hono's adapter, a
// number was taken as a body all the same: {"body": 42} was answered 201 with an object of bytes nobody sent (U+FFFD).
describe("functionUrlHandler: a body that is not a string", () => {
    it("is a malformed event (400), not stored as its String()", async (t) => {
        const app = new Hono().put("/objects/:name", async (c) => c.json({ stored: await c.req.text() }, 201));
        const written: string[] = [];
        // The line is a warning: a test before this one in the same process may have started the service with
        // LOG_LEVEL=error (bootstrap's setLogLevel); this one reads it at the default level, info.
        setLogLevel("info");
        t.mock.method(process.stdout, "write", (chunk: string) => (written.push(chunk), true));
        const result = await functionUrlHandler(app)({ ...functionUrlEvent("PUT", "/objects/a.bin", "x"), body: 42 });
        t.mock.restoreAll();
        assert.equal(result.statusCode, 400, result.body);
        assert.equal(JSON.parse(result.body!).error, "malformed event: the event's body is not a string");
        assert.equal(JSON.parse(written[0]).message, "malformed Function URL event");
    });
});

// JSON can carry a lone surrogate ("\ud800"), which encodeURIComponent refuses with a URIError. Before: a cookie holding
// one threw that URIError out of the handler (the invocation failed: the Function URL's 502), and a header holding one
// was answered "the request cannot be built: URI malformed", naming nothing.
describe("functionUrlHandler: a cookie or header holding a lone surrogate", () => {
    const app = new Hono().get("/health", (c) => c.json({ status: "ok" }));
    const cases: [string, object, string][] = [
        ["a cookie", { ...functionUrlEvent("GET", "/health"), cookies: ["theme=dark", "name=\ud800"] }, "cookies[1]"],
        ["a header", { ...functionUrlEvent("GET", "/health", undefined, { "x-note": "caf\u00e9 \udc00" }) }, "the header x-note"],
    ];
    for (const [label, event, where] of cases) {
        it(`${label}: a malformed event (400) naming it, not a throw`, async () => {
            setLogLevel("error");
            const result = await functionUrlHandler(app)(event);
            assert.equal(result.statusCode, 400, result.body);
            assert.equal(JSON.parse(result.body!).error, `malformed event: the request cannot be built: ${where} holds a lone surrogate (half of a UTF-16 pair), which is not text: send it as UTF-8`);
        });
    }
});

// A Function URL always says how its body comes (payload 2.0, isBase64Encoded true or false); a direct invoke may not.
// Before: the flag was read by its truthiness, so {"isBase64Encoded": "false"} decoded the text "aGVsbG8=" as base64 and
// stored 5 bytes nobody sent (201), and a missing flag skipped the U+FFFD check a text body gets (app.ts, LOST_BYTES).
describe("functionUrlHandler: a body without isBase64Encoded true or false", () => {
    const app = new Hono().put("/objects/:name", async (c) => c.json({ stored: await c.req.text() }, 201));
    const cases: [unknown, string][] = [
        ["false", "string"],
        ["true", "string"],
        [1, "number"],
        [null, "null"],
        [undefined, "undefined"],
    ];
    for (const [flag, kind] of cases) {
        it(`isBase64Encoded ${JSON.stringify(flag) ?? "missing"}: a malformed event (400), nothing stored`, async () => {
            setLogLevel("error");
            const result = await functionUrlHandler(app)({ ...functionUrlEvent("PUT", "/objects/a.txt", "aGVsbG8=", { "content-type": "text/plain" }), isBase64Encoded: flag });
            assert.equal(result.statusCode, 400, result.body);
            assert.equal(JSON.parse(result.body!).error, `malformed event: the event's body comes without isBase64Encoded true or false (it is ${kind})`);
        });
    }
    it("an empty body needs no flag", async () => {
        const result = await functionUrlHandler(app)({ ...functionUrlEvent("PUT", "/objects/a.txt"), body: "", isBase64Encoded: undefined });
        assert.deepEqual([result.statusCode, JSON.parse(result.body!)], [201, { stored: "" }]);
    });
});
