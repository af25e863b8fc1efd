import * as assert from "assert";
import * as fc from "fast-check";
import { UnreadableStateExport, pendingCreations } from "../../release/stack/pendingOperations";

/**
 * `pulumi stack export`'s JSON, generated hostile at the layer that reads it (pendingCreations): every failure is its
 * own error naming the answer, never a TypeError; a pending create is named by a URN, never "undefined".
 * (GitHub's answers to the comment poster: tests/review/postHostile.spec.ts.)
 */
const RUNS = 150;
const anyJson = fc.jsonValue({ maxDepth: 3 });
const opType = fc.constantFrom("creating", "updating", "deleting", "reading", "importing");
const operation = fc.oneof(anyJson, fc.record({ type: fc.oneof(opType, anyJson), resource: fc.oneof(anyJson, fc.record({ urn: fc.oneof(fc.constant("urn:pulumi:prod::p::t::n"), anyJson), type: fc.oneof(fc.constant("t"), anyJson), id: anyJson, parent: anyJson, provider: fc.oneof(fc.constant("urn:pulumi:prod::p::pulumi:providers:aws::default::1"), anyJson) }, { requiredKeys: [] })) }, { requiredKeys: [] }));
const exported = fc.oneof(anyJson, fc.record({ version: fc.constant(3), deployment: fc.oneof(anyJson, fc.record({ pending_operations: fc.oneof(anyJson, fc.array(operation, { maxLength: 4 })) }, { requiredKeys: [] })) }, { requiredKeys: [] }));

describe("hostile state exports (property-based)", () => {
    it(`pulumi stack export: ${RUNS} generated exports give pending creates and imports named by URN, or UnreadableStateExport`, () => {
        fc.assert(
            fc.property(exported, (state) => {
                try {
                    for (const pending of pendingCreations(state)) assert.match(pending.urn, /^urn:pulumi:/);
                } catch (error) {
                    assert.ok(error instanceof UnreadableStateExport, String(error));
                }
            }),
            { numRuns: RUNS },
        );
    });
});
