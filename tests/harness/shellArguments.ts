import { execFileSync } from "child_process";

/** The arguments `program` gets when a POSIX shell (sh) runs `command`: the program stands in as a function that prints them. */
export function argumentsTheShellPasses(program: string, command: string): string[] {
    const printed = execFileSync("sh", ["-c", `${program}() { printf '%s\\0' "$@"; }; ${command}`], { encoding: "utf8" });
    return printed.split("\0").slice(0, -1);
}
