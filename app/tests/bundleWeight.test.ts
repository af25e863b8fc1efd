import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

// zod's ~60 other locales were about 260 KiB of each 2 MB bundle, compiled and run at every cold start, for messages
// nothing asks for (zod speaks English by default). `import * as z from "zod"` lets esbuild leave out what is never
// used; `import { z }` took zod's whole namespace object, `z.locales` with it. Phrases each in one locale's messages:
const OTHER_LOCALES = { de: "erwartet", fr: "attendu, ", nl: " verwacht ", pl: "oczekiwano" };

describe("the bundles carry zod's English messages only", () => {
    for (const entry of ["server", "api", "worker"]) {
        it(`dist/${entry}.js`, () => {
            const bundle = readFileSync(path.join(__dirname, "..", "dist", `${entry}.js`), "utf8");
            for (const [locale, phrase] of Object.entries(OTHER_LOCALES)) assert.ok(!bundle.includes(phrase), `zod's ${locale} messages are bundled ("${phrase}")`);
            assert.ok(bundle.includes("Invalid input"), "zod's English messages are bundled");
        });
    }
});

// The cloud SDKs are bundled apart (dist/vendor/, see build.mjs) and loaded by the backend that uses them: an entry's
// own file, which every start compiles whole, carries none of them. Strings each SDK family has and the service not:
const SDK_MARKS = { "AWS SDK (SigV4 signing)": "AWS4-HMAC-SHA256", "Google client libraries": "x-goog-api-client" };

describe("the entry bundles carry no cloud SDK (each is in dist/vendor/, loaded on demand)", () => {
    for (const entry of ["server", "api", "worker"]) {
        it(`dist/${entry}.js`, () => {
            const bundle = readFileSync(path.join(__dirname, "..", "dist", `${entry}.js`), "utf8");
            for (const [sdk, mark] of Object.entries(SDK_MARKS)) assert.ok(!bundle.includes(mark), `${sdk} bundled into dist/${entry}.js`);
            assert.match(bundle, /require\("\.\/vendor\/client-s3\.js"\)/, "the S3 client is required from dist/vendor/");
        });
    }
    it("dist/vendor/ holds each SDK the service uses", () => {
        for (const [file, mark] of [["client-s3", "AWS4-HMAC-SHA256"], ["client-sfn", "AWS4-HMAC-SHA256"], ["client-secrets-manager", "AWS4-HMAC-SHA256"], ["google-cloud-storage", "x-goog-api-client"]]) {
            assert.ok(readFileSync(path.join(__dirname, "..", "dist", "vendor", `${file}.js`), "utf8").includes(mark), file);
        }
    });
});

// rate-limiter-flexible's index requires every store it supports as it loads; src/rateLimit.ts takes the memory
// limiter from its own file. A string the stores that keep a client have (their shared base), the memory one not:
describe("the entry bundles carry the memory rate limiter only, not the package's other stores", () => {
    for (const entry of ["server", "api"]) {
        it(`dist/${entry}.js`, () => {
            const bundle = readFileSync(path.join(__dirname, "..", "dist", `${entry}.js`), "utf8");
            assert.ok(!bundle.includes("storeClient is not set"), "rate-limiter-flexible's store limiters (Redis, Mongo, ...) are bundled");
            assert.ok(bundle.includes("rlflx"), "the memory limiter (its key prefix) is bundled");
        });
    }
});
