import * as assert from "assert";

/**
 * Fails naming the module when a deferred module's installed exports differ from the list its stand-in forwards
 * (loader/deferModule.js): an export missing from the list would be undefined until something loads the real module.
 */
export function assertEveryExportListed(deferred: Record<string, readonly string[]>): void {
    for (const [request, names] of Object.entries(deferred)) {
        assert.deepStrictEqual(Object.keys(require(request)).sort(), [...names].sort(), `${request} exports changed: update DEFERRED`);
    }
}

/**
 * A script expression: whether the real Automation API of @pulumi/pulumi has loaded. Its index requires
 * localWorkspace.js; the stand-in loader/deferAutomationApi.js leaves for the index does not.
 */
export const AUTOMATION_API_LOADED = `Object.keys(require.cache).some((f) => f.endsWith("/@pulumi/pulumi/automation/localWorkspace.js"))`;
