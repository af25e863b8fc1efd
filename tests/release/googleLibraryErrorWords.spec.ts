import "../harness/fastCheckSeed";
import * as assert from "assert";
import * as fc from "fast-check";
import { googleLibraryErrorWords } from "../../release/probe/googleLibraryErrorWords";

// googleLibraryErrorWords words an error the probe is already reporting (cloudRunTransport.ts): a throw of its own would
// replace that error with a TypeError about JSON. Before: an answer or thrown value with a cycle or a BigInt, and a
// message getter that throws, threw out of it.

/** An Error as gaxios rejects with one: `response` with the answer's status and data. */
function gaxiosLike(message: unknown, response?: unknown): Error {
    const err = new Error("placeholder");
    Object.defineProperty(err, "message", { value: message });
    return Object.assign(err, { response });
}

const circular = (): object => {
    const answer: Record<string, unknown> = { error: "invalid_grant" };
    answer.self = answer;
    return answer;
};

describe("googleLibraryErrorWords: an error of any shape gives words, never a throw", () => {
    it("names the part it cannot write as JSON, keeping the rest", () => {
        const cases: [unknown, string][] = [
            [gaxiosLike("Request failed", { status: 400, data: circular() }), "Request failed (Google answered HTTP 400: an object that cannot be written as JSON (Converting circular structure to JSON))"],
            [gaxiosLike("Request failed", { status: 500, data: { size: 10n } }), "Request failed (Google answered HTTP 500: an object that cannot be written as JSON (Do not know how to serialize a BigInt))"],
            [gaxiosLike(circular()), "an object that cannot be written as JSON (Converting circular structure to JSON)"],
            [circular(), "an object that cannot be written as JSON (Converting circular structure to JSON) (thrown as it is, not an Error)"],
            [5n, "a bigint that cannot be written as JSON (Do not know how to serialize a BigInt) (thrown as it is, not an Error)"],
        ];
        assert.deepStrictEqual(cases.map(([err]) => googleLibraryErrorWords(err)), cases.map(([, words]) => words));
    });

    it("reads past a getter that throws", () => {
        const err = new Error("token refused");
        Object.defineProperty(err, "response", { get: () => { throw new Error("socket gone"); } });
        assert.strictEqual(googleLibraryErrorWords(err), "token refused");
        Object.defineProperty(err, "message", { get: () => { throw new Error("no message"); } });
        assert.strictEqual(googleLibraryErrorWords(err), "nothing");
    });

    it("any thrown value, message, status and answer: a string", () => {
        const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, maxDepth: 2 });
        const response = fc.option(fc.record({ status: fc.oneof(fc.integer({ min: 100, max: 599 }), anything), data: fc.oneof(anything, fc.constant(circular()), fc.string({ maxLength: 2000 })) }, { requiredKeys: [] }), { nil: undefined });
        const thrown = fc.oneof(anything, fc.tuple(fc.oneof(fc.string(), anything), response).map(([message, r]) => gaxiosLike(message, r)));
        fc.assert(fc.property(thrown, (err) => typeof googleLibraryErrorWords(err) === "string"), { numRuns: 300 });
    });
});
