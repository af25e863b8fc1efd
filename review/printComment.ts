/** The pull-request comment of `npm run review -- comment`: cli.ts answers the arguments first, and loads this module only to print one. */
import * as fs from "fs";
import { PROJECT_ROOT } from "../config/stackFile";
import { commentInputFromFiles } from "./comment/inputs";
import { STEP_SUMMARY_LIMIT, renderComment, renderWithin } from "./comment/render";
import { loadPriceTable } from "./prices/table";
import { ReviewArgs } from "./arguments";

/** Prints the stack's comment (and appends the summary); a failure is printed here and answers 1. */
export function printComment(args: ReviewArgs): number {
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
