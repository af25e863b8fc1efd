import * as fs from "fs";
import * as path from "path";
import { YAMLMap } from "yaml";
import { numbersTheCliReadsOtherwise } from "./cliNumbers";
import { namespacedKey } from "./configKeys";
import { tagsTheCliReadsOtherwise } from "./cliTags";
import { floatShorthands, readNumbersAsTheCli } from "./projectConfigNumbers";
import { readTimestampsAndBinaryAsTheCli, timestampsTheSchemaRefuses, withTimestampsAsText } from "./projectConfigScalars";
import { inWords } from "./wordList";
import { ConfigDeclaration, checkedDeclarations } from "./projectDeclarations";
import { readYamlFile } from "./yamlFile";
import { StackFileRefusal } from "./stackFileRefusal";

/** Pulumi.yaml's name and its `config:` declarations, keyed as written, checked as the CLI checks them. */
export interface ProjectConfig {
    name: string;
    declarations: Record<string, ConfigDeclaration>;
}

/**
 * The Pulumi.yaml in `projectFolder`, or undefined where there is none. Refused where the CLI refuses it: its top no
 * mapping (yamlTopMapping.ts), a key that is no text (yamlScalarKeys.ts), no name
 * ("project is missing a 'name' attribute", pulumi/pulumi sdk/go/common/workspace/project.go ValidateProject), or a
 * `config:` entry projectDeclarations.ts names, its numbers, timestamps and !!binary scalars read as the CLI reads them
 * (projectConfigNumbers.ts, projectConfigScalars.ts). Then, as in a stack file, a number in `config:` that the CLI
 * reads as another value than it is written (cliNumbers.ts), or a tag it refuses (cliTags.ts), is refused.
 */
export function readProjectConfig(projectFolder: string): ProjectConfig | undefined {
    const file = path.join(projectFolder, "Pulumi.yaml");
    if (!fs.existsSync(file)) return undefined;
    const { text, document, value } = readYamlFile(file, "Pulumi.yaml");
    const project = value as { name?: unknown; config?: unknown } | null;
    if (typeof project?.name !== "string" || project.name === "") {
        throw new StackFileRefusal(`${file}: project is missing a non-empty string 'name' attribute (the Pulumi CLI refuses it): add name: <project> at its top`);
    }
    // A string `config:` is the old spelling of stackConfigDir (project.go RewriteConfigPathIntoStackConfigDir): no keys.
    if (typeof project.config !== "object" || project.config === null) return { name: project.name, declarations: {} };
    const config = document.get("config", true) as YAMLMap;
    const misread = numbersTheCliReadsOtherwise(config, text, { valuesReadAsTheCli: true });
    const floats = floatShorthands(config, text);
    // The CLI's order: what yaml.v3 cannot read, then the schema, then the declarations (loaders.go LoadProjectBytes).
    const unread = [...tagsTheCliReadsOtherwise(document, text, { binaryAndTimestampsRead: true }), ...readTimestampsAndBinaryAsTheCli(config)];
    if (unread.length > 0) throw new StackFileRefusal(`${path.basename(file)}: ${unread.join("; ")}`);
    refuseTimestampsTheSchemaRefuses(config, path.basename(file));
    readNumbersAsTheCli(config, text);
    const asTheCliReadsIt = (document.toJS() as { config: Record<string, unknown> }).config;
    const declarations = checkedDeclarations(path.basename(file), project.name, asTheCliReadsIt, floats);
    if (misread.length > 0) throw new StackFileRefusal(`${path.basename(file)}: ${misread.join("; ")}`);
    for (const declared of Object.values(declarations)) {
        declared.default = withTimestampsAsText(declared.default);
        declared.value = withTimestampsAsText(declared.value);
    }
    return { name: project.name, declarations };
}

/** The CLI's schema check stops at a timestamp where it checks a type, before any other (projectConfigScalars.ts). */
function refuseTimestampsTheSchemaRefuses(config: YAMLMap, fileName: string): void {
    const keys = timestampsTheSchemaRefuses(config);
    if (keys.length === 0) return;
    throw new StackFileRefusal(
        `${fileName}: the Pulumi CLI refuses it ("could not validate '${fileName}': jsonschema: invalid jsonType: time.Time"): ` +
            `config ${inWords(keys.map((k) => `'${k}'`))} ${keys.length > 1 ? "hold timestamps" : "holds a timestamp"} (an unquoted date such as 2024-01-02) where its schema checks a type: quote it if it is text`,
    );
}

/**
 * The `config:` block of a Pulumi.yaml (readProjectConfig), as the CLI applies it under the stack's own values
 * (pulumi/pulumi pkg/workspace/config.go, mergeConfig): a key the stack file lacks takes the project's `default`, else
 * its `value`. A shorthand value is the project namespace's `default` and another namespace's `value`, and a key
 * without a namespace is the project's (sdk/go/common/workspace/project.go, RewriteShorthandConfigValues). Without
 * this, the offline tools read `aws:region: eu-west-1` set for every stack in Pulumi.yaml as the default region, where
 * `pulumi up` deploys to eu-west-1.
 */
export function projectConfigEntries(project: ProjectConfig | undefined): Record<string, unknown> {
    if (!project) return {};
    const entries: Record<string, unknown> = {};
    for (const [key, declared] of Object.entries(project.declarations)) {
        const value = declared.default ?? declared.value;
        if (value !== undefined) entries[namespacedKey(project.name, key)] = value;
    }
    return entries;
}
