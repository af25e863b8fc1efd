import { Document, LineCounter, Node, isAlias, isCollection, isSeq, visit } from "yaml";

/**
 * The first key of a parsed document that is a sequence or a mapping (`? [a, b]`, or an alias of one), which Go's
 * yaml.v3 refuses as the Pulumi CLI reads the file into a Go value (gopkg.in/yaml.v3 decode.go (*decoder).mapping:
 * failf("invalid map key: %#v"), made "invalid YAML file: …" by pulumi/pulumi sdk/go/common/encoding/marshal.go).
 * The `yaml` package here would make it a text key ("[ a, b ]") with a Node warning. Undefined when there is none.
 */
export function collectionKeyTheCliRefuses(document: Document.Parsed, text: string, lines: LineCounter): string | undefined {
    let found: string | undefined;
    visit(document, {
        Pair(_, pair) {
            const key = isAlias(pair.key) ? pair.key.resolve(document) : pair.key;
            if (!isCollection(key)) return undefined;
            const [start, end] = (pair.key as Node).range ?? [0, 0];
            found =
                `line ${lines.linePos(start).line}: the key ${text.slice(start, end).trim()} is a ${isSeq(key) ? "sequence" : "mapping"} ` +
                `(the Pulumi CLI: "invalid YAML file: yaml: invalid map key: …"): write the key as text`;
            return visit.BREAK;
        },
    });
    return found;
}
