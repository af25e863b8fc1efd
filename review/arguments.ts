/** `npm run review`'s arguments: its usage and how a command line reads, without loading what the comment is made with. */
import * as fs from "fs";
import { existingStackFile } from "../config/stackFileNames";
import { shownArgument, thrownProblem, unknownOption } from "../scripts/build/usage";

export const USAGE = "usage: npm run review -- comment <stack> --preview <preview.json> [--events <events.jsonl>] [--base <dir>] [--run-url <url>] [--commit <sha>] [--summary <file>]";

const OPTIONS = ["--preview", "--events", "--base", "--run-url", "--commit", "--summary"];

export function parseArgs(argv: readonly string[]) {
    const [command, stack, ...rest] = argv;
    if (command === undefined) throw new Error(`which command? (comment)`);
    // An option review takes, before the command: not unknown, only out of place.
    if (command.startsWith("-")) throw new Error(OPTIONS.includes(command) ? `which command? (comment): ${command} goes after comment <stack>` : unknownOption(command));
    if (command !== "comment") throw new Error(`unknown command ${shownArgument(command)} (the one command is comment)`);
    if (!stack || stack.startsWith("-")) throw new Error(`which stack? npm run review -- comment <stack> ...`);
    // preview.yml previews a stack of this commit; a name without its stack file here is a misspelling, whose comment
    // would show a stack nobody has under a marker no other run edits.
    existingStackFile(stack);
    const options: Record<string, string> = {};
    for (let i = 0; i < rest.length; i += 2) {
        const [flag, value] = [rest[i], rest[i + 1]];
        if (!flag.startsWith("-")) {
            const hint = rest.includes("--preview") ? "" : ` (a preview file goes after --preview: --preview ${shownArgument(flag)})`;
            throw new Error(`unexpected argument ${shownArgument(flag)}${hint}`);
        }
        if (!OPTIONS.includes(flag)) throw new Error(unknownOption(flag));
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
        // One comment per stack and preview: a second value would silently replace the first.
        if (options[flag.slice(2)] !== undefined) throw new Error(`${flag} is given twice`);
        options[flag.slice(2)] = value;
    }
    if (!options.preview) throw new Error(`--preview is required`);
    // preview.yml always makes the folder, leaving out what the base lacks (a new stack); a folder that is not there
    // is a wrong path, and read as "the base has no stack file" it would report a new stack.
    if (options.base !== undefined) checkBaseFolder(options.base);
    if (options.commit !== undefined && !/^[0-9a-f]{7,40}$/.test(options.commit)) throw new Error(`--commit must be a commit SHA (got ${shownArgument(options.commit)})`);
    return { stack, preview: options.preview, events: options.events, baseRoot: options.base, runUrl: options["run-url"], commit: options.commit, summary: options.summary };
}

/** A --base that is not a folder, or that cannot be looked at (a name too long, a folder not readable), named as --base's. */
function checkBaseFolder(base: string): void {
    const refusal = (why: string) => new Error(`--base must be a folder holding the base commit's files (${shownArgument(base)} ${why})`);
    let stats: fs.Stats | undefined;
    try {
        stats = fs.statSync(base, { throwIfNoEntry: false });
    } catch (err) {
        throw refusal(`cannot be looked at: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!stats?.isDirectory()) throw refusal("is not one");
}

export type ReviewArgs = ReturnType<typeof parseArgs>;

/** What is wrong with the arguments, named, or undefined (scripts/build/usage.ts answeredArguments). */
export const usageProblem = thrownProblem(parseArgs);
