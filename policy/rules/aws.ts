import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { environmentConfigSchema } from "./environment";
import { onlyFor, onlyInProduction } from "./applies";
import { allHold, judgeEach, known, knownElements, knownOneOrMany } from "./known";
import { textOf } from "./textOf";
import { quoted } from "./quoted";

export const ecrImmutableAndScanned: ResourceValidationPolicy = {
    name: "ecr-immutable-tags-scan-on-push",
    description: "ECR repositories use immutable tags and scan images on push (CKV_AWS_51, CKV_AWS_163).",
    validateResource: (args, report) => {
        onlyFor(args, ["aws:ecr/repository:Repository"]);
        judgeEach([
            ["tag immutability", () => {
                if (!immutableTags(args.props)) report("imageTagMutability must be IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION of cosign's sha256-*.sig / sha256-*.att tags only): a pushed tag must never change.");
            }],
            ["scan on push", () => {
                if (args.props.imageScanningConfiguration?.scanOnPush !== true) report("imageScanningConfiguration.scanOnPush must be true.");
            }],
        ]);
    },
};

/**
 * IMMUTABLE, or immutable except cosign's signature and attestation tags, which cosign itself rewrites. Filters that are
 * not a list of filter objects (a string, a null entry) exclude nothing the API would take: not cosign's, so reported.
 * Every filter is read, unknown ones too (not knownElements): a filter not known yet may exclude any tag, so the check
 * waits for it (judgeEach) rather than pass on the known ones, unless a known filter already excludes another tag (allHold).
 * The filters are read only for IMMUTABLE_WITH_EXCLUSION: under MUTABLE, or MUTABLE_WITH_EXCLUSION (whose filters name
 * the tags that stay unchanged, ECR API PutImageTagMutability), other tags may change whatever the filters say, so
 * filters not known yet must not make a known MUTABLE wait.
 */
function immutableTags(props: Record<string, any>): boolean {
    if (props.imageTagMutability === "IMMUTABLE") return true;
    if (props.imageTagMutability !== "IMMUTABLE_WITH_EXCLUSION") return false;
    const filters: unknown = props.imageTagMutabilityExclusionFilters ?? [];
    return (
        Array.isArray(filters) &&
        filters.length > 0 &&
        allHold(Array.from({ length: filters.length }, (_, i) => () => isCosignFilter(filters[i])))
    );
}

const isCosignFilter = (f: any): boolean => typeof f?.filter === "string" && /^sha256-\*\.(sig|att)$/.test(f.filter);

export const functionUrlAuthInProd: ResourceValidationPolicy = {
    name: "lambda-function-url-auth-in-prod",
    description: "In production a Lambda Function URL requires AWS_IAM auth, never NONE (CKV_AWS_258).",
    configSchema: environmentConfigSchema,
    validateResource: (args, report) => {
        onlyFor(args, ["aws:lambda/functionUrl:FunctionUrl"]);
        onlyInProduction(args);
        if (args.props.authorizationType === "AWS_IAM") return;
        const authorizationType = quoted(() => args.props.authorizationType, { notKnownYet: "not known yet", absent: "not set", notText: "not text" });
        report(`authorizationType is ${authorizationType}: a production Function URL must use AWS_IAM.`);
    },
};

export const lambdaTracing: ResourceValidationPolicy = {
    name: "lambda-tracing-active",
    description: "Lambda functions trace with X-Ray (CKV_AWS_50).",
    validateResource: (args, report) => {
        onlyFor(args, ["aws:lambda/function:Function"]);
        if (args.props.tracingConfig?.mode !== "Active") report("tracingConfig.mode must be Active.");
    },
};

export const stateMachineTracing: ResourceValidationPolicy = {
    name: "state-machine-tracing-and-logging",
    description: "Step Functions state machines trace with X-Ray and log executions (CKV_AWS_284, CKV_AWS_285).",
    validateResource: (args, report) => {
        onlyFor(args, ["aws:sfn/stateMachine:StateMachine"]);
        judgeEach([
            ["tracing", () => {
                if (args.props.tracingConfiguration?.enabled !== true) report("tracingConfiguration.enabled must be true.");
            }],
            ["logging", () => {
                if (!loggingToLogGroup(args.props)) report("loggingConfiguration must send execution logs to a log group.");
            }],
        ]);
    },
};

function loggingToLogGroup(props: Record<string, any>): boolean {
    // A destination not known yet (a new log group's ARN, in a preview) is one that will be set.
    const destination = known(() => props.loggingConfiguration?.logDestination, "(known at up)");
    // A level left unset is OFF (Step Functions' LoggingConfiguration default; the provider's `level` has no default,
    // terraform-provider-aws internal/service/sfn/state_machine.go): a destination alone logs nothing.
    const level = known(() => props.loggingConfiguration?.level, "(known at up)");
    return Boolean(destination) && level !== undefined && level !== "OFF";
}

export const logGroupRetention: ResourceValidationPolicy = {
    name: "log-group-retention",
    description: "Every CloudWatch log group has a retention period (CKV_AWS_66).",
    validateResource: (args, report) => {
        onlyFor(args, ["aws:cloudwatch/logGroup:LogGroup"]);
        // A DELIVERY-class group ignores retentionInDays and keeps its logs 2 days (cloudwatch/logGroup.d.ts, retentionInDays).
        // Reported only when both hold (allHold): a class not known yet could be DELIVERY, so without a retention the
        // finding waits for it, as an unknown retention waits unless the class is known DELIVERY.
        const violated = allHold([() => args.props.logGroupClass !== "DELIVERY", () => !(Number(textOf(args.props.retentionInDays)) > 0)]);
        if (violated) report("retentionInDays must be set: logs must not be kept forever by accident.");
    },
};

type StackResource = { type: string; props: Record<string, any>; name: string; urn: string; propertyDependencies?: Record<string, { urn: string }[]> };

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const NOT_KNOWN_YET = Symbol("not known yet");

/**
 * Companion resources that point at a bucket: through a property dependency, or by the bucket's name. A new bucket's
 * name and ID are unknown in a preview (and so is a companion's `bucket`): the dependency still finds its companions.
 * `waitForUndecided` is for a check about to report: a companion tied to no bucket by a dependency, with its bucket
 * name or this bucket's not known yet (a program that names both from a third resource's output, a random suffix), may
 * turn out to be this bucket's at `up`, and the first found then (the one a check judges), so the check waits (the
 * proxy's UnknownValueError for that name) rather than report what the companion may provide.
 */
function companionsOf(bucket: StackResource, resources: StackResource[], ...types: string[]): StackResource[] & { waitForUndecided: () => void } {
    const ownNames = [known(() => bucket.props.bucket, NOT_KNOWN_YET), known(() => bucket.props.id, NOT_KNOWN_YET)];
    const names = ownNames.filter((n) => n !== NOT_KNOWN_YET && Boolean(n));
    const candidates = resources.filter((r) => types.includes(r.type));
    const dependsOn = (r: StackResource) => r.propertyDependencies?.bucket ?? [];
    const found = candidates.filter((r) => dependsOn(r).some((d) => d.urn === bucket.urn) || names.includes(known(() => r.props.bucket)));
    const tiedToABucket = (r: StackResource) => dependsOn(r).some((d) => BUCKET_TYPES.includes((d as { type?: string }).type ?? ""));
    const nameNotKnownYet = (r: StackResource) => known(() => r.props.bucket, NOT_KNOWN_YET) === NOT_KNOWN_YET;
    // An S3 bucket's ID is its name: a name not known yet is one that may change (a replacement), whatever the old ID.
    const [ownName, ownId] = ownNames;
    const bucketNameNotKnownYet = ownName === NOT_KNOWN_YET || (!ownName && ownId === NOT_KNOWN_YET);
    const undecided = candidates.filter((r) => !found.includes(r) && !tiedToABucket(r) && (nameNotKnownYet(r) || bucketNameNotKnownYet));
    // Reading a value not known yet throws the proxy's UnknownValueError, which judgeEach turns into this check's wait.
    const waitForUndecided = () => {
        for (const r of undecided) for (const read of [() => r.props.bucket, () => bucket.props.bucket, () => bucket.props.id]) read();
    };
    return Object.assign(found, { waitForUndecided });
}

export const s3BucketHardening: StackValidationPolicy = {
    name: "s3-bucket-private-encrypted-tls-only",
    description: "Every S3 bucket blocks all public access, is encrypted, and refuses requests without TLS (CKV_AWS_53-56, CKV_AWS_145, CKV2_AWS_6).",
    validateStack: (args, report) => {
        const resources = args.resources as unknown as StackResource[];
        const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
        // Each bucket's checks apart: a value not known yet stops that bucket's one check, not the rule for every bucket.
        judgeEach(
            buckets.flatMap((bucket) => [
                [`bucket ${bucket.name}'s public access block`, () => checkPublicAccessBlock(bucket, resources, report)] as const,
                [`bucket ${bucket.name}'s encryption`, () => checkEncryption(bucket, resources, report)] as const,
                [`bucket ${bucket.name}'s TLS-only policy`, () => checkTlsOnly(bucket, resources, report)] as const,
            ]),
        );
    },
};

type ReportOn = (message: string, urn?: string) => void;

function checkPublicAccessBlock(bucket: StackResource, resources: StackResource[], report: ReportOn): void {
    const blocks = companionsOf(bucket, resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    const pab = blocks[0]?.props;
    if (!pab || !allHold(["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((k) => () => pab[k] === true))) {
        blocks.waitForUndecided();
        report(`bucket ${bucket.name}: needs a public access block with all four settings true.`, bucket.urn);
    }
}

function checkEncryption(bucket: StackResource, resources: StackResource[], report: ReportOn): void {
    const configurations = companionsOf(
        bucket,
        resources,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    );
    const sse = configurations[0]?.props;
    // A companion's rules not known yet (built from an output) wait for up. Beside a companion, the companion's rules are
    // what the bucket gets: the bucket's own inline state is then only the provider's read-back of the live configuration
    // (resourceBucketRead sets it from GetBucketEncryption, terraform-provider-aws internal/service/s3/bucket.go), which
    // shows S3's SSE-S3 default (every bucket's since January 2023) until the companion's rules are read back, so it would
    // pass any companion once the bucket exists while the first preview, where it is unknown, judged the companion.
    // Without a companion, the inline input is the program's own (unknown in every new bucket's preview: it proves nothing).
    const rules = sse ? companionSseRules(sse) : inlineSseRules(bucket.props);
    if (rules && !rules.some(encryptsByDefault)) {
        configurations.waitForUndecided();
        report(`bucket ${bucket.name}: needs default server-side encryption.`, bucket.urn);
    }
}

/**
 * A policy document not known yet (built from the new bucket's ARN) cannot be judged until `up`: that bucket's TLS check
 * waits, the other buckets' and checks do not. The bucket's own deprecated `policy` counts once it is known, but an
 * unknown one does not make the check wait: it is a computed output, unknown in the preview of every new bucket that
 * never set it, and waiting would let each of those through the preview.
 */
function checkTlsOnly(bucket: StackResource, resources: StackResource[], report: ReportOn): void {
    const inline = known(() => bucket.props.policy);
    const policies = companionsOf(bucket, resources, "aws:s3/bucketPolicy:BucketPolicy");
    const documents = policies.map((p) => known(() => p.props.policy));
    const tlsOnly = [...documents, inline].some((doc) =>
        statements(parsePolicy(doc)).some((s) => s?.Effect === "Deny" && textOf(s.Condition?.Bool?.["aws:SecureTransport"]) === "false"),
    );
    if (tlsOnly || documents.includes(undefined)) return;
    policies.waitForUndecided();
    report(`bucket ${bucket.name}: needs a bucket policy denying requests without TLS (aws:SecureTransport false).`, bucket.urn);
}

/** A companion's default-encryption `rules`; undefined while any of it is not known yet (the check waits for up). */
function companionSseRules(props: Record<string, any>): any[] | undefined {
    return known(() => [props.rules ?? []].flat());
}

/**
 * The bucket's own deprecated inline rules, which @pulumi/aws 7 shapes differently per type (types/input.d.ts): Bucket's
 * `serverSideEncryptionConfiguration` is one object with one `rule`; BucketV2's `serverSideEncryptionConfigurations` is
 * a list of objects with `rules` lists. The known ones: an element not known yet (a program's `[literal, someOutput]`)
 * is left out, not the whole list, so a known encrypting rule beside it still counts. Not a list (a string, one
 * object): no configuration the provider would take, so none that encrypts.
 */
function inlineSseRules(props: Record<string, any>): any[] {
    const configurations = known(() => props.serverSideEncryptionConfigurations);
    return [
        ...knownOneOrMany<any>(() => props.serverSideEncryptionConfiguration?.rule),
        ...(Array.isArray(configurations) ? knownElements<any>(() => configurations) : []).flatMap((c) => knownOneOrMany<any>(() => c.rules)),
    ];
}

/**
 * A rule that sets an algorithm: `applyServerSideEncryptionByDefault` is one object, except in BucketV2's inline rules (a
 * list). An algorithm not known yet waits, as the rule did when it let the unknown value stop it.
 */
function encryptsByDefault(rule: any): boolean {
    return known(() => [rule?.applyServerSideEncryptionByDefault ?? rule?.applyServerSideEncryptionByDefaults ?? []].flat().some((d: any) => Boolean(d?.sseAlgorithm)), true);
}

export function parsePolicy(policy: unknown): any {
    if (typeof policy !== "string") return policy ?? {};
    try {
        return JSON.parse(policy);
    } catch {
        return {};
    }
}

export function statements(doc: any): any[] {
    return [doc?.Statement ?? []].flat();
}

export const awsPolicies = [ecrImmutableAndScanned, functionUrlAuthInProd, lambdaTracing, stateMachineTracing, logGroupRetention];
export const awsStackPolicies = [s3BucketHardening];
