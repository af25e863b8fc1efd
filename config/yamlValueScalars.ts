import { Document, Pair, Range, Scalar, isPair, visit } from "yaml";

/**
 * Each scalar a YAML document holds as a value (a mapping's value or a sequence's item, not a key), with the range it
 * is written at and its key path (keyPath below): what the readers of values the Pulumi CLI reads otherwise visit.
 */
export function visitValueScalars(document: Document, each: (node: Scalar & { range: Range }, path: () => string) => void): void {
    visit(document, {
        Scalar(key, node, ancestors) {
            if ((key !== "value" && typeof key !== "number") || !node.range) return;
            each(node as Scalar & { range: Range }, () => keyPath(ancestors, key));
        },
    });
}

/** The key path of a value in the stack file, from under `config:` (`multicloud-service:service.cache.maxEntries`). */
function keyPath(ancestors: readonly unknown[], last: number | "value"): string {
    const keys = ancestors.filter(isPair).map((pair) => String((pair as Pair<Scalar>).key?.value));
    const path = (keys[0] === "config" ? keys.slice(1) : keys).join(".");
    return typeof last === "number" ? `${path}[${last}]` : path;
}
