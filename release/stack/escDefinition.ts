/**
 * The YAML definition ESC answers for the release state environment, checked for the shape the release reads and
 * writes: a mapping whose `values.pulumiConfig` (each optional) is a mapping. Anything else (a definition edited by hand
 * into another shape, or a page some proxy answered in ESC's place) is refused naming the environment: read as it is,
 * it was an empty state, and a write sent it back unchanged and reported success.
 */
import { parse } from "yaml";
import { isPlainObject } from "../../config/plainObject";

export function parseEscDefinition(text: string, name: string): Record<string, any> {
    let definition: unknown;
    try {
        definition = parse(text);
    } catch (err) {
        // The yaml package's YAMLParseError, or a ReferenceError for an alias without its anchor.
        throw new Error(`release state: ${name} answered a definition that is not YAML (${(err as Error).message.split("\n")[0]}); ${look(name)}`);
    }
    if (definition === null || definition === undefined) return {};
    if (!isPlainObject(definition)) throw notMapping(name, "the definition", definition);
    if (definition.values === null || definition.values === undefined) return definition;
    if (!isPlainObject(definition.values)) throw notMapping(name, "values", definition.values);
    const config = definition.values.pulumiConfig;
    if (config !== null && config !== undefined && !isPlainObject(config)) throw notMapping(name, "values.pulumiConfig", config);
    return definition;
}

const look = (name: string) => `\`pulumi env get ${name}\` shows what the environment holds (a proxy between here and Pulumi Cloud may have answered instead of ESC)`;

function notMapping(name: string, what: string, value: unknown): Error {
    const found = Array.isArray(value) ? "a list" : typeof value === "string" ? `the text ${JSON.stringify(value.slice(0, 60))}${value.length > 60 ? "…" : ""}` : `${typeof value} ${String(value)}`;
    return new Error(`release state: ${what} in ${name} is ${found}, not a mapping of keys; the release reads and writes its state under values.pulumiConfig: ${look(name)}`);
}
