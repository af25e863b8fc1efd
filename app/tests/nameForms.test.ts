import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultBytes, startLambdaApi } from "./lambdaApi";
import { RunningServer, runUntilExit, startServer } from "./helpers";
import { invokeBundle } from "./invokeBundle";

// One canonical form per name: valid percent-encoded UTF-8, Unicode NFC, no control, format (bidi, zero-width)
// or separator character other than the space. Anything else is 400, never a 404 or a second object that
// looks like the first.

const REFUSED: [string, string][] = [
    ["a carriage return", "a%0Db"],
    ["a line feed", "a%0Ab"],
    ["U+2028 LINE SEPARATOR", "a%E2%80%A8b"],
    ["U+2029 PARAGRAPH SEPARATOR", "a%E2%80%A9b"],
    ["a C1 control (U+0085)", "a%C2%85b"],
    ["a C1 control (U+009B)", "a%C2%9Bb"],
    ["a bidi override (U+202E)", "invoice%E2%80%AEfdp.exe"],
    ["a bidi isolate (U+2066)", "a%E2%81%A6b"],
    ["a right-to-left mark (U+200F)", "a%E2%80%8Fb"],
    ["a zero-width space (U+200B)", "a%E2%80%8Bb"],
    ["a byte order mark (U+FEFF)", "%EF%BB%BFa"],
    ["a no-break space (U+00A0)", "a%C2%A0b"],
    ["a decomposed (NFD) twin of café", "cafe%CC%81"],
    ["invalid percent-encoding (%ZZ)", "a%ZZb"],
    ["a lone %", "a%"],
    ["percent-encoded bytes that are not UTF-8", "a%C3b"],
    ["a percent-encoded surrogate", "a%ED%A0%80"],
];

describe("names have one canonical form: dist/server.js", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer();
    });
    after(async () => server.stop());

    for (const [label, raw] of REFUSED) {
        it(`a name with ${label} is 400 on PUT and GET`, async () => {
            const put = await fetch(`${server.url}/objects/${raw}`, { method: "PUT", body: "x" });
            assert.equal(put.status, 400, await put.clone().text());
            assert.match((await put.json()).error, /^object name /);
            assert.equal((await fetch(`${server.url}/objects/${raw}`)).status, 400);
        });
    }

    it("the NFC form, percent-encoded, is stored under its decoded name", async () => {
        const put = await fetch(`${server.url}/objects/caf%C3%A9%20menu.txt`, { method: "PUT", body: "x" });
        assert.equal(put.status, 201);
        assert.equal((await put.json()).name, "café menu.txt");
        assert.equal((await fetch(`${server.url}/objects/caf%C3%A9%20menu.txt`)).status, 200);
    });

    for (const name of ["\u202e", "e\u0301", "\ud800", "a\r\nb", "a\u2028b", "a\u0085b"]) {
        it(`the bulk check refuses ${JSON.stringify(name)} with 400`, async () => {
            const res = await fetch(`${server.url}/objects/exists`, { method: "POST", body: JSON.stringify({ names: ["fine", name] }) });
            assert.equal(res.status, 400);
            assert.match((await res.json()).error, /^object name /);
        });
    }
});

describe("names have one canonical form: dist/api.js (Function URL)", () => {
    let api: LambdaApi;
    before(() => {
        api = startLambdaApi({ STORAGE_BACKEND: "memory" });
    });
    after(async () => api?.stop());

    for (const [label, raw] of REFUSED) {
        it(`a name with ${label} is 400`, async () => {
            const res = await api.call(functionUrlEvent("PUT", `/objects/${raw}`, "x"));
            assert.equal(res.statusCode, 400, resultBytes(res).toString());
            assert.match(JSON.parse(resultBytes(res).toString()).error, /^object name /);
        });
    }
});

describe("OBJECT_PREFIX cannot put uploads where the worker writes its results", () => {
    for (const prefix of ["results/", "results/input/"]) {
        it(`${prefix}: the server exits 2 naming OBJECT_PREFIX`, async () => {
            const { code, output } = await runUntilExit({ OBJECT_PREFIX: prefix });
            assert.equal(code, 2);
            assert.match(output, /OBJECT_PREFIX: must not be under results\//);
        });

        it(`${prefix}: the worker bundle refuses every key with a SettingsError`, async () => {
            const { error } = await invokeBundle("worker", { bucket: "pipeline-bucket", keys: [`${prefix}a.txt`] }, { STORAGE_BACKEND: "memory", BUCKET_NAME: "pipeline-bucket", OBJECT_PREFIX: prefix });
            assert.equal(error?.name, "SettingsError", JSON.stringify(error));
            assert.match(error!.message, /OBJECT_PREFIX: must not be under results\//);
        });
    }
});
