const isHelp = (arg: string) => arg === "-h" || arg === "--help";

/**
 * An argument as a refusal shows it: quoted when it is empty or starts or ends with white space, or holds a control
 * character (an unset variable passed as "$STACK" is ""), which would otherwise show as nothing or as another word.
 */
export const shownArgument = (arg: string) => (arg === "" || /^\s|\s$|[\u0000-\u001f\u007f]/.test(arg) ? JSON.stringify(arg) : arg);

const UNKNOWN_OPTION = "unknown option ";

/** How every tool names an option it does not take (shown as shownArgument shows it): answeredArguments answers it even beside -h. */
export const unknownOption = (option: string) => `${UNKNOWN_OPTION}${shownArgument(option)}`;

/** Whether a tool's problem is unknownOption's, whatever the option and whatever the tool adds after it. */
const namesUnknownOption = (problem: string) => problem.startsWith(UNKNOWN_OPTION);

/**
 * What is wrong with the arguments of a tool that takes only the given flags and at most one positional argument
 * (`positional` names it; none when unset), or undefined when nothing is: the tool prints it with its usage and exits
 * 2, doing nothing.
 */
export function argumentProblem(argv: readonly string[], accepts: { flags?: readonly string[]; positional?: string }): string | undefined {
    const unknown = argv.find((arg) => arg.startsWith("-") && !accepts.flags?.includes(arg));
    if (unknown) return unknownOption(unknown);
    const positionals = argv.filter((arg) => !arg.startsWith("-"));
    if (positionals.length > 0 && !accepts.positional) return `unknown argument ${shownArgument(positionals[0])}`;
    if (positionals.length > 1) return `one ${accepts.positional} at a time (got ${positionals.map(shownArgument).join(", ")})`;
    return undefined;
}

/** A parser that throws on a wrong command line, as a check answeredArguments takes: the thrown message, or undefined. */
export function thrownProblem(parse: (argv: readonly string[]) => unknown): (argv: readonly string[]) => string | undefined {
    return (argv) => {
        try {
            parse(argv);
            return undefined;
        } catch (err) {
            return (err as Error).message;
        }
    };
}

/**
 * Answers a tool's arguments before it does anything, in the order of a tool on node:util parseArgs (strict): that
 * throws ERR_PARSE_ARGS_UNKNOWN_OPTION for an option it was not told of, wherever it stands, before the tool reads its
 * help flag, and leaves the rest (which stack, how many, what goes together) to the tool, after help. So an unknown
 * option is named even beside -h; otherwise -h or --help prints the usage and answers 0 before any other problem.
 * 2 once a wrong argument was named (with the usage, on stderr, as `<tool>: <problem>`), undefined when the tool
 * should go on. The check never sees -h or --help.
 */
export function answeredArguments(tool: string, argv: readonly string[], usage: string, accepts: { flags?: readonly string[]; positional?: string } | ((argv: readonly string[]) => string | undefined)): 0 | 2 | undefined {
    const helpAsked = argv.some(isHelp);
    const rest = argv.filter((arg) => !isHelp(arg));
    const problem = typeof accepts === "function" ? accepts(rest) : argumentProblem(rest, accepts);
    if (problem !== undefined && (!helpAsked || namesUnknownOption(problem))) {
        console.error(`${tool}: ${problem}\n${usage}`);
        return 2;
    }
    if (!helpAsked) return undefined;
    console.log(usage);
    return 0;
}
