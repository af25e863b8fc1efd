/** The cost estimate as plain text, for `npm run plan -- <stack> --cost` and `--vs`. */
import { TrafficNote, trafficNote } from "./traffic";
import { CostComparison, usd } from "./compare";
import { CostEstimate } from "./model";
import { pricesProvenance } from "../prices/table";

export function renderCostText(estimate: CostEstimate, traffic: TrafficNote): string[] {
    const width = Math.max(...estimate.lines.map((l) => l.item.length));
    return [
        ...estimate.lines.map((l) => `  ${l.cloud}  ${l.item.padEnd(width)}  ${usd(l.usd).padStart(10)}  (${formatQuantity(l.quantity)} ${l.unit}${l.note ? `; ${l.note}` : ""})`),
        `  ${"total per month".padEnd(width + 5)}  ${usd(estimate.totalUsd).padStart(10)}`,
        `  prices ${pricesProvenance(estimate.pricesAsOf, estimate.pricesTranscribed)} (review/prices.json); traffic assumed: ${trafficNote(traffic)}`,
        `  not counted: ${estimate.notCounted.join("; ")}`,
    ];
}

export function renderCostComparisonText(comparison: CostComparison, baseStack: string, headStack: string): string[] {
    const width = Math.max(...comparison.rows.map((r) => r.item.length));
    return [
        `  ${"".padEnd(width + 5)}  ${baseStack.padStart(10)}  ${headStack.padStart(10)}  ${"change".padStart(10)}`,
        ...comparison.rows.map((r) => `  ${r.cloud}  ${r.item.padEnd(width)}  ${usd(r.baseUsd).padStart(10)}  ${usd(r.headUsd).padStart(10)}  ${usd(r.deltaUsd, true).padStart(10)}`),
        `  ${"total per month".padEnd(width + 5)}  ${usd(comparison.baseTotalUsd).padStart(10)}  ${usd(comparison.headTotalUsd).padStart(10)}  ${usd(comparison.deltaUsd, true).padStart(10)}`,
        `  prices ${pricesProvenance(comparison.pricesAsOf, comparison.pricesTranscribed)} (review/prices.json)`,
    ];
}

export function formatQuantity(n: number): string {
    if (n === 0) return "0";
    if (Number.isInteger(n)) return n.toLocaleString("en-US");
    return Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : Number(n.toPrecision(4)).toString();
}
