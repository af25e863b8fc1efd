import { Alias, Document, LineCounter, Node, Pair, isAlias, isMap, isPair, isScalar, isSeq, visit } from "yaml";

/**
 * The first alias or merge key of a parsed document that Go's yaml.v3 refuses for the Pulumi CLI, in its words, with
 * the line it is on; undefined when there is none. The `yaml` package here parses each without an error and throws
 * only when the document is made a value (toJS): a bare Error or ReferenceError, or, for an anchor that holds its own
 * alias, a circular value on which every later reader overflows the stack (RangeError).
 */
export function aliasTheCliRefuses(document: Document.Parsed, lines: LineCounter): string | undefined {
    const at = (node: Node | Pair) => `line ${lines.linePos(rangeOf(node)).line}`;
    let found: string | undefined;
    // Aliases first: yaml.v3 meets an unknown anchor as it parses, before it merges anything.
    visit(document, {
        Alias(_, alias, path) {
            const source = alias.resolve(document);
            // gopkg.in/yaml.v3 parserc.go/yaml.go (*parser).alias: "unknown anchor '%s' referenced".
            if (!source) found = `${at(alias)}: *${alias.source} has no anchor &${alias.source} before it (the Pulumi CLI: "yaml: unknown anchor '${alias.source}' referenced"): set the anchor before the alias, or write the value out`;
            // yaml.v3 decode.go (*decoder).alias: "anchor '%s' value contains itself".
            else if (path.includes(source)) found = `${at(alias)}: *${alias.source} stands inside the value of its own anchor &${alias.source} (the Pulumi CLI: "yaml: anchor '${alias.source}' value contains itself"): write the value out`;
            return found ? visit.BREAK : undefined;
        },
    });
    if (found) return found;
    visit(document, {
        Pair(_, pair) {
            if (!isScalar(pair.key) || typeof pair.key.value !== "symbol" || isMergeable(document, pair.value)) return undefined;
            // yaml.v3 decode.go (*decoder).merge → failWantMap.
            found = `${at(pair)}: a merge key (<<) takes a map, an alias of one, or a list of those (the Pulumi CLI: "yaml: map merge requires map or sequence of maps as the value"): merge a map, or write the keys out`;
            return visit.BREAK;
        },
    });
    return found;
}

/** What yaml.v3 merges: a map or an alias of one, or a sequence of those. */
function isMergeable(document: Document, value: unknown): boolean {
    const resolved = isAlias(value) ? (value as Alias).resolve(document) : value;
    if (isSeq(resolved)) return resolved.items.every((item) => isMap(isAlias(item) ? item.resolve(document) : item));
    return isMap(resolved);
}

function rangeOf(node: Node | Pair): number {
    const start = isPair(node) ? (node.key as Node | null)?.range?.[0] : node.range?.[0];
    return start ?? 0;
}
