import * as path from "path";
import { emptyAsText } from "./cliEmptyValue";
import { isProjectKey, namespacedKey } from "./configKeys";
import { fullTypeName, isOfType } from "./configTypes";
import { ProjectConfig } from "./projectConfig";
import { holdsSecret } from "./secureValue";
import { inWords } from "./wordList";
import { StackFileRefusal } from "./stackFileRefusal";

/** The text the CLI checks a value as (pkg/workspace/config.go validateStackConfigValue): an object or list as itself, else its string. */
function asTheCliChecksIt(value: unknown): unknown {
    const text = emptyAsText(value);
    return typeof text === "object" ? text : String(text);
}

/**
 * The stack's config merged with Pulumi.yaml's, refused where `pulumi preview` and `pulumi up` refuse it ("validating
 * stack config", pulumi/pulumi pkg/workspace/config.go mergeConfig and validateStackConfigValue): a key of the project
 * declared without a default or value and set nowhere, a typed `secret: true` key set in plain text (an untyped one is
 * not checked), a typed key whose value is not of its type. A stack that imports ESC environments may take a key from
 * their `pulumiConfig`, which is not read offline: there a missing key is left to the CLI. A secret's type is not
 * checked: its text is not known here.
 */
export function refuseStackAgainstProject(
    stackFile: string,
    stack: string,
    project: ProjectConfig,
    stackEntries: Record<string, unknown>,
    merged: Record<string, unknown>,
    importsEnvironments: boolean,
): void {
    const fileName = path.basename(stackFile);
    const problems: string[] = [];
    const missing: string[] = [];
    for (const key of Object.keys(project.declarations).sort()) {
        const declared = project.declarations[key];
        const fullKey = namespacedKey(project.name, key);
        if (!(fullKey in merged)) {
            if (isProjectKey(project.name, key) && !importsEnvironments) missing.push(key);
            continue;
        }
        // The CLI checks a key's secrecy and type only where it declares a type (config.go, IsExplicitlyTyped).
        if (declared.type === undefined) continue;
        const secret = holdsSecret(merged[fullKey]);
        const where = fullKey in stackEntries ? fileName : "Pulumi.yaml";
        if (declared.secret && !secret) {
            problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret: set it in ${fileName} with pulumi config set --secret ${fullKey} <value>`);
        }
        if (!secret && !isOfType(declared.type, declared.items, asTheCliChecksIt(merged[fullKey]))) {
            const typeName = fullTypeName(declared.type, declared.items);
            problems.push(`Stack '${stack}' with configuration key '${key}' must be of type '${typeName}' (its value in ${where} is not): change it, or the type in Pulumi.yaml`);
        }
    }
    if (missing.length > 0) {
        // config.go missingStackConfigurationKeysError: "Stack '%v' is missing configuration %v %v".
        const list = inWords(missing.map((key) => `'${key}'`));
        problems.unshift(
            `Stack '${stack}' is missing configuration value${missing.length === 1 ? "" : "s"} ${list}: Pulumi.yaml declares ${missing.length === 1 ? "it" : "them"} without a default. ` +
                `Set ${missing.length === 1 ? "it" : "each"} in ${fileName} (pulumi config set <key> <value>) or give ${missing.length === 1 ? "it" : "each"} a default in Pulumi.yaml`,
        );
    }
    if (problems.length > 0) throw new StackFileRefusal(`${fileName}: the Pulumi CLI refuses this stack's config: ${problems.join("; ")}`);
}
