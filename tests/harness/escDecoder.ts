import { isAlias, parseDocument, visit } from "yaml";

/**
 * What ESC's YAML decoder reports for a definition before it evaluates anything, as the summaries of its diagnostics: it
 * refuses every alias node with the summary "alias nodes are not supported" (pulumi/esc syntax/encoding/yaml.go,
 * UnmarshalYAML's `case yaml.AliasNode`), and the environment is not saved. The node's path is the diagnostic's own
 * field (syntax.Diagnostic's Path), not part of its summary, and an API diagnostic carries range, summary, detail and
 * severity only (pulumi/esc cmd/esc/cli/client/apitype.go, EnvironmentDiagnostic; the CLI's test server's mapDiags in
 * cmd/esc/cli/cli_test.go copies the summary as it is). Also the YAML's own syntax errors (in the yaml package's words,
 * not go-yaml's: none of the definitions here has one).
 */
export function escDecodeErrors(text: string): string[] {
    const document = parseDocument(text);
    const errors = document.errors.map((e) => e.message);
    visit(document, {
        Alias(_, node) {
            if (isAlias(node)) errors.push("alias nodes are not supported");
        },
    });
    return errors;
}
