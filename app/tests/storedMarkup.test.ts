import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { RunningServer, startServer } from "./helpers";
import { LambdaApi, startLambdaApi } from "./lambdaApi";

// A stored HTML or SVG page opened from the service must not run: it comes back as a download (attachment),
// with its bytes and content type as sent, and nosniff.
const HTML = '<!doctype html><script>document.title = "ran"</script><p>hello</p>';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
const cases = [
    { name: "page.html", type: "text/html; charset=utf-8", body: HTML, disposition: 'attachment; filename="page.html"' },
    { name: "img/logo.svg", type: "image/svg+xml", body: SVG, disposition: 'attachment; filename="logo.svg"' },
    { name: "résumé 100%.html", type: "text/html", body: HTML, disposition: "attachment; filename=\"r_sum_ 100_.html\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20100%25.html" },
    { name: 'say "hi".svg', type: "image/svg+xml", body: SVG, disposition: "attachment; filename=\"say _hi_.svg\"; filename*=UTF-8''say%20%22hi%22.svg" },
    // README: a `\` in the name gets the `_` fallback and filename* (in a quoted-string `\` escapes the next
    // character, RFC 9110 5.6.4).
    { name: "back\\slash.html", type: "text/html", body: HTML, disposition: "attachment; filename=\"back_slash.html\"; filename*=UTF-8''back%5Cslash.html" },
    // RFC 8187 attr-char excludes ' ( ) *: in filename* they are percent-encoded ("'" delimits the charset and language).
    { name: "l'été (1).html", type: "text/html", body: HTML, disposition: "attachment; filename=\"l'_t_ (1).html\"; filename*=UTF-8''l%27%C3%A9t%C3%A9%20%281%29.html" },
];
const pathOf = (name: string) => `/objects/${name.split("/").map(encodeURIComponent).join("/")}`;

describe("stored HTML and SVG come back as attachments: dist/server.js (Cloud Run)", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer();
    });
    after(async () => server.stop());

    for (const c of cases) {
        it(`${c.name} (${c.type})`, async () => {
            const put = await fetch(`${server.url}${pathOf(c.name)}`, { method: "PUT", body: c.body, headers: { "content-type": c.type } });
            assert.equal(put.status, 201);
            for (const method of ["GET", "HEAD"]) {
                const res = await fetch(`${server.url}${pathOf(c.name)}`, { method });
                assert.equal(res.status, 200);
                assert.equal(res.headers.get("content-disposition"), c.disposition, method);
                assert.equal(res.headers.get("x-content-type-options"), "nosniff");
                assert.equal(res.headers.get("content-type"), c.type);
                const body = await res.text();
                if (method === "GET") assert.equal(body, c.body);
            }
        });
    }

    it("the service's own JSON answers are not attachments", async () => {
        const res = await fetch(`${server.url}/objects`);
        assert.equal(res.headers.get("content-disposition"), null);
        await res.arrayBuffer();
    });
});

describe("stored HTML and SVG come back as attachments: dist/api.js (Function URL)", () => {
    let lambda: LambdaApi;
    before(() => {
        lambda = startLambdaApi({ STORAGE_BACKEND: "memory" });
    });
    after(async () => lambda?.stop());

    for (const c of cases) {
        it(`${c.name} (${c.type})`, async () => {
            const put = await lambda.call(functionUrlEvent("PUT", pathOf(c.name), c.body, { "content-type": c.type }));
            assert.equal(put.statusCode, 201);
            const res = await lambda.call(functionUrlEvent("GET", pathOf(c.name)));
            assert.equal(res.statusCode, 200);
            assert.equal(res.headers["content-disposition"], c.disposition);
            assert.equal(res.headers["x-content-type-options"], "nosniff");
            assert.equal(res.headers["content-type"], c.type);
            assert.equal(Buffer.from(res.body, res.isBase64Encoded ? "base64" : "utf8").toString(), c.body);
        });
    }
});
