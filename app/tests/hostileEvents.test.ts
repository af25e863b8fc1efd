import "../../tests/harness/fastCheckSeed";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fc from "fast-check";
import { functionUrlEvent } from "./events";
import { bootstrap } from "../src/bootstrap";
import { functionUrlHandler } from "../src/functionUrlHandler";
import { SECURITY_HEADERS } from "../src/securityHeaders";
import { MemoryStore } from "../src/storage";

// Hostile Function URL events in process (a direct invoke can send any JSON), the Lambda twin of hostileRequests.test.ts:
// every answer is a 4xx with the service's headers and JSON, or a success; never a 5xx or a throw out of the handler;
// and an upload answered 201 stored the bytes sent. Found so: a cookie holding a lone surrogate threw URIError, and a
// string isBase64Encoded was read by its truthiness.

const json = fc.jsonValue({ maxDepth: 2 });
/** Text as JSON can carry it: lone surrogates, NULs and line breaks included. */
const text = fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), fc.constantFrom("\ud800", "a\u0000b", "\r\n", "é☃", "", " "));
const body = fc.oneof(fc.constant(undefined), fc.constant(null), text, fc.base64String({ maxLength: 40 }), json);
const flag = fc.oneof(fc.boolean(), fc.constant(undefined), json);
const contentLength = fc.oneof(fc.constantFrom("0", "-1", "abc", "5, 5", "99999999999999999999", "1e3", ""), json);
const headers = fc.dictionary(fc.constantFrom("content-type", "content-length", "x-note", "host", "cookie", "content-encoding", "transfer-encoding", "bad name"), fc.oneof(text, contentLength), { maxKeys: 4 });
const cookies = fc.oneof(fc.constant(undefined), fc.array(fc.oneof(text, json), { maxLength: 3 }), json);
const method = fc.constantFrom("GET", "HEAD", "PUT", "POST", "put", "DELETE", "TRACE", "", "FOO BAR");
const path = fc.constantFrom("/objects/a.bin", "/objects/exists", "/pipeline/runs", "/health", "/objects/%", "/objects/a\\b", "");
const event = fc.record({ method, path, body, flag, headers, cookies }).map(({ method, path, body, flag, headers, cookies }) => ({
    ...functionUrlEvent(method, path),
    headers,
    body,
    isBase64Encoded: flag,
    cookies,
}));

describe("hostile Function URL events in process: a 4xx with the service's headers and JSON, or a success, never a throw", () => {
    it("300 generated events", async () => {
        const handler = functionUrlHandler(bootstrap("lambda-api", { LOG_LEVEL: "error", MAX_BODY_BYTES: "4096" }, new MemoryStore()).app);
        await fc.assert(
            fc.asyncProperty(event, async (e) => {
                const result = await handler(e);
                const answer = result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64").toString() : (result.body ?? "");
                assert.ok(result.statusCode < 500, `a ${result.statusCode}: ${answer}`);
                for (const [name, want] of Object.entries(SECURITY_HEADERS)) assert.equal(result.headers?.[name], want, `${name}: ${result.statusCode} ${answer}`);
                if (result.statusCode >= 400 && e.requestContext.http.method.toUpperCase() !== "HEAD") assert.equal(typeof JSON.parse(answer).error, "string", answer);
                if (result.statusCode === 201) {
                    const sent = typeof e.body === "string" ? (e.isBase64Encoded ? Buffer.from(e.body, "base64") : Buffer.from(e.body)) : Buffer.alloc(0);
                    assert.equal(JSON.parse(answer).bytes, sent.byteLength, `stored bytes of ${JSON.stringify(e.body)}`);
                }
            }),
            { numRuns: 300 },
        );
    });
});
