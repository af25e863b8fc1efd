/**
 * Reads what a stack's comment is made of from files: the preview JSON and event log the workflow wrote, this
 * checkout's stack file and image inputs (head), and the same files with the price table from the pull request's base commit.
 */
import * as fs from "fs";
import * as path from "path";
import { readStackFileAt } from "../../config/stackFile";
import { SettingsError } from "../../config/errors";
import { estimateFromConfig } from "../cost";
import { imageChanges } from "../image/packageChanges";
import { parsePolicyEvents, parsePreviewDigest } from "../preview/digest";
import { PRICE_TABLE_FILE, PriceTable, loadPriceTable } from "../prices/table";
import { CommentInput } from "./render";

export interface CommentFiles {
    stack: string;
    /** `pulumi preview --json` output. */
    preview: string;
    /** `pulumi preview --event-log` output; a missing file means findings unknown. */
    events?: string;
    /** The head checkout: Pulumi.<stack>.yaml, app/package-lock.json, app/Dockerfile. */
    headRoot: string;
    /** The same paths from the base commit; a stack file missing there is a new stack. */
    baseRoot?: string;
    runUrl?: string;
    /** The pull request's head commit: the push the preview shows (it runs on that commit's merge with the base). */
    commit?: string;
}

const IMAGE_INPUTS = ["app/package-lock.json", "app/Dockerfile"] as const;

export function commentInputFromFiles(files: CommentFiles, prices: PriceTable): CommentInput {
    const previewText = read(files.preview);
    // The CLI prints no JSON when it stops before the engine runs (a login, a missing stack): say so rather than no comment.
    const preview =
        previewText.trim() === ""
            ? { diagnostics: [{ severity: "error", message: "pulumi preview printed no JSON: it stopped before the engine ran; its error is in the workflow run's log" }] }
            : parsePreviewDigest(previewText, files.preview);
    const policyEvents = files.events && fs.existsSync(files.events) ? parsePolicyEvents(read(files.events), files.events) : undefined;
    const head = stackEstimate(path.join(files.headRoot, `Pulumi.${files.stack}.yaml`), files.stack, prices);
    let base: ReturnType<typeof stackEstimate> | undefined;
    let basePriceTable: ReturnType<typeof basePrices> | undefined;
    if (files.baseRoot) {
        const baseFile = path.join(files.baseRoot, `Pulumi.${files.stack}.yaml`);
        basePriceTable = basePrices(files.baseRoot, prices);
        base = fs.existsSync(baseFile) ? stackEstimate(baseFile, files.stack, basePriceTable.table) : { error: `the base commit has no Pulumi.${files.stack}.yaml (a new stack)` };
    }
    const baseRoot = files.baseRoot;
    const missingFromBase = baseRoot ? IMAGE_INPUTS.filter((f) => !fs.existsSync(path.join(baseRoot, f))) : [];
    const image: CommentInput["image"] = !baseRoot
        ? { unknown: "no base commit given" }
        : missingFromBase.length > 0
          ? { unknown: `the base commit has no ${missingFromBase.join(" or ")}` }
          : imageChanges(
                { lock: read(path.join(baseRoot, IMAGE_INPUTS[0])), dockerfile: read(path.join(baseRoot, IMAGE_INPUTS[1])) },
                { lock: read(path.join(files.headRoot, IMAGE_INPUTS[0])), dockerfile: read(path.join(files.headRoot, IMAGE_INPUTS[1])) },
            );
    return {
        stack: files.stack,
        commit: files.commit,
        preview,
        policyEvents,
        cost: {
            ...("error" in head ? { headError: head.error } : { head: head.estimate, traffic: head.traffic }),
            ...(base && "estimate" in base ? { base: base.estimate } : {}),
            ...(base && "error" in base ? { baseError: base.error } : files.baseRoot ? {} : { baseError: "no base commit given" }),
            ...(basePriceTable?.error ? { basePricesError: basePriceTable.error } : {}),
        },
        image,
        runUrl: files.runUrl,
    };
}

/**
 * The base is priced with its own price table, so a pull request that refreshes the prices shows what that changes;
 * a base without one is priced with the head's, and so is one the head cannot read (an older format), saying why.
 */
function basePrices(baseRoot: string, head: PriceTable): { table: PriceTable; error?: string } {
    const file = path.join(baseRoot, PRICE_TABLE_FILE);
    if (!fs.existsSync(file)) return { table: head };
    try {
        return { table: loadPriceTable(file) };
    } catch (err) {
        return { table: head, error: (err as Error).message.split("\n")[0] };
    }
}

function stackEstimate(file: string, stack: string, prices: PriceTable) {
    try {
        const { config, secretKeys } = readStackFileAt(file);
        return estimateFromConfig(config, secretKeys, stack, prices);
    } catch (err) {
        // The base's settings may not pass the head's schema (a new required key): its cost is then unknown, not an error.
        const message = SettingsError.isInstance(err) ? err.message.split("\n").slice(0, 4).join(" ") : (err as Error).message;
        return { error: message };
    }
}

function read(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
}
