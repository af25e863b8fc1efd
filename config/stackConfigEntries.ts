import * as path from "path";
import { numbersTheCliReadsOtherwise } from "./cliNumbers";
import { tagsTheCliReadsOtherwise } from "./cliTags";
import { timestampsTheCliReadsOtherwise } from "./cliTimestamps";
import { namespacedKey } from "./configKeys";
import { configThatIsNoMapping } from "./stackConfigShape";
import { readYamlFile } from "./yamlFile";
import { StackFileRefusal } from "./stackFileRefusal";

/** A stack file's `config:` entries, and whether it imports ESC environments, from one read of the file. */
export interface StackConfigEntries {
    /** As YAML values (objects stay objects). */
    entries: Record<string, unknown>;
    /** Whether the file imports ESC environments (`environment:`), whose `pulumiConfig` the CLI merges under its config. */
    importsEnvironments: boolean;
}

/**
 * A stack file's `config:` entries, refusing a file that does not parse or that holds a number, a timestamp or a tag
 * the Pulumi CLI reads otherwise (cliNumbers.ts, cliTimestamps.ts, cliTags.ts), whose top or `config:` is no mapping
 * (yamlTopMapping.ts, stackConfigShape.ts), or with a key that is no text (yamlScalarKeys.ts).
 */
export function readStackConfigEntries(file: string): StackConfigEntries {
    const { text, document: parsed, lines, value } = readYamlFile(file, "stack file");
    const notAMapping = configThatIsNoMapping(parsed, lines, value);
    if (notAMapping) throw new StackFileRefusal(`${path.basename(file)}: ${notAMapping}`);
    const misread = [...numbersTheCliReadsOtherwise(parsed, text), ...timestampsTheCliReadsOtherwise(parsed, text), ...tagsTheCliReadsOtherwise(parsed, text)];
    if (misread.length > 0) throw new StackFileRefusal(`${path.basename(file)}: ${misread.join("; ")}`);
    const document = value as { config?: Record<string, unknown>; environment?: unknown } | null;
    const environment = document?.environment;
    return { entries: document?.config ?? {}, importsEnvironments: Array.isArray(environment) ? environment.length > 0 : environment != null };
}

/**
 * A stack file's keys as the CLI keys them: one without a namespace is the project's (`service:` is
 * `multicloud-service:service`; pulumi/pulumi sdk/go/common/workspace/loaders.go, stackConfigNamespacedWithProject).
 */
export function namespacedByProject(entries: Record<string, unknown>, projectName: string | undefined): Record<string, unknown> {
    if (projectName === undefined) return entries;
    return Object.fromEntries(Object.entries(entries).map(([key, value]) => [namespacedKey(projectName, key), value]));
}
