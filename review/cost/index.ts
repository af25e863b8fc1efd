/** What the offline plan and the pull-request comment read: the estimate of one stack file, base vs head. */
import { RawStackConfig, parseStackSettings } from "../../config";
import { PriceTable } from "../prices/table";
import { CostEstimate, estimateMonthlyCost } from "./model";
import { TrafficNote } from "./traffic";

export { compareCosts, usd, CostComparison, CostRow } from "./compare";
export { estimateMonthlyCost, CostEstimate, CostLine } from "./model";
export { renderCostText, renderCostComparisonText } from "./text";
export { trafficNote, TrafficNote } from "./traffic";

/** A stack's config (full keys to strings, as a stack file holds them), validated by the program's own schema, priced. */
export function estimateFromConfig(config: Record<string, string>, secretKeys: Iterable<string>, stack: string, prices: PriceTable): { estimate: CostEstimate; traffic: TrafficNote } {
    const raw: RawStackConfig = { values: config, secretKeys: new Set(secretKeys) };
    const settings = parseStackSettings(raw, stack);
    return { estimate: estimateMonthlyCost(settings, prices), traffic: settings.cost.assumedTraffic };
}
