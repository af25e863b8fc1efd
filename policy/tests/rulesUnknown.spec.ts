import * as assert from "assert";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { checkConformance } from "./conformance";
import { judgeEach } from "../rules/known";

/**
 * A value not known in a preview stops only the check that reads it: the rule's other checks, and in the S3 stack rule
 * the other buckets, are still judged, and what waits is said once, in the SDK's advisory beside the violations.
 * Run through checkConformance: the engine's wire form, @pulumi/policy's deserializer and its unknown-checking proxy.
 */

// The sentinel @pulumi/policy's proxy throws UnknownValueError on (node_modules/@pulumi/policy/proxy.js:139,
// `exports.unknownStringValue = "04da6b54-..."`, checked by isUnknown at proxy.js:96): the engine's UnknownStringValue,
// which Analyze and AnalyzeStack send for every unknown (conformance.ts, UNKNOWN_ON_THE_WIRE).
const { unknownStringValue: UNKNOWN } = require("@pulumi/policy/proxy") as { unknownStringValue: string };

const TAGS = { project: "multicloud-service", environment: "prod", "managed-by": "pulumi" };
const CANT_RUN = (policy: string) => new RegExp(`^can't run policy '${policy}' from policy pack '[^']+' during preview: `);
/** A bucket policy that refuses requests without TLS, as the S3 stack rule asks. */
const TLS_ONLY = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] });

function resource(type: string, name: string, props: Record<string, unknown>): RecordedResource {
    return {
        type, name, custom: true, urn: `urn:pulumi:prod::multicloud-service::${type}::${name}`, inputs: props, outputs: props, id: `${name}-id`,
        options: { protect: false, retainOnDelete: false }, dependsOn: [], deleteBeforeReplace: false, ignoreChanges: [], propertyDependencies: {},
    };
}

async function found(resources: RecordedResource[], policy: string): Promise<string[]> {
    return (await checkConformance(resources, {})).filter((v) => v.policy === policy).map((v) => v.message);
}

describe("policy pack: a value not known in a preview", () => {
    it("ecr: an unknown imageTagMutability leaves scanOnPush judged, and says the tag check waits", async () => {
        const policy = "ecr-immutable-tags-scan-on-push";
        const [scan, waits, ...rest] = await found([resource("aws:ecr/repository:Repository", "r", { imageTagMutability: UNKNOWN, imageScanningConfiguration: { scanOnPush: false }, tags: TAGS })], policy);
        assert.deepStrictEqual([scan, rest], ["imageScanningConfiguration.scanOnPush must be true.", []]);
        assert.match(waits, CANT_RUN(policy));
        assert.match(waits, /tag immutability: string value at \.imageTagMutability can't be known during preview$/);
    });

    it("ecr: both checks unknown: the one advisory names each check that waits, in order", async () => {
        const policy = "ecr-immutable-tags-scan-on-push";
        const messages = await found([resource("aws:ecr/repository:Repository", "r", { imageTagMutability: UNKNOWN, imageScanningConfiguration: { scanOnPush: UNKNOWN }, tags: TAGS })], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], CANT_RUN(policy));
        assert.match(messages[0], /: tag immutability: string value at \.imageTagMutability can't be known during preview; scan on push: string value at \.imageScanningConfiguration\.scanOnPush can't be known during preview$/);
    });

    // A rule's own bug (a TypeError) must fail the call as the SDK reports it, not be passed off as a value that waits.
    it("an error that is not an unknown value is thrown as it is, not named as a check that waits", () => {
        const bug = new TypeError("Cannot read properties of undefined (reading 'enabled')");
        assert.throws(() => judgeEach([["tracing", () => { throw bug; }], ["logging", () => {}]]), (err) => err === bug && bug.message === "Cannot read properties of undefined (reading 'enabled')");
    });

    it("ecr: an unknown exclusion filter could exclude any tag: the tag check waits rather than pass on the known filters", async () => {
        const policy = "ecr-immutable-tags-scan-on-push";
        const filters = [{ filter: "sha256-*.sig", filterType: "WILDCARD" }, UNKNOWN];
        const messages = await found([resource("aws:ecr/repository:Repository", "r", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters, imageScanningConfiguration: { scanOnPush: true }, tags: TAGS })], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], /tag immutability: string value at \.imageTagMutabilityExclusionFilters\.1 can't be known during preview$/);
    });

    // The SDK's advisory names the first value the check waits for (allHold rethrows the first UnknownValueError).
    it("ecr: several unknown exclusion filters: the advisory names the first", async () => {
        const policy = "ecr-immutable-tags-scan-on-push";
        const filters = [UNKNOWN, { filter: "sha256-*.sig", filterType: "WILDCARD" }, UNKNOWN];
        const messages = await found([resource("aws:ecr/repository:Repository", "r", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters, imageScanningConfiguration: { scanOnPush: true }, tags: TAGS })], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], /tag immutability: string value at \.imageTagMutabilityExclusionFilters\.0 can't be known during preview$/);
    });

    // MUTABLE lets any tag change whatever the exclusion filters say (they apply to IMMUTABLE_WITH_EXCLUSION only), so
    // filters not known yet leave nothing to wait for.
    it("ecr: a known MUTABLE is reported at preview whatever the exclusion filters turn out to be", async () => {
        const policy = "ecr-immutable-tags-scan-on-push";
        for (const filters of [UNKNOWN, [UNKNOWN]]) {
            const messages = await found([resource("aws:ecr/repository:Repository", "r", { imageTagMutability: "MUTABLE", imageTagMutabilityExclusionFilters: filters, imageScanningConfiguration: { scanOnPush: true }, tags: TAGS })], policy);
            assert.deepStrictEqual(messages, ["imageTagMutability must be IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION of cosign's sha256-*.sig / sha256-*.att tags only): a pushed tag must never change."], JSON.stringify(filters));
        }
    });

    it("gcs: an unknown uniformBucketLevelAccess leaves publicAccessPrevention judged", async () => {
        const policy = "gcs-uniform-access-public-prevention";
        const messages = await found([resource("gcp:storage/bucket:Bucket", "b", { uniformBucketLevelAccess: UNKNOWN, publicAccessPrevention: "inherited", labels: TAGS })], policy);
        assert.strictEqual(messages[0], 'publicAccessPrevention must be "enforced".');
        assert.match(messages[1], /uniform bucket-level access: string value at \.uniformBucketLevelAccess can't be known during preview$/);
        assert.strictEqual(messages.length, 2);
    });

    it("state machine: an unknown tracing setting leaves the logging check judged", async () => {
        const policy = "state-machine-tracing-and-logging";
        const messages = await found([resource("aws:sfn/stateMachine:StateMachine", "m", { tracingConfiguration: { enabled: UNKNOWN }, tags: TAGS })], policy);
        assert.strictEqual(messages[0], "loggingConfiguration must send execution logs to a log group.");
        assert.match(messages[1], /tracing: string value at \.tracingConfiguration\.enabled can't be known during preview$/);
        assert.strictEqual(messages.length, 2);
    });

    it("s3: an unknown public access block setting on one bucket leaves its other checks and every other bucket judged, and names that bucket", async () => {
        const policy = "s3-bucket-private-encrypted-tls-only";
        const sse = (bucket: string) => resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${bucket}-sse`, { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] });
        const pab = (bucket: string, blockPublicAcls: unknown) => resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${bucket}-pab`, { bucket, blockPublicAcls, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        const stack = [
            resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", tags: TAGS }), pab("a", UNKNOWN), sse("a"),
            resource("aws:s3/bucketV2:BucketV2", "b", { bucket: "b", tags: TAGS }), sse("b"),
        ];
        const messages = await found(stack, policy);
        const waits = messages.pop()!;
        assert.deepStrictEqual(messages, [
            "bucket a: needs a bucket policy denying requests without TLS (aws:SecureTransport false).",
            "bucket b: needs a public access block with all four settings true.",
            "bucket b: needs a bucket policy denying requests without TLS (aws:SecureTransport false).",
        ]);
        assert.match(waits, CANT_RUN(policy));
        assert.match(waits, /bucket a's public access block: string value at \.blockPublicAcls can't be known during preview$/);
    });
});

describe("policy pack: the S3 encryption check with an inline list that holds an unknown element", () => {
    const policy = "s3-bucket-private-encrypted-tls-only";
    const privateAndTlsOnly = (bucket: string) => [
        resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${bucket}-pab`, { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        resource("aws:s3/bucketPolicy:BucketPolicy", `${bucket}-policy`, { bucket, policy: TLS_ONLY }),
    ];
    const encrypting = { rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] };

    // A configuration built from an output (a program's [literal, someOutput]) is sent as the sentinel in its place;
    // the known configuration beside it still encrypts the bucket.
    it("a known encrypting configuration beside an unknown one still counts", async () => {
        for (const serverSideEncryptionConfigurations of [[encrypting, UNKNOWN], [UNKNOWN, encrypting], [{ rules: [UNKNOWN, encrypting.rules[0]] }]]) {
            const stack = [resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", serverSideEncryptionConfigurations, tags: TAGS }), ...privateAndTlsOnly("a")];
            assert.deepStrictEqual(await found(stack, policy), [], JSON.stringify(serverSideEncryptionConfigurations));
        }
    });

    it("an unknown inline configuration proves nothing: a bucket with nothing else that encrypts is still reported", async () => {
        const stack = [resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", serverSideEncryptionConfigurations: [{ rules: [{ bucketKeyEnabled: true }] }, UNKNOWN], tags: TAGS }), ...privateAndTlsOnly("a")];
        assert.deepStrictEqual(await found(stack, policy), ["bucket a: needs default server-side encryption."]);
    });
});

// A check over several values fails on any known one that fails, whatever the order: a value not known yet before it
// could not make it hold, so waiting for that value would drop a violation already certain.
describe("policy pack: a known failing value beside an unknown one is reported, whichever comes first", () => {
    it("ecr: an exclusion filter not known yet before a known one that is not cosign's is reported, not left to wait", async () => {
        const policy = "ecr-immutable-tags-scan-on-push";
        const filters = [UNKNOWN, { filter: "latest", filterType: "WILDCARD" }];
        const messages = await found([resource("aws:ecr/repository:Repository", "r", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters, imageScanningConfiguration: { scanOnPush: true }, tags: TAGS })], policy);
        assert.deepStrictEqual(messages, ["imageTagMutability must be IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION of cosign's sha256-*.sig / sha256-*.att tags only): a pushed tag must never change."]);
    });

    it("s3: a public access block with one setting unknown and another false is reported, not left to wait", async () => {
        const policy = "s3-bucket-private-encrypted-tls-only";
        const stack = [
            resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", tags: TAGS }),
            resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "a-pab", { bucket: "a", blockPublicAcls: UNKNOWN, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false }),
            resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "a-sse", { bucket: "a", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
        ];
        assert.deepStrictEqual(await found(stack, policy), [
            "bucket a: needs a public access block with all four settings true.",
            "bucket a: needs a bucket policy denying requests without TLS (aws:SecureTransport false).",
        ]);
    });
});

describe("policy pack: an IAM statement's NotAction with a value not known yet", () => {
    // A document written as an object, with a value from another resource's output: the rule reads its known statements.
    it("is still an Allow of every action but some, and the other statements are still judged", async () => {
        const policy = "no-wildcard-iam-actions";
        const document = { Version: "2012-10-17", Statement: [{ Sid: "AllBut", Effect: "Allow", NotAction: ["iam:*", UNKNOWN], Resource: "*" }, { Sid: "Wide", Effect: "Allow", Action: "s3:*", Resource: "*" }] };
        assert.deepStrictEqual(await found([resource("aws:iam/policy:Policy", "p", { policy: document })], policy), [
            "statement AllBut allows every action but iam:* (NotAction).",
            "statement Wide allows the wildcard action s3:*.",
        ]);
    });

    // NotAction itself not known yet (a program's `NotAction: someOutput`): whatever it names, the Allow grants the rest.
    it("is reported when the whole NotAction is not known yet, naming no action", async () => {
        const policy = "no-wildcard-iam-actions";
        const document = { Version: "2012-10-17", Statement: [{ Sid: "AllBut", Effect: "Allow", NotAction: UNKNOWN, Resource: "*" }] };
        assert.deepStrictEqual(await found([resource("aws:iam/policy:Policy", "p", { policy: document })], policy), ["statement AllBut allows every action but those it names (NotAction)."]);
    });
});

describe("policy pack: a log group whose class is not known yet", () => {
    const policy = "log-group-retention";
    const logGroup = (props: Record<string, unknown>) => resource("aws:cloudwatch/logGroup:LogGroup", "g", { ...props, tags: TAGS });

    // A DELIVERY-class group needs no retention (it keeps its logs 2 days): without one, the finding waits for the class.
    it("without a retention, waits for the class rather than report what a DELIVERY class would clear", async () => {
        const messages = await found([logGroup({ logGroupClass: UNKNOWN })], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], CANT_RUN(policy));
        assert.match(messages[0], /string value at \.logGroupClass can't be known during preview$/);
    });

    it("with a retention, or with a DELIVERY class, passes whatever the other value turns out to be", async () => {
        assert.deepStrictEqual(await found([logGroup({ logGroupClass: UNKNOWN, retentionInDays: 30 })], policy), []);
        assert.deepStrictEqual(await found([logGroup({ logGroupClass: "DELIVERY", retentionInDays: UNKNOWN })], policy), []);
    });

    it("a known STANDARD class without a retention is still reported", async () => {
        assert.deepStrictEqual(await found([logGroup({ logGroupClass: "STANDARD" })], policy), ["retentionInDays must be set: logs must not be kept forever by accident."]);
    });
});

describe("policy pack: S3 companions whose bucket name is not known yet", () => {
    const policy = "s3-bucket-private-encrypted-tls-only";
    const companions = (bucket: unknown, dependsOn?: string) =>
        [
            resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
            resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
            resource("aws:s3/bucketPolicy:BucketPolicy", "policy", { bucket, policy: TLS_ONLY }),
        ].map((r) => (dependsOn ? { ...r, propertyDependencies: { bucket: [dependsOn] } } : r));

    // A program that names the bucket and its companions from one output of a third resource (a random suffix): in a
    // preview the names are unknown and nothing ties the companions to the bucket, yet `up` finds them by name.
    it("a bucket and companions named from another resource's output wait for the names, not report what up finds", async () => {
        const messages = await found([resource("aws:s3/bucketV2:BucketV2", "a", { bucket: UNKNOWN, tags: TAGS }), ...companions(UNKNOWN)], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], CANT_RUN(policy));
        assert.match(messages[0], /bucket a's public access block: string value at \.bucket can't be known during preview; bucket a's encryption: .*; bucket a's TLS-only policy: /);
    });

    it("companions tied to another bucket by a dependency are that bucket's: this one is still reported", async () => {
        const other = resource("aws:s3/bucketV2:BucketV2", "other", { bucket: UNKNOWN, tags: TAGS });
        const messages = await found([resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", tags: TAGS }), other, ...companions(UNKNOWN, other.urn)], policy);
        assert.deepStrictEqual(messages, [
            "bucket a: needs a public access block with all four settings true.",
            "bucket a: needs default server-side encryption.",
            "bucket a: needs a bucket policy denying requests without TLS (aws:SecureTransport false).",
        ]);
    });

    // An S3 bucket's ID is its name: a new bucket named in the program has a known name and an ID not known yet
    // (a stack rule reads the ID the engine sends beside the state, conformance.ts stateOf).
    it("a bucket whose name is known is judged, however unknown its ID: companions of another name are not its", async () => {
        const messages = await found([{ ...resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", tags: TAGS }), id: UNKNOWN }, ...companions("b")], policy);
        assert.strictEqual(messages.length, 3, messages.join("\n"));
    });

    it("a bucket known only by an ID not known yet waits for it: companions named from a known name may be its", async () => {
        const messages = await found([{ ...resource("aws:s3/bucketV2:BucketV2", "a", { tags: TAGS }), id: UNKNOWN }, ...companions("b")], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], /bucket a's public access block: string value at \.id can't be known during preview; bucket a's encryption: .*; bucket a's TLS-only policy: /);
    });

    // At up the first companion found is the one judged: one whose name is not known yet, listed first, may be it.
    // Before: the public access block and encryption checks judged the companion found by name and reported it.
    it("a companion found by name that fails waits when one listed before it may turn out to be the bucket's too", async () => {
        const failing = [
            resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab-a", { bucket: "a", blockPublicAcls: false }),
            resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse-a", { bucket: "a", rules: [{ bucketKeyEnabled: true }] }),
            resource("aws:s3/bucketPolicy:BucketPolicy", "policy-a", { bucket: "a", policy: JSON.stringify({ Statement: [] }) }),
        ];
        const messages = await found([resource("aws:s3/bucketV2:BucketV2", "a", { bucket: "a", tags: TAGS }), ...companions(UNKNOWN), ...failing], policy);
        assert.strictEqual(messages.length, 1, messages.join("\n"));
        assert.match(messages[0], /bucket a's public access block: string value at \.bucket can't be known during preview; bucket a's encryption: .*; bucket a's TLS-only policy: /);
    });
});

// A finding quotes the values it sees; for one not known yet, absent or not text it says so, where String() wrote
// "undefined" or "[object Object]" into the finding.
describe("policy pack: a finding's words for a value it cannot quote", () => {
    const ALL_USERS = "allUsers";

    it("a grant to the public whose role is not known yet names no role 'undefined'", async () => {
        const policy = "no-public-iam-members";
        assert.deepStrictEqual(await found([resource("gcp:storage/bucketIAMMember:BucketIAMMember", "m", { bucket: "b", role: UNKNOWN, member: ALL_USERS })], policy), [
            "storage/bucketIAMMember grants a role not known yet to the public.",
        ]);
        assert.deepStrictEqual(await found([resource("gcp:storage/objectAccessControl:ObjectAccessControl", "o", { bucket: "b", object: "o", entity: ALL_USERS, role: UNKNOWN })], policy), [
            "storage/objectAccessControl grants a role not known yet to the public (ACL entity allUsers).",
        ]);
    });

    it("a policy binding to the public without a role, or with one that is not text, says so", async () => {
        const policy = "no-public-iam-members";
        const policyData = JSON.stringify({ bindings: [{ members: [ALL_USERS] }, { role: { name: "roles/x" }, members: [ALL_USERS] }] });
        assert.deepStrictEqual(await found([resource("gcp:storage/bucketIAMPolicy:BucketIAMPolicy", "p", { bucket: "b", policyData })], policy), [
            "storage/bucketIAMPolicy grants a role it does not name to the public.",
            "storage/bucketIAMPolicy grants a role that is not text to the public.",
        ]);
    });

    it("an IAM statement whose Sid is not known yet, or is not text, is not a statement without one", async () => {
        const policy = "no-wildcard-iam-actions";
        const document = { Statement: [{ Sid: UNKNOWN, Effect: "Allow", Action: "s3:*", Resource: "*" }, { Sid: { id: 1 }, Effect: "Allow", NotAction: [{ a: 1 }, "iam:*"], Resource: "*" }] };
        assert.deepStrictEqual(await found([resource("aws:iam/policy:Policy", "p", { policy: document })], policy), [
            "statement (Sid not known yet) allows the wildcard action s3:*.",
            "statement (Sid not text) allows every action but iam:* (NotAction).",
        ]);
    });

    it("a production Function URL without an authorizationType says it is not set", async () => {
        // The pack config's environment is prod unless it names another (environment.ts, isProduction).
        assert.deepStrictEqual(await found([resource("aws:lambda/functionUrl:FunctionUrl", "u", { functionName: "api" })], "lambda-function-url-auth-in-prod"), ["authorizationType is not set: a production Function URL must use AWS_IAM."]);
    });
});
