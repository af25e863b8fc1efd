import * as assert from "assert";
import * as fc from "fast-check";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { secretInput } from "../../scripts/offline/registeredInputs";
import { pathsOf } from "../../tests/harness/hostileJson";
import { checkConformance } from "./conformance";
import { textOf } from "../rules/textOf";

/**
 * Hostile resource properties through every rule of the pack, as the SDK hands them over (checkConformance: the engine's
 * wire form, @pulumi/policy's deserializer and unknown-checking proxy). A rule that throws anything but the SDK's
 * UnknownValueError fails the pack's Analyze call, and with it the whole preview (@pulumi/policy server.js,
 * makeAnalyzeRpcFun: asGrpcError "Error validating resource with policy ..."); checkConformance rethrows it.
 */

const RUNS = 150;
const UNKNOWN = { __pulumiUnknown: true };
const TAGS = { project: "multicloud-service", environment: "prod", "managed-by": "pulumi" };
const statement = { Sid: "S", Effect: "Allow", Action: ["s3:GetObject"], Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const document = { Version: "2012-10-17", Statement: [statement] };
const containers = [{ image: "x@sha256:1", envs: [{ name: "DEBUG", value: "false" }] }];

/** One resource of each shape a rule reads, well formed: the hostile values are planted into these. */
const BASELINES: [string, Record<string, unknown>][] = [
    ["aws:ecr/repository:Repository", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "sha256-*.sig", filterType: "WILDCARD" }], imageScanningConfiguration: { scanOnPush: true }, tags: TAGS }],
    ["aws:lambda/functionUrl:FunctionUrl", { functionName: "api", authorizationType: "AWS_IAM" }],
    ["aws:lambda/function:Function", { tracingConfig: { mode: "Active" }, environment: { variables: { DEBUG: "false", LOG_LEVEL: "info" } }, tags: TAGS, tagsAll: TAGS }],
    ["aws:sfn/stateMachine:StateMachine", { tracingConfiguration: { enabled: true }, loggingConfiguration: { logDestination: "arn:x:*", level: "ALL" }, tags: TAGS }],
    ["aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30, logGroupClass: "STANDARD", tags: TAGS }],
    ["aws:iam/rolePolicy:RolePolicy", { role: "r", policy: JSON.stringify(document) }],
    ["aws:iam/policy:Policy", { policy: document }],
    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
    ["aws:iam/role:Role", { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inlinePolicies: [{ name: "p", policy: JSON.stringify(document) }], tags: TAGS }],
    ["gcp:cloudrunv2/service:Service", { template: { containers, sandboxes: { templates: containers } }, invokerIamDisabled: false, labels: TAGS }],
    ["gcp:cloudrunv2/job:Job", { template: { template: { containers } }, labels: TAGS }],
    ["gcp:cloudrun/service:Service", { template: { spec: { containers } } }],
    ["gcp:storage/bucket:Bucket", { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", labels: TAGS }],
    ["gcp:storage/bucketIAMMember:BucketIAMMember", { bucket: "b", role: "roles/storage.objectViewer", member: "serviceAccount:a@p.iam.gserviceaccount.com" }],
    ["gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", { name: "s", role: "roles/run.invoker", members: ["serviceAccount:a@p.iam.gserviceaccount.com"] }],
    ["gcp:projects/iAMPolicy:IAMPolicy", { project: "p", policyData: JSON.stringify({ bindings: [{ role: "roles/run.viewer", members: ["user:a@example.com"] }] }) }],
    ["gcp:storage/bucketACL:BucketACL", { bucket: "b", roleEntities: ["OWNER:project-owners-123"], predefinedAcl: "private", defaultAcl: "private" }],
    ["gcp:storage/objectAccessControl:ObjectAccessControl", { bucket: "b", object: "o", entity: "user-x@example.com", role: "READER" }],
    ["gcp:monitoring/alertPolicy:AlertPolicy", { userLabels: TAGS }],
];

/** The S3 stack rule's bucket and companions, tied by name and by property dependency. */
const S3_STACK: [string, Record<string, unknown>][] = [
    ["aws:s3/bucketV2:BucketV2", { bucket: "b-1", serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] }], policy: JSON.stringify(document), tags: TAGS }],
    ["aws:s3/bucket:Bucket", { bucket: "b-1", serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } }, tags: TAGS }],
    ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }],
    ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: "b-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }],
    ["aws:s3/bucketPolicy:BucketPolicy", { bucket: "b-1", policy: JSON.stringify({ Statement: [{ ...statement, Effect: "Deny" }] }) }],
];

/** Words the rules compare against, so that a hostile value also lands on the branches they guard. */
const WORDS = ["Allow", "Deny", "*", "s3:*", "allUsers", "READER:allUsers", "roles/owner", "roles/storage.admin", "true", "false", "Active", "ALL", "OFF", "DELIVERY", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "AWS_IAM", "publicRead", "arn:aws:iam::aws:policy/AdministratorAccess", "DEBUG", "DB_PASSWORD", "b-1", ""];
/**
 * Keys the rules read, and the keys String() would call: an object from JSON with a "toString" or "valueOf" that is not
 * a function (in a policy document, an env map) is data to a rule, not a way to make it throw.
 */
const KEYS = ["Statement", "Effect", "Action", "NotAction", "Sid", "Condition", "Bool", "aws:SecureTransport", "bindings", "role", "members", "name", "value", "envs", "filter", "sseAlgorithm", "rules", "length", "toString", "valueOf"];

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
];

const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 40 }), fc.constantFrom(...WORDS), fc.string({ maxLength: 6 }), fc.constant(UNKNOWN));
const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("list"), tie("object"), tie("secret"), tie("json")),
    list: fc.array(tie("tree"), { maxLength: 3 }),
    object: fc.dictionary(fc.constantFrom(...KEYS), tie("tree"), { maxKeys: 3 }),
    secret: tie("tree").map(secretInput),
    // A JSON document in a string (an IAM policy, a policyData), whatever it holds.
    json: tie("tree").map((t) => JSON.stringify(t) ?? "null"),
}));
/** A hostile value: any of the above, or a well-formed document with one hostile statement or binding. */
const hostile = fc.oneof(
    tree,
    tree.map((s) => JSON.stringify({ Version: "2012-10-17", Statement: [statement, s] })),
    tree.map((b) => JSON.stringify({ bindings: [b] })),
);

function planted(value: unknown, path: (string | number)[], hostileValue: unknown): unknown {
    if (path.length === 0) return hostileValue;
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    copy[path[0]] = planted(copy[path[0]], path.slice(1), hostileValue);
    return copy;
}

/** Up to three hostile values planted at chosen paths of a resource's properties (a path past a leaf adds a key). */
const plantings = (props: Record<string, unknown>) => {
    const paths = pathsOf(props).filter((p) => p.length > 0);
    return fc.array(fc.tuple(fc.constantFrom(...paths), hostile), { minLength: 1, maxLength: 3 }).map((plants) =>
        plants.reduce<Record<string, unknown>>((acc, [path, value]) => planted(acc, path, value) as Record<string, unknown>, props),
    );
};

function recorded(type: string, index: number, inputs: Record<string, unknown>, bucketUrn?: string): RecordedResource {
    const urn = `urn:pulumi:prod::multicloud-service::${type}::r${index}`;
    return {
        type, name: `r${index}`, custom: true, urn, inputs, outputs: {}, id: `id-${index}`,
        options: { protect: false, retainOnDelete: false }, dependsOn: [], deleteBeforeReplace: false, ignoreChanges: [],
        propertyDependencies: bucketUrn && urn !== bucketUrn ? { bucket: [bucketUrn] } : {},
    };
}

const PACK_CONFIGS = [require("../config/prod.json"), require("../config/dev.json"), {}];
const unexpected = (err: unknown) => `${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`;

describe("policy pack: hostile resource properties (fast-check)", () => {
    it("every resource rule reports or passes whatever shape a property has: never a TypeError that fails the preview", async () => {
        const resource = fc.constantFrom(...BASELINES).chain(([type, props]) => plantings(props).map((inputs) => ({ type, inputs })));
        await fc.assert(
            fc.asyncProperty(resource, fc.constantFrom(...PACK_CONFIGS), async ({ type, inputs }, config) => {
                await checkConformance([recorded(type, 0, inputs)], config).catch((err) => assert.fail(`${type} ${JSON.stringify(inputs)}: ${unexpected(err)}`));
            }),
            { numRuns: RUNS, examples: TEXT_OF_DATA_CASES },
        );
    });

    it("the S3 stack rule reports or passes whatever shape a bucket's or a companion's property has, in a first preview or after it", async () => {
        const stack = fc.tuple(fc.nat(S3_STACK.length - 1), fc.boolean(), fc.boolean()).chain(([target, bucketV2, byDependency]) => {
            const resources = S3_STACK.filter(([type], i) => i > 1 || i === (bucketV2 ? 0 : 1));
            const chosen = target <= 1 ? 0 : target - 1;
            return plantings(resources[chosen][1]).map((inputs) => ({ resources: resources.map(([type, props], i) => [type, i === chosen ? inputs : props] as const), byDependency }));
        });
        await fc.assert(
            fc.asyncProperty(stack, fc.boolean(), async ({ resources, byDependency }, firstPreview) => {
                const bucketUrn = recorded(resources[0][0], 0, {}).urn;
                const records = resources.map(([type, inputs], i) => {
                    const r = recorded(type, i, inputs, byDependency ? bucketUrn : undefined);
                    return { ...r, outputs: { ...inputs, id: r.id } };
                });
                await checkConformance(records, {}, { firstPreview }).catch((err) => assert.fail(`${JSON.stringify(resources)}: ${unexpected(err)}`));
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
