import * as pulumi from "@pulumi/pulumi";

/** One broken rule: the full config key (`multicloud-service:service.cache.maxEntries`), the value, the rule. */
export interface SettingsProblem {
    key: string;
    message: string;
}

/** A rule that spans several keys, broken: the path of the key it names (`["gcp", "minInstances"]`) and the rule. */
export interface CrossFieldIssue {
    path: string[];
    message: string;
}

/**
 * Bad stack settings. A RunError, so the Pulumi CLI prints the message alone, without a stack trace: the
 * message lists every problem, one a line.
 */
export class SettingsError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: SettingsProblem[],
    ) {
        super(
            `Stack "${stack}" has ${problems.length} invalid setting${problems.length === 1 ? "" : "s"}; nothing was deployed:\n` +
                problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n"),
        );
        this.name = "SettingsError";
    }

    /**
     * True for a SettingsError from any copy of this module, as Pulumi's own `RunError.isInstance`: the program
     * runs from its bundle (bin/index.js) while the tools that catch its errors are bundled separately.
     */
    static isInstance(value: unknown): value is SettingsError {
        return pulumi.RunError.isInstance(value) && value.name === "SettingsError" && Array.isArray((value as Partial<SettingsError>).problems);
    }
}

/** `service.cache.maxEntries` from a path, with array indexes as `[2]`. */
export function dottedPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((text, segment) => {
        if (typeof segment === "number") return `${text}[${segment}]`;
        return text === "" ? String(segment) : `${text}.${String(segment)}`;
    }, "");
}

/**
 * A short rendering of an offending value; long ones are cut at `maxLength` characters so a huge value cannot flood the
 * output (a cloud's answer may show more of itself than a setting does).
 */
export function describeValue(value: unknown, maxLength = 60): string {
    if (value === undefined) return "nothing";
    // JSON has no Infinity or NaN: JSON.stringify writes them as null.
    const text = typeof value === "number" && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
    return text.length > maxLength ? `${text.slice(0, maxLength - 3)}... (${text.length} characters)` : text;
}

/** The value at `path` inside `root`, or undefined where the path leaves the objects. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let current = root;
    for (const segment of path) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return current;
}

/** The closest known key, for "did you mean" hints on typos. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const key of known) {
        const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
        if (distance <= Math.max(2, Math.floor(key.length / 4)) && (!best || distance < best.distance)) {
            best = { key, distance };
        }
    }
    return best?.key;
}

function editDistance(a: string, b: string): number {
    if (Math.abs(a.length - b.length) > 3) return Infinity;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
