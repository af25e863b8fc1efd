import * as fs from "fs";
import * as path from "path";
import { emptyAsText } from "./cliEmptyValue";
import { configText } from "./configText";
import { mergedStackConfig } from "./mergedStackConfig";
import { holdsSecret, isSecure } from "./secureValue";
import { PROJECT_ROOT, existingStackFile, stackFilePath } from "./stackFileNames";

export { PROJECT_ROOT, existingStackFile, stackFilePath, stackNames } from "./stackFileNames";

export interface StackFileConfig {
    /** Full keys to the strings Pulumi would hand the program: objects as JSON. */
    config: Record<string, string>;
    /** Keys stored encrypted (`secure:`); offline they get a placeholder value, still marked secret. */
    secretKeys: string[];
}

/** Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program; clear errors when it cannot. */
export function readStackFile(stack: string, root = PROJECT_ROOT): StackFileConfig {
    return readStackFileAt(existingStackFile(stack, root));
}

/**
 * Reads a stack file at any path as a stack of the project in `projectFolder` (the Pulumi.yaml beside the file unless
 * named), under that Pulumi.yaml's config, as the CLI merges them. A file kept elsewhere that stands for a stack of this
 * repository's project names its folder: the Pulumi.yaml beside the file is not the one `pulumi up` would read; and the
 * stack's name, which the refusals name as the CLI would (the file's name, Pulumi.<stack>.yaml, unless given).
 */
export function readStackFileAt(file: string, projectFolder?: string, stack?: string): StackFileConfig {
    if (!fs.existsSync(file)) throw new Error(`no stack file at ${file}`);
    if (fs.statSync(file).isDirectory()) throw new Error(`${file} is a folder, not a stack file (Pulumi.<stack>.yaml)`);
    return fromStackDocument(mergedStackConfig(file, projectFolder, stack));
}

/** `npm run plan -- <stack> --file <file>`: the file, wherever it is kept, as `<stack>` of this project (PROJECT_ROOT's Pulumi.yaml). */
export function readServiceStackFileAt(file: string, stack: string): StackFileConfig {
    return readStackFileAt(file, PROJECT_ROOT, stack);
}

export function fromStackDocument(entries: Record<string, unknown>): StackFileConfig {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(entries)) {
        // A secret is encrypted with the stack's key, which the offline tools do not have: a placeholder stands for
        // it. One set with `--secret --path` sits inside an object, and makes the whole key a secret as the CLI hands
        // it over (pulumi/pulumi sdk/go/common/resource/config/map.go, object.go).
        config[key] = configText(emptyAsText(withPlaceholders(value, key)));
        if (holdsSecret(value)) secretKeys.push(key);
    }
    return { config, secretKeys };
}

function withPlaceholders(value: unknown, key: string): unknown {
    if (isSecure(value)) return `offline-placeholder-for-secret-${key.replace(/[^a-zA-Z0-9]/g, "-")}`;
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, `${key}.${k}`)] as const);
    return Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}
