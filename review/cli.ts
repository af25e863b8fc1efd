/**
 * `npm run review -- comment <stack> --preview <file> [--events <file>] [--base <dir>] [--run-url <url>] [--commit <sha>] [--summary <file>]`:
 * prints the stack's pull-request comment (Markdown). preview.yml runs it after `pulumi preview --json --event-log`,
 * with the base commit's stack file, price table and image inputs under <dir> at their repository paths, and
 * --summary $GITHUB_STEP_SUMMARY: the same report with every row, which the comment's notes on rows left out point to.
 */
import { answeredArguments } from "../scripts/build/usage";
import { USAGE, parseArgs, usageProblem } from "./arguments";

// The comment loads the Pulumi SDK and the settings' schema (about 0.3 s of CPU): --help and a wrong argument are answered before.
async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("review", argv, USAGE, usageProblem);
    if (answered !== undefined) return answered;
    const { printComment } = await import("./printComment");
    return printComment(parseArgs(argv));
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
