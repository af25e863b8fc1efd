import { Document, Node, Pair, Range, Scalar, isDocument, isPair, visit } from "yaml";

/**
 * Each scalar a YAML document (or one node of it) holds as a value (a mapping's value or a sequence's item, not a key),
 * with the range it is written at and its key path (keyPath below): what the readers of values the Pulumi CLI reads
 * otherwise visit.
 */
export function visitValueScalars(document: Document | Node, each: (node: Scalar & { range: Range }, path: () => string) => void): void {
    visit(document, {
        Scalar(key, node, ancestors) {
            if ((key !== "value" && typeof key !== "number") || !node.range) return;
            each(node as Scalar & { range: Range }, () => keyPath(ancestors, key));
        },
    });
}

/**
 * The key path of a value, from under a document's `config:` (`multicloud-service:service.cache.maxEntries`), or from
 * the node visited.
 */
function keyPath(ancestors: readonly unknown[], last: number | "value"): string {
    const keys = ancestors.filter(isPair).map((pair) => String((pair as Pair<Scalar>).key?.value));
    const path = (isDocument(ancestors[0]) && keys[0] === "config" ? keys.slice(1) : keys).join(".");
    return typeof last === "number" ? `${path}[${last}]` : path;
}
