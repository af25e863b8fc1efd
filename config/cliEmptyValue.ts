/**
 * A key with no value (`key:`, null) as the CLI hands it to the program and checks it against a declared type: empty
 * text (pulumi/pulumi sdk/go/common/workspace/loaders.go, checkForEmptyConfig: "This is currently treated as an empty
 * string"). Any other value is returned as it is.
 */
export function emptyAsText(value: unknown): unknown {
    return value === null || value === undefined ? "" : value;
}
