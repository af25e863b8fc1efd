import "../../tests/harness/fastCheckSeed";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as fc from "fast-check";
import { SECURITY_HEADERS } from "../src/securityHeaders";
import { answerText, rawAnswer } from "./edges/rawAnswer";
import { RunningServer, startServer } from "./helpers";

// Hostile requests on the wire against dist/server.js, all of them the client's fault: each gets a 4xx or a success,
// never a 5xx; every answer carries the security headers; an error is the service's JSON ({"error": "..."}); no answer
// echoes the admin token or a stack trace; and the server is still up at the end. Found so: an HTTP/1.1 request
// without Host, an Expect other than 100-continue and CONNECT (Node's own bare answers), and a body cut short (a 500
// and an ERROR line).

const ADMIN_TOKEN = "hostile-admin-token-7f3a9c";

const method = fc.constantFrom("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get", "FOO");
const segment = fc.oneof(
    fc.constantFrom("objects", "objects/exists", "pipeline/runs", "admin/cache", "admin/storage", "health", "ready", "..", ".", "", "%00", "%2F", "%2e%2e", "%ZZ", "%", "%C3%A9", "%ED%A0%80", "%E2%80%AE", "a%5Cb", "\\", "é", "x".repeat(1100)),
    fc.string({ unit: "grapheme-ascii", maxLength: 12 }).map(encodeURIComponent),
);
const path = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom("", "?", "?a=1&a=2", "?%zz", "#frag")).map(([segments, tail]) => `/${segments.join("/")}${tail}`);
/** Header values as bytes on the wire (latin1): odd text, obs-text bytes, the token's near misses. */
const value = fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 40 }), fc.constantFrom("\xff\xfe", "Bearer", "Bearer ", `bearer  ${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(1), "application/json; charset=latin1", "a".repeat(8000)));
const header = fc.oneof(
    fc.tuple(fc.constantFrom("Content-Type", "X-Forwarded-For", "Authorization", "X-Admin-Token", "X-Cloud-Trace-Context", "traceparent", "Range", "Accept-Encoding", "Content-Encoding", "Transfer-Encoding", "Expect", "Cookie"), value),
    fc.constant<[string, string]>(["X-Forwarded-For", "::ffff:999.1.1.1, fe80::1%eth0, , garbage"]),
);
const body = fc.oneof(
    fc.constantFrom("", "null", "[]", '{"names": [1]}', '{"names": ["a", ""]}', '{"keys": []}', '{"keys": ["../x"]}', "\xff\xfe", "\ufeff{}", "[".repeat(5000) + "]".repeat(5000)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
);
/** The declared length: the body's, none, fewer bytes than sent, or not a number (a longer one would wait for BODY_TIMEOUT_MS). */
const lengthKind = fc.constantFrom("exact", "none", "shorter", "garbage");
const request = fc.record({ method, path, headers: fc.array(header, { maxLength: 4 }), body, lengthKind, http: fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/1.1", "HTTP/9.9") });
type HostileRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function onTheWire(r: HostileRequest): Buffer {
    const bytes = Buffer.from(r.body, "utf8");
    const length = { exact: String(bytes.length), none: undefined, shorter: String(Math.max(0, bytes.length - 1)), garbage: "12abc" }[r.lengthKind];
    const lines = [`${r.method} ${r.path} ${r.http}`, "Host: localhost", "Connection: close", ...r.headers.map(([n, v]) => `${n}: ${v}`)];
    if (length !== undefined) lines.push(`Content-Length: ${length}`);
    return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

describe("hostile requests on the wire (dist/server.js): a 4xx with the service's headers and JSON, never a 5xx", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer({ ADMIN_FEATURES_ENABLED: "true", ADMIN_TOKEN, TRUSTED_PROXY_HOPS: "1", GOOGLE_CLOUD_PROJECT: "hostile-project", MAX_BODY_BYTES: "4096" });
    });
    after(() => server?.stop());

    it("150 generated requests", { timeout: 60_000 }, async () => {
        await fc.assert(
            fc.asyncProperty(request, async (r) => {
                const res = await rawAnswer(server.url, onTheWire(r));
                assert.ok(res.answered, answerText(res));
                assert.ok(res.status < 500, `a ${res.status} for the client's fault: ${answerText(res)}`);
                for (const [name, want] of Object.entries(SECURITY_HEADERS)) assert.equal(res.headers[name], want, `${name}: ${answerText(res)}`);
                if (res.status >= 400 && r.method.toUpperCase() !== "HEAD") {
                    assert.match(res.headers["content-type"] ?? "", /^application\/json/, answerText(res));
                    assert.equal(typeof JSON.parse(res.body).error, "string", answerText(res));
                }
                assert.ok(!res.body.includes(ADMIN_TOKEN), `the admin token echoed: ${answerText(res)}`);
                assert.doesNotMatch(res.body, /\n\s+at /, `a stack trace: ${answerText(res)}`);
            }),
            { numRuns: 150 },
        );
        assert.equal((await fetch(`${server.url}/health`)).status, 200);
        assert.equal(server.child.exitCode, null, server.output());
        assert.doesNotMatch(server.output(), /"severity":"ERROR"/);
    });
});
