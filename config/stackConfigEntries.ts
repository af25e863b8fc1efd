import * as path from "path";
import { numbersTheCliReadsOtherwise } from "./cliNumbers";
import { tagsTheCliReadsOtherwise } from "./cliTags";
import { timestampsTheCliReadsOtherwise } from "./cliTimestamps";
import { namespacedKey } from "./projectDeclarations";
import { readYamlFile } from "./yamlFile";

/**
 * A stack file's `config:` entries as YAML values (objects stay objects), refusing a file that does not parse or that
 * holds a number, a timestamp or a tag the Pulumi CLI reads otherwise (cliNumbers.ts, cliTimestamps.ts, cliTags.ts).
 */
export function readStackConfigEntries(file: string): Record<string, unknown> {
    const { text, document: parsed } = readYamlFile(file);
    const misread = [...numbersTheCliReadsOtherwise(parsed, text), ...timestampsTheCliReadsOtherwise(parsed, text), ...tagsTheCliReadsOtherwise(parsed, text)];
    if (misread.length > 0) throw new Error(`${path.basename(file)}: ${misread.join("; ")}`);
    const document = parsed.toJS() as { config?: Record<string, unknown> } | null;
    return document?.config ?? {};
}

/** Whether a stack file imports ESC environments (`environment:`), whose `pulumiConfig` the CLI merges under its config. */
export function importsEnvironments(file: string): boolean {
    const document = readYamlFile(file).document.toJS() as { environment?: unknown } | null;
    return Array.isArray(document?.environment) ? document.environment.length > 0 : document?.environment != null;
}

/**
 * A stack file's keys as the CLI keys them: one without a namespace is the project's (`service:` is
 * `multicloud-service:service`; pulumi/pulumi sdk/go/common/workspace/loaders.go, stackConfigNamespacedWithProject).
 */
export function namespacedByProject(entries: Record<string, unknown>, projectName: string | undefined): Record<string, unknown> {
    if (projectName === undefined) return entries;
    return Object.fromEntries(Object.entries(entries).map(([key, value]) => [namespacedKey(projectName, key), value]));
}
