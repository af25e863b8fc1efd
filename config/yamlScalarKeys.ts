import { Document, LineCounter, Node, Scalar, isAlias, isDocument, isMap, isPair, isScalar, isSeq, visit } from "yaml";
import { cliNumber, plainScalarText } from "./cliNumbers";
import { goFloatText } from "./goFloatText";

/** Which file the key is in: the CLI refuses a top-level key of either in its own words, and a stack file's config key in others. */
export type YamlFileKind = "stack file" | "Pulumi.yaml";

const NULLS = ["", "~", "null", "Null", "NULL"];
const BOOLS: Record<string, boolean> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };

/**
 * The first scalar key of a parsed document that Go's yaml.v3 reads as no text (`1: x`, `true: x`, `null: x`,
 * `1.5: x`), which the `yaml` package here makes text ("1", "true", "", "1.5") and the CLI does not: yaml.v3 decodes
 * such a mapping into map[interface{}]interface{} (gopkg.in/yaml.v3 decode.go (*decoder).mapping, isStringMap), and
 * pulumi/pulumi refuses it at a file's top (sdk/go/common/workspace/project.go SimplifyMarshalledValue: "expected only
 * string keys, got '%s'"), takes no key of a stack file's config: then (loaders.go stackConfigNamespacedWithProject skips
 * a config that is no map[string]any, and config.ParseKey refuses every key not written <namespace>:<name>), and
 * deeper keys it as Go prints the value (config/object.go unmarshalObject, fmt.Sprintf("%v")): null is "<nil>", 010 is
 * "8". Undefined when there is none.
 */
export function scalarKeyTheCliReadsOtherwise(document: Document.Parsed, text: string, lines: LineCounter, kind: YamlFileKind): string | undefined {
    let found: string | undefined;
    visit(document, {
        Pair(_, pair, ancestry) {
            const key = isAlias(pair.key) ? pair.key.resolve(document) : pair.key;
            if (!isScalar(key)) return undefined;
            const goKey = goValueOf(key, text);
            if (goKey === undefined) return undefined;
            const written = (pair.key as Node).range ? text.slice((pair.key as Node).range![0], (pair.key as Node).range![1]).trim() : String(key.value);
            const line = (pair.key as Node).range ? `line ${lines.linePos((pair.key as Node).range![0]).line}: ` : "";
            found = `${line}the key ${written === "" ? "(empty)" : written} is ${goKey.type === "<nil>" ? "null" : `a Go ${goKey.type}`}, not text (the Pulumi CLI: ${cliWords(ancestry, goKey, kind)}): quote it ('${written}') or remove it`;
            return visit.BREAK;
        },
    });
    return found;
}

export interface GoValue {
    type: string;
    /** As Go's %v prints it. */
    printed: string;
}

/** What yaml.v3 makes of a scalar (resolve.go) decoded into interface{}, when it is not a string; undefined when it is one. */
export function goValueOf(key: Scalar, text: string): GoValue | undefined {
    const written = plainScalarText(key, text);
    if (written === undefined) return undefined;
    if (NULLS.includes(written)) return { type: "<nil>", printed: "<nil>" };
    if (written in BOOLS) return { type: "bool", printed: String(BOOLS[written]) };
    const number = cliNumber(written);
    // ±.inf and .nan: a float64 yaml.v3 resolves, which the CLI refuses only as a value.
    if (typeof number === "object" && "refused" in number) return { type: "float64", printed: number.refused };
    if (typeof number !== "number") return undefined;
    const integer = /^[-+]?(0[xXoObB][-+]?)?[0-9a-fA-F_]+$/.test(written) && !/^[-+]?[0-9_]*[eE]/.test(written) && Number.isInteger(number);
    if (integer && Math.abs(number) > Number.MAX_SAFE_INTEGER) return { type: number > 0 && number > 2 ** 63 - 1 ? "uint64" : "int", printed: "…" };
    return integer ? { type: "int", printed: String(number) } : { type: "float64", printed: goFloatText(number) };
}

/** The CLI's words for a non-text key where it is. */
function cliWords(ancestry: readonly unknown[], key: GoValue, kind: YamlFileKind): string {
    const maps = ancestry.filter((node) => isMap(node) || isSeq(node));
    const atTop = maps.length === 1 && isDocument(ancestry[0]);
    const simplify = `"${kind === "Pulumi.yaml" ? "could not validate 'Pulumi.yaml': " : ""}expected only string keys, got '%!s(${key.type === "<nil>" ? "<nil>" : `${key.type}=${key.printed}`})'"`;
    if (atTop) return simplify;
    const underConfig = maps.length === 2 && isPairNamed(ancestry[ancestry.length - 2], "config") && kind === "stack file";
    if (underConfig) return `"could not unmarshal map: could not parse … as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)", naming this or another key of config:`;
    return `a key made the text Go's %v prints for it, "${key.printed}"`;
}

function isPairNamed(node: unknown, name: string): boolean {
    return isPair(node) && isScalar(node.key) && node.key.value === name;
}
