/**
 * A config value as the CLI hands it to a program: text as it is, anything else as its JSON (pulumi/pulumi
 * sdk/go/common/resource/config/value.go, unmarshalValue: a value that is not text is kept as its JSON, which Value
 * answers). The offline tools read a stack file's values with it, and the release its state's.
 */
export function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
