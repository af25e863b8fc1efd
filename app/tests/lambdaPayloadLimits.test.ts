import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { LAMBDA_API_MAX_BODY_BYTES } from "../src/bodyLimits";
import { S3Store } from "../src/storage/s3Store";
import { SECURITY_HEADERS } from "../src/securityHeaders";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultBytes, startLambdaApi } from "./lambdaApi";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";

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
    after(async () => api?.stop());

    it("a text object of the largest upload, full of line breaks, comes back within the 6 MB response (base64, not escaped text)", async () => {
        // "1\n" escapes to 3 bytes of JSON: as text this object's result is 1.5 times its size, as base64 4/3.
        const body = Buffer.from("1\n".repeat(LAMBDA_API_MAX_BODY_BYTES / 2));
        // Sent base64: as text, its JSON-escaped event would pass the 6 MB a request may have, and Lambda would refuse it
        // (docs/api.md, "Limits and failures"); it stands for such an object written to the bucket some other way.
        const put = await api.call(functionUrlEvent("PUT", "/objects/lines.csv", body, { "content-type": "text/csv" }, "base64"));
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

    it("text whose JSON is exactly as long as its base64's JSON still goes out as text (both are quoted in the result)", async () => {
        // "a\nb" serializes to 6 bytes, its quotes and escape included; its base64, "YQpi" quoted, to 6 too.
        const body = Buffer.from("a\nb");
        assert.equal(Buffer.byteLength(JSON.stringify(body.toString())), JSON.stringify(body.toString("base64")).length);
        await api.call(functionUrlEvent("PUT", "/objects/edge.txt", body, { "content-type": "text/plain" }));
        const get = await api.call(functionUrlEvent("GET", "/objects/edge.txt"));
        assert.equal(get.isBase64Encoded, false);
        assert.equal(get.body, body.toString());
    });

    it("a GET with a body is served as without one, as on Cloud Run (not the adapter's bare 400)", async () => {
        const get = await api.call(functionUrlEvent("GET", "/health", "ignored", { "content-type": "text/plain" }, "text"));
        assert.equal(get.statusCode, 200, resultBytes(get).toString());
        assert.equal(get.headers["x-content-type-options"], SECURITY_HEADERS["x-content-type-options"]);
        // fetch's Request refuses a body on HEAD as on GET.
        const head = await api.call(functionUrlEvent("HEAD", "/health", "ignored", { "content-type": "text/plain" }, "text"));
        assert.equal(head.statusCode, 200, resultBytes(head).toString());
        assert.equal(head.headers["x-content-type-options"], SECURITY_HEADERS["x-content-type-options"]);
    });
});

// The API stores at most 4 MiB, but the bucket may hold larger objects (the worker's bucket is written by other tools
// too). Past the 6 MB response the function's answer is Function.ResponseSizeTooLarge, which the URL turns into a bare
// 502 after the object was read whole into the function's memory.
describe("dist/api.js reads no object whose answer a Function URL cannot carry", () => {
    const BUCKET = "answers";
    let s3: LocalS3;
    let api: LambdaApi;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        api = startLambdaApi(s3rverServiceEnv(s3.endpoint, BUCKET));
    });
    after(async () => {
        await api?.stop();
        await s3.close();
    });
    const store = () => new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint));

    it("the largest object it serves comes back whole within the 6 MB response, under the longest name", async () => {
        const { LAMBDA_API_MAX_ANSWER_BYTES } = await import("../src/bodyLimits");
        // Random bytes: they go out base64, and no text encoding could make them shorter.
        const body = randomBytes(LAMBDA_API_MAX_ANSWER_BYTES);
        // A name of 1,004 bytes (the service takes 1,005 under its prefix) whose content-disposition is longest: each é
        // percent-encoded. s3rver keeps keys as files, so no part is longer than a file name may be.
        const parts = [...Array(4).fill("é".repeat(100)), "é".repeat(97), "x.bin"];
        await store().put(`input/${parts.join("/")}`, body, "application/octet-stream");
        const get = await api.call(functionUrlEvent("GET", `/objects/${parts.map(encodeURIComponent).join("/")}`));
        assert.equal(get.statusCode, 200, resultBytes(get).toString().slice(0, 300));
        assert.ok(Buffer.byteLength(JSON.stringify(get)) <= LAMBDA_RESPONSE_LIMIT_BYTES, `the result Lambda would send is ${Buffer.byteLength(JSON.stringify(get))} bytes`);
        assert.ok(resultBytes(get).equals(body));
    });

    it("one byte more, or 5 MiB (6.99 MB as base64, past the response), is a 500 naming both sizes, not a 502 from the URL", async () => {
        const { LAMBDA_API_MAX_ANSWER_BYTES } = await import("../src/bodyLimits");
        for (const size of [LAMBDA_API_MAX_ANSWER_BYTES + 1, 5 * 1024 * 1024]) {
            await store().put(`input/big-${size}.bin`, Buffer.alloc(size, 7), "application/octet-stream");
            const get = await api.call(functionUrlEvent("GET", `/objects/big-${size}.bin`));
            assert.ok(Buffer.byteLength(JSON.stringify(get)) <= LAMBDA_RESPONSE_LIMIT_BYTES, `the result Lambda would send is ${Buffer.byteLength(JSON.stringify(get))} bytes`);
            assert.equal(get.statusCode, 500);
            const { error } = JSON.parse(resultBytes(get).toString());
            assert.match(error, new RegExp(`the object is ${size} bytes, more than a Function URL answer carries \\(${LAMBDA_API_MAX_ANSWER_BYTES} bytes\\)`));
            assert.equal(get.headers["retry-after"], undefined, "no retry can help");
            const head = await api.call(functionUrlEvent("HEAD", `/objects/big-${size}.bin`));
            assert.equal(head.statusCode, 200, "its metadata is still readable");
        }
    });
});
