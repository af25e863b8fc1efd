import * as fc from "fast-check";
import { CLOUD_RUN_CPUS, CLOUD_RUN_MEMORY_MIB_BY_CPU, CLOUDWATCH_RETENTION_DAYS, CloudRunCpu } from "../../config/cloudLimits";

/** A stack and its project settings documents, as a stack file would hold them. */
export interface SettingsDocument {
    stack: string;
    isProduction: boolean;
    project: { service: Record<string, any>; aws: Record<string, any>; gcp: Record<string, any> };
    providers: Record<string, string>;
}

const memoryFor = (cpu: CloudRunCpu) => {
    const { min, max } = CLOUD_RUN_MEMORY_MIB_BY_CPU[cpu];
    return fc.integer({ min: min / 512, max: max / 512 }).map((n) => ((n * 512) % 1024 === 0 ? `${(n * 512) / 1024}Gi` : `${n * 512}Mi`));
};

const gcpSettings = fc
    .constantFrom<CloudRunCpu>(...CLOUD_RUN_CPUS)
    .chain((cpu) =>
        fc.record({
            cpu: fc.constant(cpu),
            memory: memoryFor(cpu),
            maxInstances: fc.integer({ min: 1, max: 1000 }),
            concurrency: fc.integer({ min: 1, max: 1000 }),
            requestTimeoutSeconds: fc.integer({ min: 1, max: 3600 }),
            ingress: fc.constantFrom("all", "internal", "internal-and-cloud-load-balancing"),
            imagesToKeep: fc.integer({ min: 1, max: 1000 }),
            alerts: fc.record({ errorRatePercent: fc.double({ min: 0, max: 100, maxExcluded: true, noNaN: true }), p95LatencyMs: fc.integer({ min: 1, max: 3_600_000 }) }),
        }),
    )
    .chain((g) => fc.integer({ min: 0, max: g.maxInstances }).map((minInstances) => ({ ...g, minInstances })))
    // A latency alert fires only below the request timeout.
    .map((g) => ({ ...g, alerts: { ...g.alerts, p95LatencyMs: below(g.alerts.p95LatencyMs, g.requestTimeoutSeconds * 1000) } }));

/** `ms` brought under `limitMs` (both at least 1 ms), keeping its variety. */
const below = (ms: number, limitMs: number) => 1 + (ms % (limitMs - 1));

const awsSettings = fc.record(
    {
        enabled: fc.boolean(),
        memoryMb: fc.integer({ min: 128, max: 10240 }),
        timeoutSeconds: fc.integer({ min: 1, max: 900 }),
        architecture: fc.constantFrom("x86_64", "arm64"),
        // 0 stops the function; 1 is refused at the default release.maxUtilizationPercent of 90 (one execution is over it).
        reservedConcurrency: fc.integer({ min: 0, max: 50_000 }).filter((n) => n !== 1),
        pipeline: fc.record({ maxConcurrency: fc.integer({ min: 1, max: 40 }) }),
        alarms: fc.record({ errorRatePercent: fc.double({ min: 0, max: 100, maxExcluded: true, noNaN: true }), p95DurationMs: fc.integer({ min: 1, max: 900000 }) }),
        imagesToKeep: fc.integer({ min: 1, max: 1000 }),
    },
    { requiredKeys: ["enabled"] },
).map((a) => {
    // A latency alarm fires only below the function's timeout (the default 2000 ms too).
    const limitMs = (a.timeoutSeconds ?? 30) * 1000;
    const p95 = a.alarms?.p95DurationMs ?? 2000;
    return p95 < limitMs ? a : { ...a, alarms: { errorRatePercent: 5, ...a.alarms, p95DurationMs: below(p95, limitMs) } };
});

/** Settings every rule accepts, for dev-like and prod-like stacks. */
export const validDocument: fc.Arbitrary<SettingsDocument> = fc
    .record({
        stack: fc.constantFrom("dev", "staging", "qa", "prod", "production", "prod-eu"),
        cache: fc.record({ maxEntries: fc.integer({ min: 1, max: 1_000_000 }), ttlSeconds: fc.integer({ min: 1, max: 86_400 }) }),
        batchSize: fc.integer({ min: 1, max: 1000 }),
        retentionDays: fc.constantFrom(...CLOUDWATCH_RETENTION_DAYS),
        flags: fc.record({ adminFeatures: fc.boolean(), debug: fc.boolean() }),
        logLevel: fc.constantFrom("debug", "info", "warn", "error"),
        aws: awsSettings,
        gcp: gcpSettings,
        region: fc.constantFrom("ap-northeast-1", "eu-west-1", "us-east-1"),
    })
    .map(({ stack, cache, batchSize, retentionDays, flags, logLevel, aws, gcp, region }) => {
        const isProduction = /^prod/.test(stack);
        return {
            stack,
            isProduction,
            project: {
                service: {
                    cache,
                    batchSize,
                    retentionDays,
                    adminFeatures: isProduction ? false : flags.adminFeatures,
                    debug: isProduction ? false : flags.debug,
                    logLevel,
                },
                // A production stack runs images promoted from another stack, never a build of its own, only signed
                // and attested ones, and its alarms and alert policies notify someone.
                ...(isProduction ? { image: { promoteFrom: "dev", verify: { signingKey: "awskms:///alias/multicloud-service-image-signing", workflow: "my-github-org/multicloud-service/.github/workflows/image.yml@refs/heads/main" } } } : {}),
                aws: isProduction ? { ...aws, alarms: { ...aws.alarms, email: "oncall@example.com" } } : aws,
                gcp: isProduction ? { ...gcp, alerts: { ...gcp.alerts, email: "oncall@example.com" } } : gcp,
            },
            providers: { "aws:region": region, "gcp:project": "hostile-test-project" },
        };
    });

/** A way to break a valid document, and the full key the error must name. */
export interface Mutation {
    kind: string;
    key: string;
    apply: (doc: SettingsDocument) => void;
}

const leaves: { path: string[]; kind: "int" | "bool" | "enum" | "cpu" | "string" }[] = [
    { path: ["service", "cache", "maxEntries"], kind: "int" },
    { path: ["service", "cache", "ttlSeconds"], kind: "int" },
    { path: ["service", "batchSize"], kind: "int" },
    { path: ["service", "retentionDays"], kind: "int" },
    { path: ["service", "adminFeatures"], kind: "bool" },
    { path: ["service", "debug"], kind: "bool" },
    { path: ["service", "logLevel"], kind: "enum" },
    { path: ["aws", "memoryMb"], kind: "int" },
    { path: ["aws", "timeoutSeconds"], kind: "int" },
    { path: ["aws", "architecture"], kind: "enum" },
    { path: ["aws", "imagesToKeep"], kind: "int" },
    // An enum of digits: a whole number that is one of them is the CLI's form of it (`config set --path ... 2`), not a wrong type.
    { path: ["gcp", "cpu"], kind: "cpu" },
    { path: ["gcp", "memory"], kind: "string" },
    { path: ["gcp", "maxInstances"], kind: "int" },
    { path: ["gcp", "concurrency"], kind: "int" },
    { path: ["gcp", "requestTimeoutSeconds"], kind: "int" },
    { path: ["gcp", "ingress"], kind: "enum" },
];
const requiredLeaves = leaves.filter((l) => l.path[0] === "service" && l.path[1] !== "logLevel");

const keyOf = (path: string[]) => `multicloud-service:${path.join(".")}`;

function setAt(doc: SettingsDocument, path: string[], value: unknown): void {
    let node: any = doc.project;
    for (const segment of path.slice(0, -1)) node = node[segment] ??= {};
    if (value === undefined) delete node[path[path.length - 1]];
    else node[path[path.length - 1]] = value;
}

const wrongTypeFor = (kind: string) =>
    kind === "bool"
        ? fc.oneof(fc.constantFrom("true", "yes", 1, 0), fc.array(fc.boolean(), { maxLength: 2 }))
        : kind === "int"
          ? fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.double({ min: 0.01, max: 0.99, noNaN: true }))
          : fc.oneof(
                kind === "cpu" ? fc.integer().filter((n) => !(CLOUD_RUN_CPUS as readonly string[]).includes(String(n))) : fc.integer(),
                fc.boolean(),
                fc.constant(null),
                fc.object({ maxDepth: 1 }),
            );

const outOfRange: Record<string, fc.Arbitrary<unknown>> = {
    "service.cache.maxEntries": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1_000_001 })),
    "service.cache.ttlSeconds": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 86_401 })),
    "service.batchSize": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1001 })),
    "service.retentionDays": fc.integer().filter((n) => !(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(n)),
    "aws.memoryMb": fc.oneof(fc.integer({ max: 127 }), fc.integer({ min: 10241 })),
    "aws.timeoutSeconds": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 901 })),
    "aws.imagesToKeep": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1001 })),
    "gcp.maxInstances": fc.integer({ max: 0 }),
    "gcp.concurrency": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1001 })),
    "gcp.requestTimeoutSeconds": fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 3601 })),
};

const knownNames = new Set(["cache", "maxEntries", "ttlSeconds", "batchSize", "retentionDays", "adminFeatures", "debug", "logLevel", "enabled", "memoryMb", "timeoutSeconds", "architecture", "reservedConcurrency", "functionUrl", "pipeline", "alarms", "imagesToKeep", "registryAccess", "writers", "readers", "releaseInvokers", "image", "canary", "cpu", "memory", "minInstances", "maxInstances", "concurrency", "requestTimeoutSeconds", "ingress", "publicInvoker", "allowPublicInvokerInProd", "alerts", "service", "aws", "gcp", "databaseUrl", "promoteFrom", "waitMinutes", "verify", "signingKey", "workflow", "__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"]);
const unknownName = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !knownNames.has(s) && !s.includes(".") && !s.includes("[") && s.trim() === s && s !== "");

/** Every kind of mistake the issue names: wrong types, out of range, unknown keys, prod with admin on, missing keys, huge strings. */
export const mutation: fc.Arbitrary<{ mutation: Mutation; stackOverride?: string }> = fc.oneof(
    fc.constantFrom(...leaves).chain((leaf) =>
        wrongTypeFor(leaf.kind).map((value) => ({ mutation: { kind: "wrong type", key: keyOf(leaf.path), apply: (d: SettingsDocument) => setAt(d, leaf.path, value) } })),
    ),
    fc.constantFrom(...Object.keys(outOfRange)).chain((dotted) =>
        outOfRange[dotted].map((value) => ({ mutation: { kind: "out of range", key: keyOf(dotted.split(".")), apply: (d: SettingsDocument) => setAt(d, dotted.split("."), value) } })),
    ),
    fc.tuple(fc.constantFrom(["service"], ["service", "cache"], ["aws"], ["gcp"], ["aws", "alarms"], ["gcp", "alerts"]), unknownName, fc.jsonValue()).map(([parent, name, value]) => ({
        mutation: { kind: "unknown key", key: keyOf([...parent, name]), apply: (d: SettingsDocument) => setAt(d, [...parent, name], value ?? 1) },
    })),
    fc.constantFrom("adminFeatures", "debug").map((flag) => ({
        stackOverride: "prod",
        mutation: { kind: "prod with admin or debug on", key: keyOf(["service", flag]), apply: (d: SettingsDocument) => setAt(d, ["service", flag], true) },
    })),
    fc.constantFrom(...requiredLeaves).map((leaf) => ({
        mutation: { kind: "missing required key", key: keyOf(leaf.path), apply: (d: SettingsDocument) => setAt(d, leaf.path, undefined) },
    })),
    fc.tuple(fc.constantFrom(...leaves), fc.integer({ min: 10_000, max: 200_000 }), fc.string({ minLength: 1, maxLength: 1 })).map(([leaf, length, ch]) => ({
        mutation: { kind: "huge string", key: keyOf(leaf.path), apply: (d: SettingsDocument) => setAt(d, leaf.path, ch.repeat(length)) },
    })),
);

/** The document as the Pulumi runtime hands it to the program: full keys to strings. */
export function toRawConfig(doc: SettingsDocument): Record<string, string> {
    const values: Record<string, string> = { ...doc.providers };
    for (const [name, value] of Object.entries(doc.project)) values[`multicloud-service:${name}`] = JSON.stringify(value);
    return values;
}
