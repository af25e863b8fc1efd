import { spawn } from "child_process";
import { createInterface } from "readline";
import { buildFailureRemedy } from "./buildFailure";

/** How many of docker's last lines a failure names. */
const TAIL_LINES = 5;

/**
 * `docker <args>` with every line of its output handed to `onLine` as it comes: a build runs for minutes, and BuildKit
 * writes its steps to stderr as it goes (plain, one line per event, where stderr is not a terminal). A failure carries
 * the exit code and docker's last lines, and what to do where a line of the output names a cause that has a remedy
 * (buildFailureRemedy); a client that cannot start is named.
 */
export function dockerStreaming(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }, onLine: (line: string) => void): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn("docker", args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] }); // env: this process's when unset (spawn's default)
        const tail: string[] = [];
        let remedy: string | undefined;
        for (const stream of [child.stdout!, child.stderr!]) {
            createInterface({ input: stream }).on("line", (line) => {
                onLine(line);
                remedy ??= buildFailureRemedy(line);
                tail.push(line);
                if (tail.length > TAIL_LINES) tail.shift();
            });
        }
        const command = `docker ${args.slice(0, 2).join(" ")}`;
        child.on("error", (err) => reject(new Error(`${command}: ${err.message}`)));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${tail.join(" | ") || "docker printed nothing"}${remedy ? `. ${remedy}` : ""}`))));
    });
}
