import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LAMBDA_API_MAX_BODY_BYTES } from "../src/bodyLimits";
import { SECURITY_HEADERS } from "../src/securityHeaders";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultBytes, startLambdaApi } from "./edges/lambdaApi";

/**
 * Lambda's own limits around the handler. The runtime interface client sends the result as JSON.stringify(result)
 * (aws-lambda-nodejs-runtime-interface-client, src/utils/serialize.ts), and a synchronous invocation's response is at
 * most 6,291,556 bytes (Lambda quotas: "6 MB each for request and response"; past it Lambda reports
 * Function.ResponseSizeTooLarge, which a Function URL answers 502).
 */
const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

describe("dist/api.js within Lambda's payload limits (Function URL)", () => {
    let api: LambdaApi;
    before(() => {
        api = startLambdaApi({ STORAGE_BACKEND: "memory" });
    });
    after(async () => api.stop());

    it("a text object of the largest upload, full of line breaks, comes back within the 6 MB response (base64, not escaped text)", async () => {
        // "1\n" escapes to 3 bytes of JSON: as text this object's result is 1.5 times its size, as base64 4/3.
        const body = Buffer.from("1\n".repeat(LAMBDA_API_MAX_BODY_BYTES / 2));
        const put = await api.call(functionUrlEvent("PUT", "/objects/lines.csv", body, { "content-type": "text/csv" }));
        assert.equal(put.statusCode, 201, resultBytes(put).toString());
        const get = await api.call(functionUrlEvent("GET", "/objects/lines.csv"));
        assert.equal(get.statusCode, 200);
        const serialized = Buffer.byteLength(JSON.stringify(get));
        assert.ok(serialized <= LAMBDA_RESPONSE_LIMIT_BYTES, `the result Lambda would send is ${serialized} bytes`);
        assert.equal(get.isBase64Encoded, true);
        assert.ok(resultBytes(get).equals(body));
    });

    it("text that escapes to no more than its base64 still goes out as text", async () => {
        const body = Buffer.from("a,b,c\n".repeat(1000));
        await api.call(functionUrlEvent("PUT", "/objects/small.csv", body, { "content-type": "text/csv" }));
        const get = await api.call(functionUrlEvent("GET", "/objects/small.csv"));
        assert.equal(get.isBase64Encoded, false);
        assert.equal(get.body, body.toString());
    });

    it("a GET with a body is served as without one, as on Cloud Run (not the adapter's bare 400)", async () => {
        const get = await api.call(functionUrlEvent("GET", "/health", "ignored", { "content-type": "text/plain" }, "text"));
        assert.equal(get.statusCode, 200, resultBytes(get).toString());
        assert.equal(get.headers["x-content-type-options"], SECURITY_HEADERS["x-content-type-options"]);
    });
});
