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
