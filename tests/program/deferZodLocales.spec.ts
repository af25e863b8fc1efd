import * as assert from "assert";
import { DEFERRED, deferZodLocales } from "../../loader/deferZodLocales";
import { assertEveryExportListed } from "../harness/deferredModules";
import { inFreshNode } from "../harness/freshNode";

/** How many of zod's locale modules are loaded (the index counts once loaded for real). */
const LOCALES_LOADED = `Object.keys(require.cache).filter((f) => /node_modules\\/zod\\/v4\\/locales\\/(?!index\\.cjs$)/.test(f)).length`;
const NUMBER_ERROR = `require("zod").z.number().safeParse("x").error.issues[0].message`;

describe("zod's locales load only when used (loader/deferZodLocales.js)", function () {
    this.timeout(30_000);

    it("knows every export of the installed zod's locales", () => assertEveryExportListed(DEFERRED));

    it("importing zod loads English only; its messages are unchanged and another locale still loads on its first use", () => {
        const out = inFreshNode(`
            const deferred = require("./loader/deferZodLocales").deferZodLocales();
            const { z } = require("zod");
            const loaded = ${LOCALES_LOADED};
            const english = ${NUMBER_ERROR};
            z.config(z.locales.fr());
            console.log(JSON.stringify({ deferred, loaded, english, locales: Object.keys(z.locales), french: ${NUMBER_ERROR}, after: ${LOCALES_LOADED} }));
        `);
        assert.deepStrictEqual(out.deferred, Object.keys(DEFERRED));
        assert.strictEqual(out.loaded, 1, "only en.cjs, which zod configures itself");
        assert.strictEqual(out.english, "Invalid input: expected number, received string");
        // zod takes the index with __importStar: a stand-in not marked __esModule would reach it as a copy with a `default`.
        assert.deepStrictEqual([...out.locales].sort(), [...DEFERRED["zod/v4/locales"]].sort(), "z.locales has other keys than zod's own");
        assert.strictEqual(out.french, "Entrée invalide : nombre attendu, chaîne de caractères reçu");
        assert.ok(out.after > 60, `the first call loads every locale (${out.after})`);
    });

    it("without it zod loads every locale on import (what it saves), and once zod is loaded nothing is deferred", () => {
        const out = inFreshNode(`require("zod"); console.log(JSON.stringify({ loaded: ${LOCALES_LOADED}, english: ${NUMBER_ERROR} }));`);
        assert.ok(out.loaded > 60, `${out.loaded} locales`);
        assert.strictEqual(out.english, "Invalid input: expected number, received string");
        require("zod");
        assert.deepStrictEqual(deferZodLocales(), [], "this test process has loaded zod already");
    });

    for (const program of ["program.js", "deployments/program.js"]) {
        it(`${program} defers them before the program loads zod`, () => {
            const out = inFreshNode(`require("./${program}"); console.log(JSON.stringify({ zod: Object.keys(require.cache).some((f) => f.includes("/zod/")), loaded: ${LOCALES_LOADED} }));`);
            assert.ok(out.zod, "the program loads zod");
            assert.strictEqual(out.loaded, 1);
        });
    }
});
