import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { deferModule } from "../../loader/deferModule";
import { DEFERRED, deferFunctionSerialization } from "../../loader/deferFunctionSerialization";
import { AUTOMATION_API_LOADED, assertEveryExportListed } from "../harness/deferredModules";
import { inFreshNode } from "../harness/freshNode";
import { scratchDir } from "../harness/tempDirs";

/**
 * Modules of what the deferral keeps from loading with the SDK: the TypeScript compiler (serializeClosure's), and codePaths'
 * package.json reader, normalize-package-data (Arborist in SDKs before 3.276).
 */
const LOADED = `Object.keys(require.cache).filter((f) => /node_modules\\/(typescript|@npmcli\\/arborist|normalize-package-data)\\//.test(f)).length`;

describe("function serialization loads only when used (loader/deferFunctionSerialization.js)", function () {
    this.timeout(30_000);

    it("knows every export of each deferred module of the installed SDK", () => assertEveryExportListed(DEFERRED));

    it("importing @pulumi/pulumi no longer loads TypeScript or codePaths' package reader, and serializeFunction still works", () => {
        const out = inFreshNode(`
            const deferred = require("./loader/deferFunctionSerialization").deferFunctionSerialization();
            const pulumi = require("@pulumi/pulumi");
            const before = ${LOADED};
            pulumi.runtime.serializeFunction(() => 42).then((fn) => {
                console.log(JSON.stringify({ deferred, before, after: ${LOADED}, text: fn.text }));
            });
        `);
        assert.deepStrictEqual(out.deferred, Object.keys(DEFERRED));
        assert.strictEqual(out.before, 0, "TypeScript, Arborist or normalize-package-data loaded with the SDK");
        assert.ok(out.after > 0, "the first call loads the real module");
        assert.match(out.text, /=> 42/);
    });

    it("without it, the SDK loads both on import (what it saves), and once loaded nothing is deferred", () => {
        const out = inFreshNode(`require("@pulumi/pulumi"); console.log(JSON.stringify({ loaded: ${LOADED} }));`);
        assert.ok(out.loaded > 0);
        assert.deepStrictEqual(deferFunctionSerialization(), [], "this test process has loaded the SDK already");
    });
});

describe("program.js (what Pulumi runs) defers function serialization and the Automation API", function () {
    this.timeout(60_000);

    // Before: only zod's deferral was checked through program.js; a program.js that no longer called
    // deferFunctionSerialization passed every spec while each `pulumi up` loaded TypeScript again. And the SDK's index
    // loaded its Automation API (78 modules, loader/deferAutomationApi.js), which the program never calls.
    it("loads the SDK without TypeScript, codePaths' package reader or the Automation API", () => {
        const out = inFreshNode(
            `require("./program.js"); console.log(JSON.stringify({ sdk: Object.keys(require.cache).some((f) => f.includes("/@pulumi/pulumi/")), loaded: ${LOADED}, automationApi: ${AUTOMATION_API_LOADED} }));`,
        );
        assert.ok(out.sdk, "the program loads @pulumi/pulumi");
        assert.strictEqual(out.loaded, 0, "TypeScript, Arborist or normalize-package-data loaded with the program");
        assert.strictEqual(out.automationApi, false, "the Automation API loaded with the program");
    });
});

// A deferred module is a module like any other once it has loaded: its module-level state lasts from one
// call to the next, as it would had it loaded with the SDK.
describe("a deferred module loads once, on its first call (loader/deferModule.js)", () => {
    it("runs the real module on the first call only, and every call reaches the same module", () => {
        const dir = scratchDir("defer");
        const file = path.join(dir, "counter.js");
        fs.writeFileSync(file, "globalThis.counterLoads = (globalThis.counterLoads ?? 0) + 1;\nlet calls = 0;\nexports.next = () => ++calls;\n");
        const loads = () => (globalThis as { counterLoads?: number }).counterLoads ?? 0;
        assert.strictEqual(deferModule(file, ["next"]), true);
        const counter = require(file) as { next(): number };
        assert.strictEqual(loads(), 0, "loaded before its first call");
        assert.deepStrictEqual([counter.next(), counter.next(), counter.next()], [1, 2, 3]);
        assert.strictEqual(loads(), 1);
    });
});
