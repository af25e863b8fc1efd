/** Prints `usage` and answers true when the arguments ask for help (`-h` or `--help`): the tool then exits 0. */
export function printedUsageOnRequest(argv: readonly string[], usage: string): boolean {
    if (!argv.includes("-h") && !argv.includes("--help")) return false;
    console.log(usage);
    return true;
}
