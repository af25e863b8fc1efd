import * as assert from "assert";
import * as fc from "fast-check";
import { checkConformance } from "./conformance";
import { BASELINES, PACK_CONFIGS, TAGS, UNKNOWN, hostileValues, plantings, recorded, recordedStack, s3Stacks, saysNotWords } from "./hostileResources";
import { textOf } from "../rules/textOf";

/**
 * Hostile resource properties through every rule of the pack, as the SDK hands them over (checkConformance: the engine's
 * wire form, @pulumi/policy's deserializer and unknown-checking proxy). A rule that throws anything but the SDK's
 * UnknownValueError fails the pack's Analyze call, and with it the whole preview (@pulumi/policy server.js,
 * makeAnalyzeRpcFun: asGrpcError "Error validating resource with policy ..."); checkConformance rethrows it.
 */

const RUNS = 150;
const { hostile } = hostileValues({ unknowns: true });

/** JSON's data under the names String() calls: each one made a rule throw TypeError "Cannot convert object to primitive value". */
const NOT_A_FUNCTION = { toString: "*", valueOf: "allUsers" };
/** One case per rule that turned a value into text: the generator reaches only some of them within RUNS. */
const TEXT_OF_DATA_CASES: [{ type: string; inputs: Record<string, unknown> }, Record<string, unknown>][] = [
    [{ type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "r", policy: JSON.stringify({ Statement: [{ Sid: NOT_A_FUNCTION, Effect: "Allow", Action: [NOT_A_FUNCTION, "s3:*"], NotAction: [NOT_A_FUNCTION], Resource: "*" }] }) } }, {}],
    [{ type: "aws:lambda/function:Function", inputs: { environment: { variables: { DEBUG: NOT_A_FUNCTION } }, tags: TAGS } }, {}],
    [{ type: "gcp:cloudrunv2/service:Service", inputs: { template: { containers: [{ envs: [{ name: NOT_A_FUNCTION, value: NOT_A_FUNCTION }] }] }, labels: TAGS } }, {}],
    [{ type: "gcp:projects/iAMPolicy:IAMPolicy", inputs: { project: "p", policyData: JSON.stringify({ bindings: [{ role: NOT_A_FUNCTION, members: [NOT_A_FUNCTION, "allUsers"] }] }) } }, {}],
    [{ type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", inputs: { bucket: "b", policyData: JSON.stringify({ bindings: [{ role: NOT_A_FUNCTION, members: [NOT_A_FUNCTION, "allUsers"] }] }) } }, {}],
    [{ type: "gcp:storage/objectAccessControl:ObjectAccessControl", inputs: { bucket: "b", object: "o", entity: "allUsers", role: NOT_A_FUNCTION } }, {}],
    [{ type: "aws:lambda/functionUrl:FunctionUrl", inputs: { functionName: "api", authorizationType: NOT_A_FUNCTION } }, {}],
    // Number() calls them too: a retention read as a number.
    [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: NOT_A_FUNCTION, tags: TAGS } }, {}],
    // And a list's length read as a number, from an object that is not a list.
    [{ type: "gcp:storage/bucketACL:BucketACL", inputs: { bucket: "b", roleEntities: { length: NOT_A_FUNCTION } } }, {}],
    // A value not known yet, or absent, where a finding quotes it: String() wrote "undefined" in its place.
    [{ type: "gcp:storage/bucketIAMMember:BucketIAMMember", inputs: { bucket: "b", role: UNKNOWN, member: "allUsers" } }, {}],
    [{ type: "aws:iam/policy:Policy", inputs: { policy: { Statement: [{ Sid: UNKNOWN, Effect: "Allow", Action: [["s3:*", NOT_A_FUNCTION]], Resource: "*" }] } } }, {}],
    [{ type: "aws:lambda/functionUrl:FunctionUrl", inputs: { functionName: "api" } }, {}],
];

const unexpected = (err: unknown) => `${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`;

describe("policy pack: hostile resource properties (fast-check)", () => {
    it("every resource rule reports or passes whatever shape a property has: never a TypeError that fails the preview, nor a finding that says undefined", async () => {
        const resource = fc.constantFrom(...BASELINES).chain(([type, props]) => plantings(props, hostile).map((inputs) => ({ type, inputs })));
        await fc.assert(
            fc.asyncProperty(resource, fc.constantFrom(...PACK_CONFIGS), async ({ type, inputs }, config) => {
                const findings = await checkConformance([recorded(type, 0, inputs)], config).catch((err) => assert.fail(`${type} ${JSON.stringify(inputs)}: ${unexpected(err)}`));
                const wordless = saysNotWords(findings, inputs);
                if (wordless) assert.fail(`${type} ${JSON.stringify(inputs)}: the finding "${wordless}" says what String() writes for a value, not the value or why it has none`);
            }),
            { numRuns: RUNS, examples: TEXT_OF_DATA_CASES },
        );
    });

    it("the S3 stack rule reports or passes whatever shape a bucket's or a companion's property has, in a first preview or after it", async () => {
        await fc.assert(
            fc.asyncProperty(s3Stacks(hostile), fc.boolean(), async ({ resources, byDependency }, firstPreview) => {
                const findings = await checkConformance(recordedStack(resources, byDependency), {}, { firstPreview }).catch((err) => assert.fail(`${JSON.stringify(resources)}: ${unexpected(err)}`));
                const wordless = saysNotWords(findings, resources);
                if (wordless) assert.fail(`${JSON.stringify(resources)}: the finding "${wordless}" says what String() writes for a value, not the value or why it has none`);
            }),
            { numRuns: RUNS },
        );
    });
});

describe("policy pack: textOf, a value as text without calling what the data holds", () => {
    it("is String() for any JSON data String() can turn into text: a list as its items joined by commas, a null item as nothing", () => {
        fc.assert(
            fc.property(fc.jsonValue(), (value) => {
                let expected: string;
                try {
                    expected = String(value);
                } catch {
                    return; // a "toString" or "valueOf" key that is data: the case below
                }
                assert.strictEqual(textOf(value), expected);
            }),
        );
        assert.deepStrictEqual([textOf(null), textOf(["false"]), textOf([null, "s3:*", [undefined, 7]])], ["null", "false", ",s3:*,,7"]);
    });

    it("an object whose toString or valueOf is data is [object Object], where String() throws", () => {
        assert.throws(() => String(NOT_A_FUNCTION), TypeError);
        assert.deepStrictEqual([textOf(NOT_A_FUNCTION), textOf(["s3:*", NOT_A_FUNCTION])], ["[object Object]", "s3:*,[object Object]"]);
    });
});
