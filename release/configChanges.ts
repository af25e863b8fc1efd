/** The stack config keys a release writes, and how `pulumi config set --path` applies a change. */
import { PROJECT_NAMESPACE, RawStackConfig } from "../config";
import { configText } from "../config/configText";
import { isPlainObject } from "../config/plainObject";
import { Cloud, ConfigChange } from "./types";

const key = (path: string) => `${PROJECT_NAMESPACE}:${path}`;

/** The pipeline worker's stable version: its alias keeps it while the API's canary runs, like aws.canary.stableVersion. */
export const WORKER_STABLE_KEY = key("release.workerStableVersion");

/** What a release writes to a candidate key when it ends: the program reads "" as none (config/schema.ts). */
export const NO_CANDIDATE = "";

export const RELEASE_KEYS: Record<Cloud, { weight: string; stable: string; candidate: string; rolledBack: string; workerStable?: string; workerCandidate?: string }> = {
    aws: {
        weight: key("aws.canary.weightPercent"),
        stable: key("aws.canary.stableVersion"),
        candidate: key("aws.canary.candidateVersion"),
        rolledBack: key("release.rolledBack.awsVersion"),
        workerStable: WORKER_STABLE_KEY,
        // The worker's version its share of the canary weight goes to, like aws.canary.candidateVersion.
        workerCandidate: key("release.workerCandidateVersion"),
    },
    gcp: { weight: key("gcp.canary.percent"), stable: key("gcp.canary.stableRevision"), candidate: key("gcp.canary.candidateRevision"), rolledBack: key("release.rolledBack.gcpRevision") },
};

/**
 * The value the Pulumi CLI stores for `config set --path`: "true"/"false" become booleans, a whole number (without
 * a leading zero) becomes a number, anything else stays a string. (pulumi/pulumi, sdk/go/common/resource/config.)
 */
export function storedValue(text: string): string | number | boolean {
    if (text === "true" || text === "false") return text === "true";
    if (text.length > 1 && text.startsWith("0")) return text;
    return /^[-+]?[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

/**
 * `config` with the changes applied as the release writes them to its state (release/stack/escReleaseState.ts: setConfigChange
 * on the environment's pulumiConfig, read back as configText): for the simulation and the tests' fake stacks.
 */
export function applyConfigChanges(config: RawStackConfig, changes: readonly ConfigChange[]): RawStackConfig {
    const values = { ...config.values };
    for (const change of changes) {
        const [namespace, dotted] = splitKey(change.key);
        const top = `${namespace}:${dotted.split(".")[0]}`;
        const pulumiConfig: Record<string, unknown> = values[top] === undefined ? {} : { [top]: parsedConfigText(values[top]) };
        setConfigChange(pulumiConfig, change);
        values[top] = configText(pulumiConfig[top]);
    }
    return { values, secretKeys: config.secretKeys };
}

/**
 * Sets `multicloud-service:aws.canary.weightPercent` to the change's storedValue as
 * config["multicloud-service:aws"].canary.weightPercent. A list, a number or text on the way is replaced by a mapping:
 * a key set on a list would not be written (YAML writes a list's items alone, JSON its indexes alone).
 */
export function setConfigChange(config: Record<string, unknown>, change: ConfigChange): void {
    const value = storedValue(String(change.value));
    const [namespace, dotted] = splitKey(change.key);
    const [top, ...rest] = dotted.split(".");
    const fullTop = `${namespace}:${top}`;
    if (rest.length === 0) {
        config[fullTop] = value;
        return;
    }
    const mapping = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});
    let node = (config[fullTop] = mapping(config[fullTop]));
    for (const segment of rest.slice(0, -1)) node = node[segment] = mapping(node[segment]);
    node[rest[rest.length - 1]] = value;
}

/** The value configText gave `text` for: an object or list back from its JSON, anything else the text itself. */
export function parsedConfigText(text: string): unknown {
    try {
        const parsed: unknown = JSON.parse(text);
        return typeof parsed === "object" && parsed !== null ? parsed : text;
    } catch {
        return text;
    }
}

export function splitKey(fullKey: string): [string, string] {
    const colon = fullKey.indexOf(":");
    if (colon <= 0) throw new Error(`config key ${fullKey} has no namespace`);
    return [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}
