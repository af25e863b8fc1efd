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
