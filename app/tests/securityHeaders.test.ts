import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { answerText, rawAnswer } from "./edges/rawAnswer";
import { functionUrlEvent } from "./events";
import { RunningServer, startServer, uploadInFlight, waitForOutput } from "./helpers";
import { LambdaApi, startLambdaApi } from "./lambdaApi";
import { RecordingServer, recordingServer } from "./recordingServer";
import { s3rverServiceEnv } from "./s3rver";

const EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    // A year: what the HSTS preload list asks for at least (hstspreload.org), and what the go-live checklist's scanners expect.
    "strict-transport-security": "max-age=31536000",
    // The whole policy app/README.md lists with every answer's headers, base-uri and form-action included.
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox",
    // README lists it with the others; MDN: same-origin keeps other origins from loading the answer (Spectre-style reads).
    "cross-origin-resource-policy": "same-origin",
    // Before: none. A 200 or 404 without it may be stored by a cache on the way and replayed (RFC 9111 4.2.2).
    "cache-control": "no-store",
};
const BUCKET = "headers-bucket";

function assertSecurityHeaders(get: (name: string) => string | null | undefined, what: string) {
    for (const [name, want] of Object.entries(EXPECTED)) {
        const got = get(name);
        if (typeof want === "string") assert.equal(got, want, `${what}: ${name}`);
        else assert.match(got ?? "", want, `${what}: ${name}`);
    }
}

// A bucket whose readiness listing answers, whose uploads are refused (403: a 500) and whose reads are throttled (503).
async function refusingS3(): Promise<RecordingServer> {
    return recordingServer((req, res) => {
        if (req.method === "HEAD") return res.writeHead(404).end();
        if (req.method === "GET" && /[?&]max-keys=1(&|$)/.test(req.url!)) {
            return res.writeHead(200, { "content-type": "application/xml" }).end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>input/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`);
        }
        if (req.method === "PUT") {
            return res.writeHead(403, { "content-type": "application/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>1</RequestId></Error>');
        }
        res.writeHead(503, { "content-type": "application/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>2</RequestId></Error>');
    });
}

const requests: { what: string; status: number; method: string; path: string; body?: string }[] = [
    { what: "health", status: 200, method: "GET", path: "/health" },
    // Hono answers a HEAD with the GET route's answer, copied without its body; @hono/node-server 1.x's copy dropped
    // every header a middleware had set (honojs/node-server#304, fixed by #357 in 2.x).
    { what: "health, HEAD", status: 200, method: "HEAD", path: "/health" },
    { what: "readiness", status: 200, method: "GET", path: "/ready" },
    { what: "a listing, HEAD", status: 503, method: "HEAD", path: "/objects" },
    { what: "unknown route", status: 404, method: "GET", path: "/nowhere" },
    { what: "bad name", status: 400, method: "GET", path: "/objects/%ZZ" },
    { what: "body too large", status: 413, method: "PUT", path: "/objects/big.bin", body: "x".repeat(2048) },
    { what: "storage refused", status: 500, method: "PUT", path: "/objects/a.txt", body: "a" },
    { what: "storage throttled", status: 503, method: "GET", path: "/objects" },
    { what: "admin off", status: 404, method: "GET", path: "/admin/cache" },
];

describe("security headers on every answer: dist/server.js (Cloud Run)", () => {
    let s3: RecordingServer;
    let server: RunningServer;
    before(async () => {
        s3 = await refusingS3();
        server = await startServer({ ...s3rverServiceEnv(s3.url, BUCKET), STORAGE_MAX_ATTEMPTS: "1", MAX_BODY_BYTES: "1024" });
    });
    after(async () => {
        await server?.stop();
        await s3.close();
    });

    for (const r of requests) {
        it(`${r.status} (${r.what}): ${r.method} ${r.path}`, async () => {
            const res = await fetch(`${server.url}${r.path}`, { method: r.method, body: r.body });
            assert.equal(res.status, r.status, await res.clone().text());
            assertSecurityHeaders((n) => res.headers.get(n), r.what);
            await res.arrayBuffer();
        });
    }

    // A target fetch would never send (fetch reads a backslash as "/"): @hono/node-server refuses it before the app sees it
    // (validateRequestTarget, "Backslash in request path"). Before: a bare 400 with none of the headers.
    it("400 for a path @hono/node-server cannot build a request from (a backslash): with the security headers and a JSON error", async () => {
        const res = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
            const { hostname, port } = new URL(server.url);
            // Options, not a URL: a URL string would be parsed, and the backslash become a slash.
            const req = request({ hostname, port, path: "/objects/a\\b" }, (r) => {
                let body = "";
                r.setEncoding("utf8").on("data", (d) => (body += d)).on("end", () => resolve({ status: r.statusCode!, headers: r.headers, body }));
            });
            req.on("error", reject).end();
        });
        assert.equal(res.status, 400);
        assertSecurityHeaders((n) => res.headers[n] as string | undefined, "backslash in the path");
        assert.equal(res.headers["content-type"], "application/json");
        assert.match(JSON.parse(res.body).error, /backslash/i);
    });

    // Node answers these itself, before any listener (nodejs/node lib/_http_server.js, socketOnError), and without a
    // 'clientError' listener as a bare "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close": none of the headers.
    it("431 for headers over Node's 16 KiB (--max-http-header-size): with the security headers and a JSON error", async () => {
        const res = await rawAnswer(server.url, `GET /health HTTP/1.1\r\nHost: localhost\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`);
        assert.equal(res.status, 431, answerText(res));
        assertSecurityHeaders((n) => res.headers[n], "headers too large");
        assert.equal(res.headers["content-type"], "application/json");
        assert.deepEqual(JSON.parse(res.body), { error: "request header fields too large" });
        // As Node's own answer: the connection ends with it, and the body's length is given.
        assert.equal(res.headers.connection, "close");
        assert.equal(res.headers["content-length"], String(Buffer.byteLength(res.body)));
    });

    // Node refuses a chunk's extensions over 16 KiB with HPE_CHUNK_EXTENSIONS_OVERFLOW and answers it 413 "Payload Too
    // Large" (nodejs/node lib/_http_server.js, socketOnError: requestChunkExtensionsTooLargeResponse), not 400.
    it("413 for a chunk's extensions over Node's 16 KiB: with the security headers and a JSON error", async () => {
        const res = await rawAnswer(server.url, `PUT /objects/ext.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n1;${"a".repeat(20_000)}\r\nx\r\n0\r\n\r\n`);
        assert.equal(res.status, 413, answerText(res));
        assertSecurityHeaders((n) => res.headers[n], "chunk extensions too large");
        assert.deepEqual(JSON.parse(res.body), { error: "payload too large" });
    });

    it("400 for a request the HTTP parser refuses (a Content-Length that is not a number): with the security headers", async () => {
        const res = await rawAnswer(server.url, "PUT /objects/a.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n");
        assert.equal(res.status, 400, answerText(res));
        assertSecurityHeaders((n) => res.headers[n], "parser error");
        assert.deepEqual(JSON.parse(res.body), { error: "bad request" });
        // llhttp's code for it, whatever its name: HPE_ and the reason.
        await waitForOutput(server, /"status":400,"code":"HPE_/);
        const logged = server.output().split("\n").find((line) => line.includes('"status":400,"code":"HPE_'));
        assert.match(logged ?? "", /"message":"request refused by the HTTP parser"/);
    });

    // Answers Node makes itself, before any listener of the service (nodejs/node lib/_http_server.js): before, a bare
    // 400 for an HTTP/1.1 request without Host (requireHostHeader), a bare 417 for an Expect other than 100-continue,
    // and for CONNECT no answer at all (the socket destroyed: no 'connect' listener).
    for (const [what, bytes, status, error] of [
        ["an HTTP/1.1 request without Host", "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n", 400, /missing host header/i],
        ["an Expect other than 100-continue", "PUT /objects/e.txt HTTP/1.1\r\nHost: localhost\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417, /expectation failed/],
        ["CONNECT", "CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n", 405, /method not allowed/],
    ] as const) {
        it(`${status} for ${what}: with the security headers and a JSON error`, async () => {
            const res = await rawAnswer(server.url, bytes);
            assert.equal(res.status, status, answerText(res));
            assertSecurityHeaders((n) => res.headers[n], what);
            assert.equal(res.headers["content-type"], "application/json");
            assert.match(JSON.parse(res.body).error, error);
            // The connection ends with the answer (the request without Host asked it to): before, Node's 417 kept it open.
            assert.equal(res.headers.connection, "close", what);
        });
    }

    it("408 for a body trickled past BODY_TIMEOUT_MS: with the security headers", async () => {
        const slow = await startServer({ BODY_TIMEOUT_MS: "500" });
        try {
            const res = await rawAnswer(slow.url, "PUT /objects/trickle.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n", Array(30).fill("a"));
            assert.equal(res.status, 408, answerText(res));
            assertSecurityHeaders((n) => res.headers[n], "request timeout");
            assert.deepEqual(JSON.parse(res.body), { error: "request timeout" });
            // Before: logged as "request refused by the HTTP parser", as if the request were malformed.
            await waitForOutput(slow, /"code":"ERR_HTTP_REQUEST_TIMEOUT"/);
            const logged = slow.output().split("\n").find((line) => line.includes("ERR_HTTP_REQUEST_TIMEOUT"));
            assert.match(logged ?? "", /"message":"request not complete in time \(its headers or its whole, BODY_TIMEOUT_MS\)"/);
            // The body the route was reading ends with the connection: the client's doing, not the app's error.
            // Before: {"path":"/objects/trickle.txt","error":"aborted",...,"message":"request failed"} at ERROR.
            // (Stopped first: every line it printed has then been read.)
            await slow.stop();
            assert.doesNotMatch(slow.output(), /"severity":"ERROR"/);
        } finally {
            await slow.stop();
        }
    });

    it("503 while draining (SIGTERM)", async () => {
        const drained = await startServer({ DRAIN_TIMEOUT_MS: "7000", LOG_LEVEL: "info" });
        // An upload in flight at the signal keeps the server listening while it drains. It is in flight once the server
        // answers its Expect: 100-continue, which it does when the route reads the body (server.ts, checkContinue).
        // Before: a fixed 100 ms wait, after which a busy machine had not yet sent it, and the drain closed at once
        // (ECONNREFUSED for the request below).
        const slow = uploadInFlight(drained.url, "slow.txt");
        await slow.started;
        drained.child.kill("SIGTERM");
        await waitForOutput(drained, /"inFlight":1,.*"message":"draining"/);
        const res = await fetch(`${drained.url}/objects`);
        assert.equal(res.status, 503);
        assertSecurityHeaders((n) => res.headers.get(n), "draining");
        await res.arrayBuffer();
        slow.end();
        assert.equal(await slow.status, 201, "the upload in flight at the signal finished");
        assert.equal(await drained.exited, 0);
    });
});

describe("security headers on every answer: dist/api.js (Function URL)", () => {
    let s3: RecordingServer;
    let lambda: LambdaApi;
    before(async () => {
        s3 = await refusingS3();
        lambda = startLambdaApi({ ...s3rverServiceEnv(s3.url, BUCKET), STORAGE_MAX_ATTEMPTS: "1", MAX_BODY_BYTES: "1024" });
    });
    after(async () => {
        await lambda?.stop();
        await s3.close();
    });

    for (const r of requests) {
        it(`${r.status} (${r.what}): ${r.method} ${r.path}`, async () => {
            const result = await lambda.call(functionUrlEvent(r.method, r.path, r.body));
            assert.equal(result.statusCode, r.status);
            assertSecurityHeaders((n) => result.headers?.[n], r.what);
        });
    }

    it("400 for a malformed event (answered before the app)", async () => {
        const result = await lambda.call({ rawPath: "/health" });
        assert.equal(result.statusCode, 400);
        assertSecurityHeaders((n) => result.headers?.[n], "malformed event");
    });
});
