import * as assert from "assert";
import { DEFERRED, deferAutomationApi } from "../../loader/deferAutomationApi";
import { AUTOMATION_API_LOADED, assertEveryExportListed } from "../harness/deferredModules";
import { inFreshNode } from "../harness/freshNode";
import { lockedPackages } from "../package/lockfiles";

// program.js's deferral is checked with its function serialization's, in one run (deferFunctionSerialization.spec.ts).

describe("the SDK's Automation API loads only when used (loader/deferAutomationApi.js)", function () {
    this.timeout(30_000);

    it("knows every export of the installed SDK's Automation API", () => assertEveryExportListed(DEFERRED));

    // The plugin defers in multicloud/'s own SDK (startProgram's root), which only a plugin install puts there: the list
    // above holds for it as long as it is the same version.
    it("multicloud/'s lockfile pins the SDK the list was checked against", () => {
        const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
        assert.strictEqual(lockedPackages("multicloud")["node_modules/@pulumi/pulumi"]?.version, installed, "check DEFERRED against multicloud/'s SDK version too");
    });

    it("importing @pulumi/pulumi no longer loads it; its first use does, and reaches the same classes and values", () => {
        const out = inFreshNode(`
            const deferred = require("./loader/deferAutomationApi").deferAutomationApi();
            const pulumi = require("@pulumi/pulumi");
            const before = ${AUTOMATION_API_LOADED};
            const standIn = pulumi.automation;
            const LocalWorkspace = standIn.LocalWorkspace;
            const real = require("@pulumi/pulumi/automation");
            const differing = Object.keys(real).filter((name) => standIn[name] !== real[name]);
            const error = standIn.createCommandError(new standIn.CommandResult("", "error: [409] Conflict: Another update is currently in progress.", 255));
            standIn.DiffKind = "written";
            console.log(JSON.stringify({
                deferred, before, after: ${AUTOMATION_API_LOADED}, sameAsRequired: LocalWorkspace === real.LocalWorkspace, differing,
                keys: Object.keys(standIn).join() === Object.keys(real).join(),
                instance: error instanceof real.ConcurrentUpdateError, writtenThrough: real.DiffKind,
            }));
        `);
        assert.deepStrictEqual(out.deferred, Object.keys(DEFERRED));
        assert.strictEqual(out.before, false, "the Automation API loaded with the SDK");
        assert.strictEqual(out.after, true, "the first use loads the real module");
        assert.deepStrictEqual(
            { sameAsRequired: out.sameAsRequired, differing: out.differing, keys: out.keys, instance: out.instance, writtenThrough: out.writtenThrough },
            { sameAsRequired: true, differing: [], keys: true, instance: true, writtenThrough: "written" },
        );
    });

    it("once the real API is loaded, nothing is deferred", () => {
        require("@pulumi/pulumi/automation");
        assert.deepStrictEqual(deferAutomationApi(), []);
    });
});
