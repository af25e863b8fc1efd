/** The timestamps and !!binary scalars of Pulumi.yaml's `config:` as the Pulumi CLI reads them (gopkg.in/yaml.v3). */
import { Node, Pair, Scalar, YAMLMap, isMap, isScalar } from "yaml";
import { GoTimestamp, cliTimestampAsRfc3339 } from "./cliTimestamps";
import { visitValueScalars } from "./yamlValueScalars";

const TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";
const BINARY_TAG = "tag:yaml.org,2002:binary";

/** What Go's base64.StdEncoding.DecodeString takes once it has dropped \r and \n: padded, no other characters. */
const GO_STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Project.json's attributes of a declaration that have a type (configTypeDeclaration); `default` and `value` have none. */
const TYPED_ATTRIBUTES = new Set(["type", "items", "description", "secret"]);

/**
 * The RFC 3339 text of a scalar yaml.v3 hands an interface{} as a time.Time (resolve.go: a plain one parseTimestamp
 * takes, or any under !!timestamp), or undefined.
 */
function timestampOf(node: Scalar): string | undefined {
    if (node.tag === TIMESTAMP_TAG) return cliTimestampAsRfc3339(node.source ?? "");
    return node.type === Scalar.PLAIN && !node.tag ? cliTimestampAsRfc3339(String(node.source ?? node.value)) : undefined;
}

/**
 * The config keys holding a timestamp where project.json checks a type: the entry itself (`x: 2024-01-02`) or a
 * declaration's `description`, `secret`, `type` or `items`. santhosh-tekuri/jsonschema v5.0.0's jsonType panics on a
 * time.Time (InvalidJSONTypeError), Schema.Validate recovers it as its error, and ValidateProject (pulumi/pulumi
 * sdk/go/common/workspace/project.go) returns it in place of every other: the CLI says only
 * "could not validate 'Pulumi.yaml': jsonschema: invalid jsonType: time.Time". Under `default`, `value` and in a list
 * (no type) it passes.
 */
export function timestampsTheSchemaRefuses(config: YAMLMap): string[] {
    const keys: string[] = [];
    for (const { key, value } of config.items as Pair<Scalar, Node>[]) {
        const checked = isMap(value) ? value.items.filter((pair) => TYPED_ATTRIBUTES.has(String((pair.key as Scalar)?.value))).map((pair) => pair.value) : isScalar(value) ? [value] : [];
        let found = false;
        for (const node of checked) {
            if (isScalar(node)) found ||= timestampOf(node) !== undefined;
            else if (node) visitValueScalars(node as Node, (scalar) => (found ||= timestampOf(scalar) !== undefined));
        }
        if (found) keys.push(String(key?.value));
    }
    return keys;
}

/**
 * Sets each timestamp of `config:` to a GoTimestamp and each !!binary scalar to its base64-decoded text, as yaml.v3
 * hands them on (decode.go scalar). Returns one line per !!binary scalar the CLI refuses ("!!binary value contains
 * invalid base64 data") or that decodes to bytes that are not UTF-8 text.
 */
export function readTimestampsAndBinaryAsTheCli(config: YAMLMap): string[] {
    const refused: string[] = [];
    const each = (node: Scalar, keyPath: () => string) => {
        const timestamp = timestampOf(node);
        if (timestamp !== undefined) node.value = new GoTimestamp(timestamp);
        if (node.tag !== BINARY_TAG) return;
        const written = (node.source ?? "").replace(/[\r\n]/g, "");
        if (!GO_STD_BASE64.test(written)) {
            refused.push(`${keyPath()} is written !!binary ${node.source}, which the Pulumi CLI refuses ("yaml: !!binary value contains invalid base64 data"): write padded base64, or drop the tag if it is text`);
            return;
        }
        try {
            node.value = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(written, "base64"));
        } catch {
            // The CLI takes the bytes as a Go string; whether a program gets them intact was not settled from source.
            refused.push(`${keyPath()} is written !!binary ${node.source}, which decodes to bytes that are not UTF-8 text: a setting is text, so write the text itself`);
        }
    };
    visitValueScalars(config, each);
    return refused;
}

/** A declaration's value as the CLI hands it on: each time.Time as json.Marshal writes it (createConfigValue). */
export function withTimestampsAsText(value: unknown): unknown {
    if (value instanceof GoTimestamp) return value.rfc3339;
    if (Array.isArray(value)) return value.map(withTimestampsAsText);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTimestampsAsText(v)]));
    return value;
}
