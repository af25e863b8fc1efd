import { isAlias, parseDocument, visit } from "yaml";

/**
 * What ESC's YAML decoder reports for a definition before it evaluates anything, in its words: it refuses every
 * alias node with the error "alias nodes are not supported" (pulumi/esc syntax/encoding/yaml.go, UnmarshalYAML's
 * `case yaml.AliasNode`), and the environment is not saved. Also the YAML's own syntax errors.
 */
export function escDecodeErrors(text: string): string[] {
    const document = parseDocument(text);
    const errors = document.errors.map((e) => e.message);
    visit(document, {
        Alias(_, node, path) {
            const keys = path.filter((p) => "key" in p && p.key).map((p) => String((p as { key: unknown }).key));
            if (isAlias(node)) errors.push(`${keys.join(".")}: alias nodes are not supported`);
        },
    });
    return errors;
}
