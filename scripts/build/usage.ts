/** Prints `usage` and answers true when the arguments ask for help (`-h` or `--help`): the tool then exits 0. */
export function printedUsageOnRequest(argv: readonly string[], usage: string): boolean {
    if (!argv.includes("-h") && !argv.includes("--help")) return false;
    console.log(usage);
    return true;
}

/**
 * What is wrong with the arguments of a tool that takes only the given flags and at most one positional argument
 * (`positional` names it; none when unset), or undefined when nothing is: the tool prints it with its usage and exits
 * 2, doing nothing.
 */
export function argumentProblem(argv: readonly string[], accepts: { flags?: readonly string[]; positional?: string }): string | undefined {
    const unknown = argv.find((arg) => arg.startsWith("-") && !accepts.flags?.includes(arg));
    if (unknown) return `unknown option ${unknown}`;
    const positionals = argv.filter((arg) => !arg.startsWith("-"));
    if (positionals.length > 0 && !accepts.positional) return `unknown argument ${positionals[0]}`;
    if (positionals.length > 1) return `one ${accepts.positional} at a time (got ${positionals.join(", ")})`;
    return undefined;
}

/**
 * Answers a tool's arguments before it does anything: 0 once `--help` printed the usage, 2 once a wrong argument was
 * named (with the usage, on stderr, as `<tool>: <problem>`), undefined when the tool should go on.
 */
export function answeredArguments(tool: string, argv: readonly string[], usage: string, accepts: { flags?: readonly string[]; positional?: string } | ((argv: readonly string[]) => string | undefined)): 0 | 2 | undefined {
    if (printedUsageOnRequest(argv, usage)) return 0;
    const problem = typeof accepts === "function" ? accepts(argv) : argumentProblem(argv, accepts);
    if (!problem) return undefined;
    console.error(`${tool}: ${problem}\n${usage}`);
    return 2;
}
