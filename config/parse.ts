import { z } from "zod";
import { SettingsError, SettingsProblem, closestKey, describeValue, dottedPath, valueAt } from "./errors";
import { ProjectSettings, ProviderSettings, projectSettingsSchema, providerSettingsSchema } from "./schema";
import { crossFieldIssues } from "./crossFieldIssues";
import { COMPONENT_NAMES, refusedEcrRepositoryName } from "../components/names";
import { effectiveStorageDeadlines } from "./storageDeadlines";
import { autonamingProblems } from "./autonaming";
import { PROJECT_NAMESPACE } from "./projectNamespace";

export { PROJECT_NAMESPACE };

/** A stack's configuration as the Pulumi runtime hands it over: full keys to string values. */
export interface RawStackConfig {
    values: Record<string, string>;
    secretKeys: ReadonlySet<string>;
}

export interface StackSettings extends ProjectSettings {
    stack: string;
    isProduction: boolean;
    providers: ProviderSettings;
}

/** `prod`, `production`, `prod-eu` and the like get production rules. */
export function isProductionStack(stack: string): boolean {
    return /^prod(uction)?([-_.].*)?$/i.test(stack);
}

const PROVIDER_KEYS = Object.keys(providerSettingsSchema.shape);
const SECRET_SETTINGS = new Set(["databaseUrl"]);

/**
 * Validates a stack's configuration and returns typed settings, or throws a SettingsError listing every
 * problem at once, each with its full key, the value and the rule it broke.
 */
export function parseStackSettings(raw: RawStackConfig, stack: string): StackSettings {
    const problems: SettingsProblem[] = [];
    const projectValues = projectNamespaceValues(raw, problems);
    const providerValues = Object.fromEntries(PROVIDER_KEYS.filter((k) => k in raw.values).map((k) => [k, raw.values[k]]));
    const providerSecrets = new Set(PROVIDER_KEYS.filter((k) => raw.secretKeys.has(k)));
    problems.push(...unreadProviderKeys(raw), ...keysWithoutNamespace(raw));
    problems.push(
        ...autonamingProblems(
            raw.values,
            `the components' name limits are counted for it (components/componentNames.ts: a Cloud Run service's name and its "candidate" traffic tag within 46 characters, IAM roles within 64), deployments/ lets the deploy roles create and pass only roles named ${COMPONENT_NAMES.aws}-* (deployments/workloadRoles.ts), and a name without a random part is the same in every stack of an account or project, a bucket's in the whole cloud`,
        ),
    );

    for (const key of SECRET_SETTINGS) {
        if (key in projectValues && !raw.secretKeys.has(`${PROJECT_NAMESPACE}:${key}`)) {
            problems.push({ key: `${PROJECT_NAMESPACE}:${key}`, message: `must be stored encrypted: pulumi config set --secret ${key} <value>` });
        }
    }
    // A value set with `--secret --path` inside an object makes the whole object a secret key, delivered decrypted
    // (pulumi/pulumi sdk/go/common/resource/config/object.go, map.go). Its settings reach resources as plain values,
    // so the state and every preview would show what was meant to stay hidden: refused, never echoed.
    const secretNames = new Set(Object.keys(projectValues).filter((name) => raw.secretKeys.has(`${PROJECT_NAMESPACE}:${name}`)));
    for (const name of secretNames) {
        if (SECRET_SETTINGS.has(name)) continue;
        problems.push({
            key: `${PROJECT_NAMESPACE}:${name}`,
            message: `holds a value stored encrypted (pulumi config set --secret), which its resources would show in plaintext in the state and previews: only ${[...SECRET_SETTINGS].join(", ")} is kept secret, so set ${name}'s values without --secret`,
        });
    }

    const project = projectSettingsSchema.safeParse(projectValues);
    const providers = providerSettingsSchema.safeParse(providerValues);
    if (!project.success) problems.push(...zodProblems(project.error, projectValues, PROJECT_NAMESPACE, secretNames));
    if (!providers.success) problems.push(...zodProblems(providers.error, providerValues, undefined, providerSecrets));

    const isProduction = isProductionStack(stack);
    const seen = new Set(problems.map((p) => p.key));
    const settingsView = project.success ? project.data : (projectValues as Record<string, any>);
    const providersView = providers.success ? providers.data : providerValues;
    for (const issue of crossFieldIssues(settingsView, providersView, isProduction)) {
        const key = fullKey(issue.path);
        // A rule across settings quotes their values; one stored encrypted is already refused above, and its other
        // problems show once it is set plainly.
        if (seen.has(key) || secretNames.has(String(issue.path[0]))) continue;
        // A key left unset is compared at its default: "nothing" alone would hide the value the rule refused.
        const given = valueAt({ ...projectValues, ...providerValues }, issue.path);
        const applied = given === undefined ? valueAt({ ...settingsView, ...providersView }, issue.path) : undefined;
        const value = providerSecrets.has(String(issue.path[0])) ? "a secret value" : applied !== undefined ? `nothing, so its default ${describeValue(applied)}` : describeValue(given);
        problems.push({ key, message: `${issue.message} (got ${value})` });
    }
    problems.push(...stackNameProblems(stack, settingsView));
    if (problems.length > 0 || !project.success || !providers.success) {
        throw new SettingsError(stack, problems);
    }
    const { service, aws, gcp } = project.data;
    return { ...project.data, service: { ...service, storage: effectiveStorageDeadlines(service.storage, aws, gcp) }, stack, isProduction, providers: providers.data };
}

const PROVIDERS = {
    aws: { name: "AWS", credentials: "the stack's ESC environment, or AWS_PROFILE or AWS_DEFAULT_PROFILE" },
    gcp: { name: "Google Cloud", credentials: "the stack's ESC environment, or application default credentials" },
} as const;

/**
 * The program's providers are explicit, and an explicit provider reads no stack setting of its namespace: only the
 * default provider does (@pulumi/aws provider.js: `args.region ?? getEnv("AWS_REGION", ...)`). A key the program does
 * not hand over (aws:profile, aws:allowedAccountIds, gcp:impersonateServiceAccount, a misspelt aws:regoin) would
 * deploy without it, elsewhere or with other credentials than the stack file says.
 */
function unreadProviderKeys(raw: RawStackConfig): SettingsProblem[] {
    const problems: SettingsProblem[] = [];
    for (const key of Object.keys(raw.values)) {
        const [namespace, name] = key.split(/:(.*)/s);
        if (name === undefined || !(namespace in PROVIDERS) || PROVIDER_KEYS.includes(key)) continue;
        const provider = PROVIDERS[namespace as keyof typeof PROVIDERS];
        const read = PROVIDER_KEYS.filter((k) => k.startsWith(`${namespace}:`));
        const hint = closestKey(name, read.map((k) => k.slice(namespace.length + 1)));
        problems.push({
            key,
            message: `is not read${hint ? ` (did you mean "${namespace}:${hint}"?)` : ""}: the program's ${provider.name} provider is explicit and takes ${read.join(" and ")} only; credentials come from the environment (${provider.credentials}): remove it (pulumi config rm '${key}')`,
        });
    }
    return problems;
}

/**
 * The CLI hands the program every stack setting as `<namespace>:<name>`: a key the stack file writes without one is
 * the project's (pulumi/pulumi sdk/go/common/workspace/loaders.go stackConfigNamespacedWithProject), and a key is
 * nothing else ("configuration keys should be of the form `<namespace>:<name>`", resource/config/key.go ParseKey).
 * A key without one came from a stack file read with no Pulumi.yaml beside it, where no setting would read it.
 */
function keysWithoutNamespace(raw: RawStackConfig): SettingsProblem[] {
    return Object.keys(raw.values)
        .filter((key) => !key.includes(":"))
        .map((key) => ({ key, message: `has no namespace, so no setting reads it: the stack file was read without the project's Pulumi.yaml, which makes it ${PROJECT_NAMESPACE}:${key}; keep the file beside Pulumi.yaml, or write the key in full` }));
}

/**
 * Pulumi takes stack names that a cloud refuses in the names made from them: the ECR repository a stack creates is
 * `<project>-<stack>` (Artifact Registry and service account IDs are made valid instead, components/gcp/resourceIds.ts),
 * and its CreateRepository would fail after the resources that do not wait on it were created.
 */
function stackNameProblems(stack: string, settings: Record<string, any>): SettingsProblem[] {
    const createsEcrRepository = settings.aws?.enabled !== false && settings.image?.registriesOf === undefined;
    const repository = createsEcrRepository ? refusedEcrRepositoryName(PROJECT_NAMESPACE, stack) : undefined;
    if (repository === undefined) return [];
    return [
        {
            key: "stack name",
            message: `"${stack}" makes this stack's ECR repository name ${repository}, which ECR refuses (lowercase letters and digits, joined by ., _, __ or -): rename the stack (pulumi stack rename)`,
        },
    ];
}

/** The project's keys with their JSON values parsed; `{` values that are not JSON are reported. */
function projectNamespaceValues(raw: RawStackConfig, problems: SettingsProblem[]): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const prefix = `${PROJECT_NAMESPACE}:`;
    for (const [key, text] of Object.entries(raw.values)) {
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        if (SECRET_SETTINGS.has(name)) {
            values[name] = text;
            continue;
        }
        try {
            values[name] = JSON.parse(text);
        } catch {
            if (/^\s*[[{]/.test(text)) {
                problems.push({ key, message: `is not valid JSON (got ${raw.secretKeys.has(key) ? "a secret value" : describeValue(text)})` });
                continue;
            }
            values[name] = text;
        }
    }
    return values;
}

/** `secretNames`: the namespace's keys stored encrypted, whose values a message never shows. */
function zodProblems(error: z.ZodError, input: Record<string, unknown>, namespace?: string, secretNames: ReadonlySet<string> = new Set()): SettingsProblem[] {
    const problems: SettingsProblem[] = [];
    /** Keys a misspelling's "did you mean" names: their own "is required" would say the same thing twice. */
    const suggested = new Set<string>();
    for (const issue of error.issues) {
        if (issue.code !== "unrecognized_keys") continue;
        const known = knownKeysAt(issue.path);
        for (const unknown of issue.keys) {
            // `pulumi config set multicloud-service:service.debug false` without --path makes a key of that whole name.
            const [object] = unknown.split(".");
            if (issue.path.length === 0 && unknown.includes(".") && known.includes(object)) {
                const key = fullKey([unknown], namespace);
                problems.push({ key, message: `is a key of its own, not a value inside ${object}: set it with --path, pulumi config set --path '${key}' <value>, and remove this one (pulumi config rm '${key}')` });
                continue;
            }
            const hint = closestKey(unknown, known);
            if (hint) suggested.add(fullKey([...issue.path, hint], namespace));
            problems.push({
                key: fullKey([...issue.path, unknown], namespace),
                message: `is not a known setting${hint ? ` (did you mean "${hint}"?)` : ""}; known here: ${known.join(", ")}`,
            });
        }
    }
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") continue;
        const value = valueAt(input, issue.path);
        if (value === undefined && suggested.has(fullKey(issue.path, namespace))) continue;
        const secret = (namespace !== undefined && SECRET_SETTINGS.has(String(issue.path[0]))) || secretNames.has(String(issue.path[0]));
        const rule = value === undefined ? "is required" : lowerFirst(issue.message);
        const problem = { key: fullKey(issue.path, namespace), message: `${rule} (got ${secret ? "a secret value" : describeValue(value)})` };
        // Several of zod's checks speak in one rule's words (a number past 2^53 is neither a safe integer nor in range).
        if (!problems.some((p) => p.key === problem.key && p.message === problem.message)) problems.push(problem);
    }
    return problems;
}

function fullKey(path: readonly PropertyKey[], namespace: string | undefined = PROJECT_NAMESPACE): string {
    const [first, ...rest] = path;
    if (typeof first === "string" && first.includes(":")) return dottedPath(path);
    const head = `${namespace}:${String(first)}`;
    return rest.length === 0 ? head : `${head}${dottedPath(rest).startsWith("[") ? "" : "."}${dottedPath(rest)}`;
}

/** The keys the schema allows at an object path, for "known here" hints. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
    let schema: z.ZodType = projectSettingsSchema;
    for (const segment of path) {
        const shape = objectShape(schema);
        if (!shape || typeof segment !== "string" || !(segment in shape)) return [];
        schema = shape[segment];
    }
    return Object.keys(objectShape(schema) ?? {});
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
    let current: any = schema;
    while (current && !(current instanceof z.ZodObject)) {
        current = current.def?.innerType ?? current.def?.in;
    }
    return current?.shape;
}

function lowerFirst(text: string): string {
    return text.charAt(0).toLowerCase() + text.slice(1);
}
