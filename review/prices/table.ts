/**
 * The price table kept in the repository (review/prices.json): per region, each figure's list price per unit, the
 * date it was read and the URL it was read from. `npm run prices` rewrites it (review/prices/refresh.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { PROJECT_ROOT } from "../../config/stackFile";

/** The price table's path in a checkout. */
export const PRICE_TABLE_FILE = path.join("review", "prices.json");
export const PRICE_TABLE_PATH = path.join(PROJECT_ROOT, PRICE_TABLE_FILE);

/** Every figure the cost model reads, per cloud; the refresh fills exactly these. */
export const AWS_FIGURES = [
    "lambda.request",
    "lambda.gbSecond.arm64",
    "lambda.gbSecond.x86_64",
    "stepFunctions.stateTransition",
    "logs.ingestedGB",
    "logs.storedGBMonth",
    "alarms.metricMonth",
    "s3.standardGBMonth",
] as const;
export const GCP_FIGURES = [
    "run.request",
    "run.vcpuSecond",
    "run.gibSecond",
    "run.idleVcpuSecond",
    "run.idleGibSecond",
    "logging.ingestedGiB",
    "storage.standardGiBMonth",
    "monitoring.alertConditionMonth",
] as const;
export type AwsFigure = (typeof AWS_FIGURES)[number];
export type GcpFigure = (typeof GCP_FIGURES)[number];

const figureSchema = z.strictObject({
    usd: z.number().min(0),
    unit: z.string().min(1),
    asOf: z.iso.date({ error: "must be a date such as 2026-12-02" }),
    source: z.url({ protocol: /^https$/, error: "must be the https URL the figure was read from" }),
    how: z.string().min(1),
    /** Written by hand from the providers' price pages, not read from their price APIs by `npm run prices`. */
    transcribed: z.literal(true).optional(),
});
export type PriceFigure = z.infer<typeof figureSchema>;

const regionKey = /^(aws|gcp):[a-z0-9-]+$/;
const tableSchema = z.strictObject({
    currency: z.literal("USD"),
    about: z.string(),
    regions: z.record(z.string().regex(regionKey, { error: "must be aws:<region> or gcp:<region>" }), z.record(z.string(), figureSchema)),
});
export type PriceTable = z.infer<typeof tableSchema>;

/** Validates a price table, naming every bad entry and every figure a region lacks. */
export function parsePriceTable(value: unknown, where = "review/prices.json"): PriceTable {
    const parsed = tableSchema.safeParse(value);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
        throw new Error(`${where} is not a price table:\n  - ${problems.join("\n  - ")}`);
    }
    const missing: string[] = [];
    for (const [region, figures] of Object.entries(parsed.data.regions)) {
        const expected: readonly string[] = region.startsWith("aws:") ? AWS_FIGURES : GCP_FIGURES;
        for (const name of expected) if (!(name in figures)) missing.push(`${region} ${name}`);
    }
    if (missing.length > 0) throw new Error(`${where} lacks figures the cost model reads: ${missing.join(", ")} (npm run prices)`);
    return parsed.data;
}

export function loadPriceTable(file = PRICE_TABLE_PATH): PriceTable {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`cannot read the price table ${file}: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (err) {
        throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
    }
    return parsePriceTable(json, path.relative(PROJECT_ROOT, file) || file);
}

/** One region's figures; a region the table lacks is an error that says how to add it. */
export function regionPrices<F extends string>(table: PriceTable, cloud: "aws" | "gcp", region: string): Record<F, PriceFigure> {
    const figures = table.regions[`${cloud}:${region}`];
    if (!figures) {
        const known = Object.keys(table.regions).filter((k) => k.startsWith(`${cloud}:`)).join(", ");
        throw new Error(`the price table has no ${cloud} prices for ${region} (it has ${known || "none"}): npm run prices -- --${cloud}-region ${region}`);
    }
    return figures as Record<F, PriceFigure>;
}

/** The oldest date of the figures used: what "prices as of" means for an estimate. */
export function oldestDate(figures: PriceFigure[]): string {
    return figures.map((f) => f.asOf).sort()[0] ?? "unknown";
}

/** Where an estimate's prices come from, for the plan and the pull-request comment. */
export function pricesProvenance(asOf: string, transcribed: boolean): string {
    return transcribed ? `as of ${asOf}, transcribed by hand from the price pages and not yet read from the price APIs (npm run prices reads them)` : `as of ${asOf}, read from the price APIs by npm run prices`;
}
