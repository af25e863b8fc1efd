/** The image tool's arguments: its usage and what is wrong with a command line, without loading what the commands use. */
import { argumentProblem, shownArgument, unknownOption } from "../build/usage";

export const USAGE = "usage: npm run --silent image -- <stack> [--json | --missing | --present] | build <stack> | provenance | promote <from> <to> [--running <file>]";

const SUBCOMMANDS = ["build", "provenance", "promote"];
const STACK_OPTIONS = ["--json", "--missing", "--present"];

/** What is wrong with the arguments, named, or undefined: the tool then prints it with the usage and exits 2. */
export function usageProblem(argv: readonly string[]): string | undefined {
    const [command, ...rest] = argv;
    const isValue = (arg: string | undefined): arg is string => arg !== undefined && !arg.startsWith("-");
    if (command === "build") return rest.length === 1 && isValue(rest[0]) ? undefined : `build needs one stack: npm run image -- build <stack> (got ${rest.map(shownArgument).join(" ") || "none"})`;
    if (command === "provenance") return rest.length === 0 ? undefined : `provenance takes no arguments (got ${rest.map(shownArgument).join(" ")})`;
    if (command === "promote") {
        const [from, to, option, file, ...extra] = rest;
        if (!isValue(from) || !isValue(to)) return "promote needs the stack to promote from and the stack to promote to: npm run image -- promote <from> <to>";
        if (option === undefined) return undefined;
        if (!option.startsWith("-")) return `unexpected ${rest.slice(2).map(shownArgument).join(" ")} after promote ${shownArgument(from)} ${shownArgument(to)}`;
        if (option !== "--running") return `${unknownOption(option)} (promote takes --running <file>)`;
        if (file === undefined || file.startsWith("--")) return `--running needs a file: ${shownArgument(from)}'s \`pulumi stack output --json\``;
        return extra.length > 0 ? `unexpected ${extra.map(shownArgument).join(" ")} after --running ${shownArgument(file)}` : undefined;
    }
    const options = argv.filter((a) => a.startsWith("-"));
    const stacks = argv.filter((a) => !a.startsWith("-"));
    const unknown = argumentProblem(options, { flags: STACK_OPTIONS });
    if (unknown) return unknown;
    if (stacks.length === 0) return "which stack? npm run --silent image -- <stack>";
    const misplaced = stacks.slice(1).find((a) => SUBCOMMANDS.includes(a));
    if (misplaced === "provenance") return "provenance takes no stack: npm run --silent image -- provenance";
    if (misplaced === "build") return `build comes first: npm run image -- build ${shownArgument(stacks[0])}`;
    if (misplaced) return `${misplaced} comes first: npm run image -- promote <from> <to>`;
    const twoStacks = argumentProblem(stacks, { positional: "stack" });
    if (twoStacks) return twoStacks;
    return options.length > 1 ? `one of ${STACK_OPTIONS.join(", ")} at a time (got ${options.map(shownArgument).join(", ")})` : undefined;
}
