/**
 * Resources for the pack's property specs (rulesHostile, rulesPreviewSound): one well-formed resource of each shape a
 * rule reads, and hostile values to plant into them.
 */
import * as fc from "fast-check";
import { RecordedResource } from "../../scripts/offline/mockCloud";
import { secretInput } from "../../scripts/offline/registeredInputs";
import { pathsOf } from "../../tests/harness/hostileJson";

/** A value not known yet, as a program's SDK registers it (scripts/offline/registeredInputs.ts, isUnknownInput). */
export const UNKNOWN = { __pulumiUnknown: true };
export const TAGS = { project: "multicloud-service", environment: "prod", "managed-by": "pulumi" };
export const statement = { Sid: "S", Effect: "Allow", Action: ["s3:GetObject"], Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const document = { Version: "2012-10-17", Statement: [statement] };
const containers = [{ image: "x@sha256:1", envs: [{ name: "DEBUG", value: "false" }] }];

/** One resource of each shape a rule reads, well formed: the hostile values are planted into these. */
export const BASELINES: [string, Record<string, unknown>][] = [
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
export const S3_STACK: [string, Record<string, unknown>][] = [
    ["aws:s3/bucketV2:BucketV2", { bucket: "b-1", serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms" }] }] }], policy: JSON.stringify(document), tags: TAGS }],
    ["aws:s3/bucket:Bucket", { bucket: "b-1", serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } }, tags: TAGS }],
    ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", { bucket: "b-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }],
    ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: "b-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }],
    ["aws:s3/bucketPolicy:BucketPolicy", { bucket: "b-1", policy: JSON.stringify({ Statement: [{ ...statement, Effect: "Deny" }] }) }],
];

/** Words the rules compare against, so that a hostile value also lands on the branches they guard. */
export const WORDS = ["Allow", "Deny", "*", "s3:*", "allUsers", "READER:allUsers", "roles/owner", "roles/storage.admin", "true", "false", "Active", "ALL", "OFF", "DELIVERY", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "AWS_IAM", "publicRead", "arn:aws:iam::aws:policy/AdministratorAccess", "DEBUG", "DB_PASSWORD", "b-1", ""];
/**
 * Keys the rules read, and the keys String() would call: an object from JSON with a "toString" or "valueOf" that is not
 * a function (in a policy document, an env map) is data to a rule, not a way to make it throw.
 */
const KEYS = ["Statement", "Effect", "Action", "NotAction", "Sid", "Condition", "Bool", "aws:SecureTransport", "bindings", "role", "members", "name", "value", "envs", "filter", "sseAlgorithm", "rules", "length", "toString", "valueOf"];

/**
 * Hostile values: any small tree of JSON, secrets and JSON documents in strings, or a well-formed document with one
 * hostile statement or binding. With `unknowns`, a leaf may also be a value not known yet.
 */
export function hostileValues({ unknowns }: { unknowns: boolean }) {
    const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 40 }), fc.constantFrom(...WORDS), fc.string({ maxLength: 6 }), ...(unknowns ? [fc.constant(UNKNOWN)] : []));
    const { tree } = fc.letrec((tie) => ({
        tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("list"), tie("object"), tie("secret"), tie("json")),
        list: fc.array(tie("tree"), { maxLength: 3 }),
        object: fc.dictionary(fc.constantFrom(...KEYS), tie("tree"), { maxKeys: 3 }),
        secret: tie("tree").map(secretInput),
        // A JSON document in a string (an IAM policy, a policyData), whatever it holds.
        json: tie("tree").map((t) => JSON.stringify(t) ?? "null"),
    }));
    const hostile = fc.oneof(
        tree,
        tree.map((s) => JSON.stringify({ Version: "2012-10-17", Statement: [statement, s] })),
        tree.map((b) => JSON.stringify({ bindings: [b] })),
    );
    return { tree, hostile };
}

/** A copy of `value` with `planting` at `path` (a path past a leaf adds a key). */
export function planted(value: unknown, path: (string | number)[], planting: unknown): unknown {
    if (path.length === 0) return planting;
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    copy[path[0]] = planted(copy[path[0]], path.slice(1), planting);
    return copy;
}

/** Up to three hostile values planted at chosen paths of a resource's properties. */
export const plantings = (props: Record<string, unknown>, hostile: fc.Arbitrary<unknown>) => {
    const paths = pathsOf(props).filter((p) => p.length > 0);
    return fc.array(fc.tuple(fc.constantFrom(...paths), hostile), { minLength: 1, maxLength: 3 }).map((plants) =>
        plants.reduce<Record<string, unknown>>((acc, [path, value]) => planted(acc, path, value) as Record<string, unknown>, props),
    );
};

/** A resource as the mock cloud records it; companions of the S3 stack tied to `bucketUrn` by a property dependency. */
export function recorded(type: string, index: number, inputs: Record<string, unknown>, bucketUrn?: string): RecordedResource {
    const urn = `urn:pulumi:prod::multicloud-service::${type}::r${index}`;
    return {
        type, name: `r${index}`, custom: true, urn, inputs, outputs: {}, id: `id-${index}`,
        options: { protect: false, retainOnDelete: false }, dependsOn: [], deleteBeforeReplace: false, ignoreChanges: [],
        propertyDependencies: bucketUrn && urn !== bucketUrn ? { bucket: [bucketUrn] } : {},
    };
}

/** An S3 stack with hostile values planted into one of its resources: a BucketV2 or a Bucket, and its companions. */
export const s3Stacks = (hostile: fc.Arbitrary<unknown>) =>
    fc.tuple(fc.nat(S3_STACK.length - 1), fc.boolean(), fc.boolean()).chain(([target, bucketV2, byDependency]) => {
        const resources = S3_STACK.filter(([type], i) => i > 1 || i === (bucketV2 ? 0 : 1));
        const chosen = target <= 1 ? 0 : target - 1;
        return plantings(resources[chosen][1], hostile).map((inputs) => ({ resources: resources.map(([type, props], i) => [type, i === chosen ? inputs : props] as const), byDependency }));
    });

/** The stack's resources as recorded after an update: outputs are the inputs, with the id. */
export function recordedStack(resources: readonly (readonly [string, Record<string, unknown>])[], byDependency: boolean): RecordedResource[] {
    const bucketUrn = recorded(resources[0][0], 0, {}).urn;
    return resources.map(([type, inputs], i) => {
        const r = recorded(type, i, inputs, byDependency ? bucketUrn : undefined);
        return { ...r, outputs: { ...inputs, id: r.id } };
    });
}

export const PACK_CONFIGS = [require("../config/prod.json"), require("../config/dev.json"), {}];

/** What String() writes for a value that is not text: words a finding must not say in place of a value it could not quote. */
const NOT_WORDS = ["undefined", "[object Object]", "NaN"];

/**
 * The first finding (not the SDK's advisory of what waits) that says one of NOT_WORDS where the resources' properties
 * hold no such text to quote, if any.
 */
export function saysNotWords(findings: { message: string }[], inputs: unknown): string | undefined {
    const given = JSON.stringify(inputs) ?? "";
    return findings.map((f) => f.message).find((m) => !/^can't run policy '/.test(m) && NOT_WORDS.some((w) => m.includes(w) && !given.includes(w)));
}
