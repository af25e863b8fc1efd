/**
 * NODE_OPTIONS `existing` (the caller's, kept first) with `--require <file>` added. The path goes in double quotes:
 * Node splits NODE_OPTIONS at every space outside double quotes and, inside them, reads a backslash as escaping the
 * next character (src/node_options.cc, ParseNodeOptionsEnvVar), so a checkout under "/Users/Jane Doe/src" would
 * otherwise have Node preload "/Users/Jane" and exit.
 */
export function nodeOptionsRequiring(existing: string | undefined, file: string): string {
    return [existing, `--require "${file.replace(/[\\"]/g, "\\$&")}"`].filter(Boolean).join(" ");
}
