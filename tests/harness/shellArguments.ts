import { execFileSync } from "child_process";

/** A shell to run commands in: its program and arguments, and lines it runs first (such as `set -H`). */
export interface Shell {
    argv: readonly string[];
    setup?: string;
}

/** dash here (/bin/sh): the POSIX shell a reader's `sh` is. */
export const POSIX_SH: Shell = { argv: ["sh"] };

/**
 * bash as an interactive one reads a pasted line: with history expansion (`!`), which bash does only with history on
 * (bash(1), HISTORY EXPANSION: "enabled by default for interactive shells"); `set -o history -H` turns both on for a
 * script, so `!!` in a word the quoting left open fails with "event not found" as at a prompt.
 */
export const INTERACTIVE_BASH: Shell = { argv: ["bash", "--norc", "--noprofile"], setup: "set -o history -H" };

/**
 * For each of `commands`, the arguments `program` gets when `shell` runs them, one a line, as one script read from its
 * standard input: one process however many commands. The program stands in as a function that prints its argument
 * count and each argument, NUL-terminated (no argument can hold a NUL).
 */
export function argumentsTheShellPassesEach(program: string, commands: readonly string[], shell: Shell = POSIX_SH): string[][] {
    const script = [shell.setup ?? "", `${program}() { printf '%s\\0' "$#" "$@"; }`, ...commands, ""].join("\n");
    const printed = execFileSync(shell.argv[0], shell.argv.slice(1), { input: script, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] }).split("\0");
    const each: string[][] = [];
    for (let at = 0; at < printed.length - 1; ) {
        const count = Number(printed[at]);
        each.push(printed.slice(at + 1, at + 1 + count));
        at += 1 + count;
    }
    if (each.length !== commands.length) {
        throw new Error(`${shell.argv.join(" ")} ran ${program} ${each.length} times for ${commands.length} commands: a command's quoting ran into the next line`);
    }
    return each;
}
