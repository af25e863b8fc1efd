/** A base and a head estimate side by side: per line, both figures and the change; lines only one side has count as 0 on the other. */
import { CostEstimate, CostLine } from "./model";

export interface CostRow {
    cloud: CostLine["cloud"];
    key: string;
    item: string;
    baseUsd: number;
    headUsd: number;
    deltaUsd: number;
}

export interface CostComparison {
    rows: CostRow[];
    baseTotalUsd: number;
    headTotalUsd: number;
    deltaUsd: number;
    /** The head's prices: how old, and whether transcribed by hand. */
    pricesAsOf: string;
    pricesTranscribed: boolean;
    /** The base's, when they differ from the head's (a pull request that refreshes the price table). */
    basePrices?: { asOf: string; transcribed: boolean };
}

export function compareCosts(base: CostEstimate | undefined, head: CostEstimate): CostComparison {
    const id = (l: CostLine) => `${l.cloud} ${l.key}`;
    const baseLines = new Map((base?.lines ?? []).map((l) => [id(l), l]));
    const headLines = new Map(head.lines.map((l) => [id(l), l]));
    const rows: CostRow[] = [];
    for (const key of new Set([...baseLines.keys(), ...headLines.keys()])) {
        const b = baseLines.get(key);
        const h = headLines.get(key);
        const baseUsd = b?.usd ?? 0;
        const headUsd = h?.usd ?? 0;
        rows.push({ cloud: (h ?? b)!.cloud, key: (h ?? b)!.key, item: itemOf(b, h), baseUsd, headUsd, deltaUsd: headUsd - baseUsd });
    }
    const baseTotalUsd = base?.totalUsd ?? 0;
    return {
        rows,
        baseTotalUsd,
        headTotalUsd: head.totalUsd,
        deltaUsd: head.totalUsd - baseTotalUsd,
        pricesAsOf: head.pricesAsOf,
        pricesTranscribed: head.pricesTranscribed,
        ...(base && (base.pricesAsOf !== head.pricesAsOf || base.pricesTranscribed !== head.pricesTranscribed) ? { basePrices: { asOf: base.pricesAsOf, transcribed: base.pricesTranscribed } } : {}),
    };
}

/** The head's label; where the base's differs (other settings in its parentheses), what it was too. */
function itemOf(base: CostLine | undefined, head: CostLine | undefined): string {
    if (!base || !head || base.item === head.item) return (head ?? base)!.item;
    const was = /\(([^)]*)\)$/.exec(base.item)?.[1];
    return was ? `${head.item}, was ${was}` : head.item;
}

/** Dollars to cents, always signed for a change: "+$1.23", "-$0.40", "$0.00". */
export function usd(amount: number, signed = false): string {
    const cents = Math.round(amount * 100) / 100;
    const text = `$${Math.abs(cents).toFixed(2)}`;
    if (!signed || cents === 0) return cents < 0 ? `-${text}` : text;
    return `${cents > 0 ? "+" : "-"}${text}`;
}
