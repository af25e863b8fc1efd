/** The cost lines `npm run plan` prints: `--cost` for one stack, and under `--vs` the two stacks side by side. */
import { readServiceStackFileAt, readStackFile } from "../../config/stackFile";
import { loadPriceTable } from "../prices/table";
import { compareCosts, estimateFromConfig, renderCostComparisonText, renderCostText } from "./index";

function estimateOf(stack: string, file?: string) {
    const { config, secretKeys } = file ? readServiceStackFileAt(file, stack) : readStackFile(stack);
    return estimateFromConfig(config, secretKeys, stack, loadPriceTable());
}

export function costReport(stack: string, file?: string): string {
    const { estimate, traffic } = estimateOf(stack, file);
    return [`Monthly cost of stack "${stack}" (list prices; review/cost/model.ts):`, ...renderCostText(estimate, traffic)].join("\n");
}

/** `left` is the base (-), `right` the head (+), as in the resource diff above it. */
export function costComparisonReport(left: { stack: string; file?: string }, right: { stack: string; file?: string }): string {
    const base = estimateOf(left.stack, left.file);
    const head = estimateOf(right.stack, right.file);
    return [`Monthly cost: stack "${left.stack}" -> stack "${right.stack}":`, ...renderCostComparisonText(compareCosts(base.estimate, head.estimate), left.stack, right.stack)].join("\n");
}
