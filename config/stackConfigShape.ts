import { Document, LineCounter, Node, isAlias, isScalar, isSeq } from "yaml";

const CLI_MAP_TYPE = "map[string]config.Value";

/**
 * A stack file's `config:` that is not a mapping of keys to values (nor empty), which the Pulumi CLI refuses, in its
 * words; undefined when it is one. The CLI reads the file into a Go value, writes it out again and reads that into
 * ProjectStack, whose Config (config.Map) takes only a mapping (pulumi/pulumi sdk/go/common/workspace/loaders.go
 * LoadProjectStackBytes; sdk/go/common/resource/config/map.go (*Map).UnmarshalYAML "could not unmarshal map: %w";
 * gopkg.in/yaml.v3 decode.go (*decoder).terror "cannot unmarshal %s%s into %s"; sdk/go/common/encoding/marshal.go
 * "invalid YAML file: %w"). Its "line N" is of the file as written out again, so it is left out here. The `yaml`
 * package reads such a value as keys: the text abc as 0, 1, 2, a sequence by its indexes, a number as none.
 * `documentValue` is the document made a value once (readYamlFile's value).
 */
export function configThatIsNoMapping(document: Document.Parsed, lines: LineCounter, documentValue: unknown): string | undefined {
    const written = document.get("config", true) as Node | undefined;
    const config = isAlias(written) ? written.resolve(document) : written;
    if (config === undefined || (isScalar(config) && config.value === null)) return undefined;
    const value = (documentValue as { config?: unknown } | null)?.config;
    if (value instanceof Set || value instanceof Map) {
        // !!set and !!omap: the CLI reads them as a plain mapping (its keys without values) and a sequence.
        return `${at(written, lines)}config: is tagged ${config.tag?.replace("tag:yaml.org,2002:", "!!")}, which the offline reader reads otherwise than the Pulumi CLI: drop the tag`;
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)) return undefined;
    const [what, cliTag] = isSeq(config) ? ["a sequence", "!!seq"] : described(value, isScalar(config) ? (config.source ?? "") : "");
    return (
        `${at(written, lines)}config: is ${what}, not a mapping of keys to values (the Pulumi CLI: "invalid YAML file: could not unmarshal map: ` +
        `yaml: unmarshal errors: … cannot unmarshal ${cliTag} into ${CLI_MAP_TYPE}"): write each setting as key: value on its own line under config:, or remove config:`
    );
}

/** What a scalar `config:` is, and yaml.v3's tag and value for it where they are settled (decode.go terror shortens past 10 bytes). */
function described(value: unknown, source: string): [string, string] {
    if (typeof value === "string") return [`the text ${JSON.stringify(value)}`, `!!str \`${value.length > 10 ? `${value.slice(0, 7)}...` : value}\``];
    if (typeof value === "boolean") return [`the boolean ${value}`, `!!bool \`${value}\``];
    // A plain decimal integer reads, is written out and reads again as itself; another number is Go's float text then.
    if (typeof value === "number" && /^[-+]?(0|[1-9][0-9]*)$/.test(source) && Number.isSafeInteger(value)) return [`the number ${source}`, `!!int \`${value}\``];
    return [`the scalar ${source}`, "…"];
}

function at(node: Node | undefined, lines: LineCounter): string {
    return node?.range ? `line ${lines.linePos(node.range[0]).line}: ` : "";
}
