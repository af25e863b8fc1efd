/**
 * A stack reference as the Pulumi CLI reads one from a Pulumi Cloud backend, and what it refuses, in its own words:
 * `<stack>`, `<org>/<stack>` or `<org>/<project>/<stack>`, an empty org or project inferred (the default organization,
 * Pulumi.yaml's project); more parts are refused, and so is a stack name tokens.ParseStackName refuses (pulumi/pulumi
 * pkg/backend/httpstate/backend.go parseStackName and ParseStackReference; sdk/go/common/tokens/stack_name.go), and a
 * project other than Pulumi.yaml's (pkg/backend/backend.go CurrentProjectContradictsWorkspace).
 */

export interface StackReference {
    /** Undefined when the reference names none (`prod`, or `/prod`): the CLI's default organization. */
    organization?: string;
    project?: string;
    name: string;
}

/** What the CLI says of a stack name (the part after the last `/`), or undefined when it takes it. */
export function stackNameProblem(name: string): string | undefined {
    if (name === "") return "a stack name may not be empty";
    // Go's len: bytes, as the position below is.
    const bytes = Buffer.from(name, "utf8");
    if (bytes.length > 100) return "a stack name cannot exceed 100 characters";
    const invalid = name.search(/[^A-Za-z0-9_.-]/);
    if (invalid === -1) return undefined;
    const position = Buffer.byteLength(name.slice(0, invalid), "utf8");
    return `a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character ${goQuotedByte(bytes[position])} at position ${position}`;
}

/** `reference` as the CLI reads it in the folder of the project `project`; throws what the CLI would say when it refuses it. */
export function parseStackReference(reference: string, project: string): StackReference {
    const parts = reference.split("/");
    if (parts.length > 3) throw new Error(`could not parse stack name '${reference}'`);
    const name = parts[parts.length - 1];
    const problem = stackNameProblem(name);
    if (problem) throw new Error(problem);
    const organization = parts.length > 1 && parts[0] !== "" ? parts[0] : undefined;
    const named = parts.length === 3 && parts[1] !== "" ? parts[1] : undefined;
    if (named !== undefined && named !== project) throw new Error(`provided project name "${named}" doesn't match Pulumi.yaml`);
    return { organization, project: named, name };
}

/** A byte as Go's %q prints it (strconv.QuoteRune of its value: escapes for what unicode.IsPrint refuses). */
function goQuotedByte(byte: number): string {
    const escapes: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 39: "\\'", 92: "\\\\" };
    if (escapes[byte]) return `'${escapes[byte]}'`;
    if (byte < 0x20 || byte === 0x7f) return `'\\x${byte.toString(16).padStart(2, "0")}'`;
    if ((byte >= 0x80 && byte <= 0xa0) || byte === 0xad) return `'\\u00${byte.toString(16)}'`;
    return `'${String.fromCharCode(byte)}'`;
}
