import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultBytes, startLambdaApi } from "./edges/lambdaApi";
import { RunningServer, startServer } from "./helpers";

// "Readable with the bytes sent" for every content type: bytes that are not valid UTF-8 (a Latin-1 CSV, a
// binary body labelled text) come back byte for byte, on Lambda (Function URL) and Cloud Run.

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
    after(async () => api.stop());

    for (const [i, contentType] of CONTENT_TYPES.entries()) {
        it(contentType, async () => {
            const put = await api.call(functionUrlEvent("PUT", `/objects/bytes-${i}`, BODY, { "content-type": contentType }));
            assert.equal(put.statusCode, 201, resultBytes(put).toString());
            const get = await api.call(functionUrlEvent("GET", `/objects/bytes-${i}`));
            assert.equal(get.statusCode, 200);
            assert.equal(get.headers["content-type"], contentType);
            assert.equal(resultBytes(get).toString("hex"), BODY.toString("hex"));
        });
    }

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
