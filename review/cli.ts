/**
 * `npm run review -- comment <stack> --preview <file> [--events <file>] [--base <dir>] [--run-url <url>] [--commit <sha>] [--summary <file>]`:
 * prints the stack's pull-request comment (Markdown). preview.yml runs it after `pulumi preview --json --event-log`,
 * with the base commit's stack file, price table and image inputs under <dir> at their repository paths, and
 * --summary $GITHUB_STEP_SUMMARY: the same report with every row, which the comment's notes on rows left out point to.
 */
import * as fs from "fs";
import { existingStackFile, PROJECT_ROOT } from "../config/stackFile";
import { commentInputFromFiles } from "./comment/inputs";
import { STEP_SUMMARY_LIMIT, renderComment, renderWithin } from "./comment/render";
import { loadPriceTable } from "./prices/table";
import { printedUsageOnRequest } from "../scripts/build/usage";

const USAGE = "usage: npm run review -- comment <stack> --preview <preview.json> [--events <events.jsonl>] [--base <dir>] [--run-url <url>] [--commit <sha>] [--summary <file>]";

function parseArgs(argv: string[]) {
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

function main(): number {
    if (printedUsageOnRequest(process.argv.slice(2), USAGE)) return 0;
    let args: ReturnType<typeof parseArgs>;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (err) {
        console.error(`review: ${(err as Error).message}`);
        return 2;
    }
    try {
        const { summary, ...files } = args;
        const input = commentInputFromFiles({ ...files, headRoot: PROJECT_ROOT }, loadPriceTable());
        // Set once the summary is written: whether it holds every row the comment may leave out.
        let summaryHasAll: boolean | undefined;
        // Where the comment's notes on rows left out point: nowhere once the summary could not be written.
        let runUrl = input.runUrl;
        if (summary !== undefined) {
            const written = renderWithin({ ...input, runUrl: undefined }, STEP_SUMMARY_LIMIT);
            try {
                // Appended, as GitHub's step summary file is shared by the step's commands.
                fs.appendFileSync(summary, written.body);
                summaryHasAll = !written.leftOut;
            } catch (err) {
                // The comment is what the pull request reads: it is still printed, without pointing at a summary that is not there.
                const warning = `--summary ${summary}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; the full report is not written, and the comment's notes on rows left out point to no summary`;
                console.error(`review: warning: ${warning}`);
                // On GitHub's runners, also an annotation on the run, where a line in the log goes unseen; on stderr, as
                // stdout is the comment (preview.yml writes it to a file).
                if (process.env.GITHUB_ACTIONS === "true") console.error(`::warning title=review::${warning}`);
                runUrl = undefined;
            }
        }
        process.stdout.write(renderComment({ ...input, runUrl, summaryHasAll }));
        return 0;
    } catch (err) {
        console.error(`review: ${(err as Error).message}`);
        return 1;
    }
}

process.exitCode = main();
