/**
 * Figures from Google's Cloud Billing Catalog API (cloud.google.com/billing/docs/reference/rest/v1/services/list and
 * services.skus/list): `services[]` with `name` (services/<id>) and `displayName`; per service `skus[]` with
 * `description`, `category.usageType` (OnDemand), `serviceRegions` and `pricingInfo[].pricingExpression` (`usageUnit`,
 * `tieredRates[]` of `startUsageAmount` and `unitPrice` {currencyCode, units, nanos}); both paged by `nextPageToken`.
 */
import { GcpFigure } from "./table";

export const CLOUD_BILLING = "https://cloudbilling.googleapis.com/v1";

/**
 * Which SKU each figure is: its service, a description pattern (and what to leave out), and the unit it must be in.
 * Cloud Run's SKUs carry the billing mode since Google renamed them in 2025: the service bills by request
 * (cpu_idle), so "Services CPU (Request-based billing)" and not "... (Instance-based billing) in <region>"; a tier-2
 * region's are "Services CPU Tier 2  (Request-based billing)"; `serviceRegions` picks the region's. "Requests" is
 * listed under `global`.
 */
export const GCP_RULES: Record<GcpFigure, { service: string; description: RegExp; not?: RegExp; usageUnit: string; global?: boolean }> = {
    "run.request": { service: "Cloud Run", description: /^Requests$/i, usageUnit: "count", global: true },
    "run.vcpuSecond": { service: "Cloud Run", description: /^Services CPU (Tier \d+ +)?\(Request-based billing\)/i, usageUnit: "s" },
    "run.gibSecond": { service: "Cloud Run", description: /^Services Memory (Tier \d+ +)?\(Request-based billing\)/i, usageUnit: "GiBy.s" },
    "run.idleVcpuSecond": { service: "Cloud Run", description: /^Services Min Instance CPU\b.*\(Request-based/i, usageUnit: "s" },
    "run.idleGibSecond": { service: "Cloud Run", description: /^Services Min Instance Memory\b.*\(Request-based/i, usageUnit: "GiBy.s" },
    "logging.ingestedGiB": { service: "Cloud Logging", description: /^Log (Storage|Volume)/i, not: /Retention/i, usageUnit: "GiBy", global: true },
    "storage.standardGiBMonth": { service: "Cloud Storage", description: /^Standard Storage\b/i, not: /Multi|Dual/i, usageUnit: "GiBy.mo" },
    "monitoring.alertConditionMonth": { service: "Cloud Monitoring", description: /Alert(ing)? (Policy )?Condition/i, usageUnit: "mo", global: true },
};

export interface CatalogSku {
    name: string;
    skuId: string;
    description: string;
    category?: { usageType?: string };
    serviceRegions?: string[];
    pricingInfo: { effectiveTime?: string; pricingExpression: { usageUnit: string; tieredRates: { startUsageAmount?: number; unitPrice: { currencyCode: string; units?: string; nanos?: number } }[] } }[];
}

/** The service's ID for a display name, from services.list pages. */
export function serviceIdOf(displayName: string, services: { name: string; displayName: string }[]): string {
    const found = services.filter((s) => s.displayName === displayName);
    if (found.length !== 1) throw new Error(`the billing catalog lists ${found.length} services named "${displayName}"`);
    return found[0].name.replace(/^services\//, "");
}

/** The SKU's price per unit after any free tier: the first tier with a price above zero. */
export function gcpFigureFromSkus(figure: GcpFigure, skus: CatalogSku[], region: string): { usd: number; skuId: string } {
    const rule = GCP_RULES[figure];
    const matches = skus.filter(
        (s) =>
            rule.description.test(s.description) &&
            !(rule.not?.test(s.description) ?? false) &&
            (s.category?.usageType ?? "OnDemand") === "OnDemand" &&
            (s.serviceRegions ?? []).some((r) => r === region || (rule.global === true && r === "global")),
    );
    if (matches.length !== 1) {
        throw new Error(`${figure}: ${matches.length} ${rule.service} SKUs in ${region} match ${rule.description}${matches.length ? `: ${matches.map((s) => `${s.skuId} "${s.description}"`).join(", ")}` : ""}`);
    }
    const sku = matches[0];
    const expression = sku.pricingInfo[sku.pricingInfo.length - 1]?.pricingExpression;
    if (!expression) throw new Error(`${figure}: SKU ${sku.skuId} has no pricingInfo`);
    if (expression.usageUnit !== rule.usageUnit) throw new Error(`${figure}: SKU ${sku.skuId} is priced per ${expression.usageUnit}, not ${rule.usageUnit}`);
    // proto3 JSON leaves out a zero field: a price under a dollar may have no `units`, a whole one no `nanos`.
    const usdOf = (t: (typeof expression.tieredRates)[number]) => Number(t.unitPrice.units ?? 0) + (t.unitPrice.nanos ?? 0) / 1e9;
    const rate = [...expression.tieredRates].sort((a, b) => (a.startUsageAmount ?? 0) - (b.startUsageAmount ?? 0)).map(usdOf).find((usd) => usd > 0);
    if (rate === undefined) throw new Error(`${figure}: SKU ${sku.skuId} has no tier with a price`);
    if (expression.tieredRates.some((t) => t.unitPrice.currencyCode !== "USD")) throw new Error(`${figure}: SKU ${sku.skuId} is not priced in USD (ask with currencyCode=USD)`);
    return { usd: rate, skuId: sku.skuId };
}
