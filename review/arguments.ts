/** `npm run review`'s arguments: its usage and how a command line reads, without loading what the comment is made with. */
import * as fs from "fs";
import { existingStackFile } from "../config/stackFile";

export const USAGE = "usage: npm run review -- comment <stack> --preview <preview.json> [--events <events.jsonl>] [--base <dir>] [--run-url <url>] [--commit <sha>] [--summary <file>]";

export function parseArgs(argv: readonly string[]) {
    const [command, stack, ...rest] = argv;
    if (command === undefined) throw new Error(`which command? (comment)\n${USAGE}`);
    if (command !== "comment") throw new Error(`unknown command ${command} (the one command is comment)\n${USAGE}`);
    if (!stack || stack.startsWith("-")) throw new Error(`which stack? npm run review -- comment <stack> ...\n${USAGE}`);
    // preview.yml previews a stack of this commit; a name without its stack file here is a misspelling, whose comment
    // would show a stack nobody has under a marker no other run edits.
    existingStackFile(stack);
    const options: Record<string, string> = {};
    for (let i = 0; i < rest.length; i += 2) {
        const [flag, value] = [rest[i], rest[i + 1]];
        if (!flag.startsWith("-")) {
            const hint = rest.includes("--preview") ? "" : ` (a preview file goes after --preview: --preview ${flag})`;
            throw new Error(`unexpected argument ${flag}${hint}\n${USAGE}`);
        }
        if (!["--preview", "--events", "--base", "--run-url", "--commit", "--summary"].includes(flag)) throw new Error(`unknown option ${flag}\n${USAGE}`);
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value\n${USAGE}`);
        // One comment per stack and preview: a second value would silently replace the first.
        if (options[flag.slice(2)] !== undefined) throw new Error(`${flag} is given twice\n${USAGE}`);
        options[flag.slice(2)] = value;
    }
    if (!options.preview) throw new Error(`--preview is required\n${USAGE}`);
    // preview.yml always makes the folder, leaving out what the base lacks (a new stack); a folder that is not there
    // is a wrong path, and read as "the base has no stack file" it would report a new stack.
    if (options.base !== undefined && !fs.statSync(options.base, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--base must be a folder holding the base commit's files (${options.base} is not one)\n${USAGE}`);
    if (options.commit !== undefined && !/^[0-9a-f]{7,40}$/.test(options.commit)) throw new Error(`--commit must be a commit SHA (got ${options.commit})\n${USAGE}`);
    return { stack, preview: options.preview, events: options.events, baseRoot: options.base, runUrl: options["run-url"], commit: options.commit, summary: options.summary };
}

export type ReviewArgs = ReturnType<typeof parseArgs>;
