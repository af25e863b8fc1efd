import { shellArgument, shellWord } from "../../components/shellWord";

/** What one `pulumi import` records: the stack, the resource's type, name and ID, and where it sits. */
export interface PulumiImport {
    stack: string;
    type: string;
    name: string;
    /** Undefined: the command ends in `<id>`, for the reader to fill in. */
    id: string | undefined;
    /** `--parent` and `--provider` take a URN, or `name=urn` (import.go parseResourceSpec). */
    parent?: string;
    provider?: string;
    /** Flags that take no value from the caller, such as `--yes`, written as given. */
    switches?: readonly string[];
}

/**
 * One `pulumi import` command line, as a POSIX shell and the CLI read it: the type, name, ID, parent and provider
 * single-quoted (a URN's `$`, a name's spaces and quotes reach the CLI as written), the flags first, and a "--" before
 * the type, name and ID when one begins with "-": the CLI's flag parser (spf13/pflag flag.go parseArgs) reads any such
 * word as a flag, quoted or not, until a "--" (pulumi/pulumi pkg/cmd/pulumi/operations/import.go reads the rest as
 * `<type> <name> <id>`).
 */
export function pulumiImportCommand(p: PulumiImport): string {
    const words = [p.type, p.name, ...(p.id === undefined ? [] : [p.id])];
    return [
        "pulumi import",
        `--stack ${shellArgument(p.stack)}`,
        ...(p.switches ?? []),
        ...(p.parent ? [`--parent ${shellWord(p.parent)}`] : []),
        ...(p.provider ? [`--provider ${shellWord(p.provider)}`] : []),
        ...(words.some((word) => word.startsWith("-")) ? ["--"] : []),
        ...words.map(shellWord),
        ...(p.id === undefined ? ["<id>"] : []),
    ].join(" ");
}
