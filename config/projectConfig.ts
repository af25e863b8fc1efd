import * as fs from "fs";
import * as path from "path";
import { readYamlFile } from "./yamlFile";

/**
 * The `config:` block of the Pulumi.yaml beside a stack file, as the CLI applies it under the stack's own values
 * (pulumi/pulumi pkg/workspace/config.go, mergeConfig): a key the stack file lacks takes the project's `default`, else
 * its `value`. A shorthand value is the project namespace's `default` and another namespace's `value`, and a key
 * without a namespace is the project's (sdk/go/common/workspace/project.go, RewriteShorthandConfigValues). Without
 * this, the offline tools read `aws:region: eu-west-1` set for every stack in Pulumi.yaml as the default region, where
 * `pulumi up` deploys to eu-west-1.
 */
export function projectConfigEntries(stackFile: string): Record<string, unknown> {
    const file = path.join(path.dirname(stackFile), "Pulumi.yaml");
    if (!fs.existsSync(file)) return {};
    const project = readYamlFile(file).document.toJS() as { name?: unknown; config?: unknown } | null;
    if (typeof project?.config !== "object" || project.config === null || typeof project.name !== "string") return {};
    const entries: Record<string, unknown> = {};
    for (const [key, declared] of Object.entries(project.config as Record<string, unknown>)) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        const value = declaredValue(declared);
        if (value !== undefined) entries[fullKey] = value;
    }
    return entries;
}

function declaredValue(declared: unknown): unknown {
    if (declared === null || typeof declared !== "object" || Array.isArray(declared)) return declared ?? undefined;
    const typed = declared as { default?: unknown; value?: unknown };
    return typed.default ?? typed.value;
}
