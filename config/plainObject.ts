/** A value that is a map of named values: an object, not null, not an array. */
// Apart from errors.ts, which loads the Pulumi SDK: reading a stack file (and PROJECT_ROOT, which every tool uses) needs only this.
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
