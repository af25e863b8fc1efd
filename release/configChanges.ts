/** The stack config keys a release writes, and how `pulumi config set --path` applies a change. */
import { PROJECT_NAMESPACE, RawStackConfig } from "../config";
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

/** `config` with the changes applied as `pulumi config set --path` would: for the simulation and the tests' fake stacks. */
export function applyConfigChanges(config: RawStackConfig, changes: readonly ConfigChange[]): RawStackConfig {
    const values = { ...config.values };
    for (const change of changes) {
        const [namespace, dotted] = splitKey(change.key);
        const [top, ...rest] = dotted.split(".");
        const fullTop = `${namespace}:${top}`;
        const stored = storedValue(String(change.value));
        if (rest.length === 0) {
            values[fullTop] = String(change.value);
            continue;
        }
        const root = values[fullTop] === undefined ? {} : JSON.parse(values[fullTop]);
        let node: Record<string, unknown> = root;
        for (const segment of rest.slice(0, -1)) {
            if (typeof node[segment] !== "object" || node[segment] === null) node[segment] = {};
            node = node[segment] as Record<string, unknown>;
        }
        node[rest[rest.length - 1]] = stored;
        values[fullTop] = JSON.stringify(root);
    }
    return { values, secretKeys: config.secretKeys };
}

export function splitKey(fullKey: string): [string, string] {
    const colon = fullKey.indexOf(":");
    if (colon <= 0) throw new Error(`config key ${fullKey} has no namespace`);
    return [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}
