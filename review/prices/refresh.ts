/**
 * Rebuilds the price table from the providers' price lists: the AWS Price List bulk API (no credentials) and Google's
 * Cloud Billing Catalog API (an API key with the Cloud Billing API enabled). Every figure gets today's date and the
 * URL it was read from. Nothing is written unless every figure of every region was found.
 */
import { answerExcerpt } from "../../components/answerExcerpt";
import { AWS_OFFER_URL, AWS_RULES, OfferFile, awsFigureFromOffer } from "./awsPriceList";
import { CLOUD_BILLING, CatalogSku, GCP_RULES, gcpFigureFromSkus, serviceIdOf } from "./gcpCatalog";
import { AWS_FIGURES, AwsFigure, GCP_FIGURES, GcpFigure, PriceFigure, PriceTable, parsePriceTable } from "./table";

export type FetchJson = (url: string) => Promise<unknown>;

export interface RefreshOptions {
    awsRegions: string[];
    gcpRegions: string[];
    /** Google's API key; without it the GCP figures cannot be read. */
    googleApiKey?: string;
    fetchJson: FetchJson;
    today: string;
    previous?: PriceTable;
}

export async function refreshPrices(o: RefreshOptions): Promise<PriceTable> {
    // Before any download: the AWS offer files are large, and a table with AWS figures alone is never written.
    if (o.gcpRegions.length > 0 && !o.googleApiKey) throw new Error("the GCP figures need an API key with the Cloud Billing API enabled: GOOGLE_API_KEY=<key> npm run prices");
    const regions: PriceTable["regions"] = {};
    for (const region of o.awsRegions) {
        const figures: Record<string, PriceFigure> = {};
        const offers = new Map<string, OfferFile>();
        for (const figure of AWS_FIGURES) {
            const offerCode = AWS_RULES[figure].offer;
            const url = AWS_OFFER_URL(offerCode, region);
            if (!offers.has(offerCode)) offers.set(offerCode, (await o.fetchJson(url)) as OfferFile);
            const usd = awsFigureFromOffer(figure, offers.get(offerCode)!, region);
            figures[figure] = { usd, unit: unitOf("aws", region, figure, o.previous), asOf: o.today, source: url, how: `AWS Price List bulk API, ${offerCode} ${offers.get(offerCode)!.publicationDate ?? ""}`.trim() };
        }
        regions[`aws:${region}`] = figures;
    }
    if (o.gcpRegions.length > 0) {
        const key = encodeURIComponent(o.googleApiKey!);
        const services = await pages<{ name: string; displayName: string }>(o.fetchJson, `${CLOUD_BILLING}/services?key=${key}`, "services");
        const skusOf = new Map<string, { id: string; skus: CatalogSku[] }>();
        for (const figure of GCP_FIGURES) {
            const service = GCP_RULES[figure].service;
            if (!skusOf.has(service)) {
                const id = serviceIdOf(service, services);
                skusOf.set(service, { id, skus: await pages<CatalogSku>(o.fetchJson, `${CLOUD_BILLING}/services/${id}/skus?currencyCode=USD&pageSize=5000&key=${key}`, "skus") });
            }
        }
        for (const region of o.gcpRegions) {
            const figures: Record<string, PriceFigure> = {};
            for (const figure of GCP_FIGURES) {
                const { id, skus } = skusOf.get(GCP_RULES[figure].service)!;
                const { usd, skuId } = gcpFigureFromSkus(figure, skus, region);
                figures[figure] = { usd, unit: unitOf("gcp", region, figure, o.previous), asOf: o.today, source: `${CLOUD_BILLING}/services/${id}/skus`, how: `Cloud Billing Catalog API, SKU ${skuId}` };
            }
            regions[`gcp:${region}`] = figures;
        }
    }
    return parsePriceTable({ currency: "USD", about: o.previous?.about ?? DEFAULT_ABOUT, regions }, "the refreshed table");
}

const DEFAULT_ABOUT = "List prices per unit, before free tiers, discounts and taxes. Refresh with `npm run prices` (review/prices/refresh.ts), which rewrites each figure with its date and the URL it was read from.";

const UNITS: Record<AwsFigure | GcpFigure, string> = {
    "lambda.request": "request",
    "lambda.gbSecond.arm64": "GB-second",
    "lambda.gbSecond.x86_64": "GB-second",
    "stepFunctions.stateTransition": "state transition",
    "logs.ingestedGB": "GB ingested",
    "logs.storedGBMonth": "GB-month",
    "alarms.metricMonth": "alarm metric-month",
    "s3.standardGBMonth": "GB-month",
    "run.request": "request",
    "run.vcpuSecond": "vCPU-second",
    "run.gibSecond": "GiB-second",
    "run.idleVcpuSecond": "vCPU-second",
    "run.idleGibSecond": "GiB-second",
    "logging.ingestedGiB": "GiB ingested",
    "storage.standardGiBMonth": "GiB-month",
    "monitoring.alertConditionMonth": "condition-month",
};

function unitOf(cloud: string, region: string, figure: AwsFigure | GcpFigure, previous?: PriceTable): string {
    return previous?.regions[`${cloud}:${region}`]?.[figure]?.unit ?? UNITS[figure];
}

/**
 * Every page of a Google list call (`nextPageToken`; an empty or absent one is the last page). A page may hold no items
 * before the last (AIP-158), and proto3 JSON leaves an empty list out: such a page has no `field` at all.
 */
async function pages<T>(fetchJson: FetchJson, url: string, field: string): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
        const page = (await fetchJson(token ? `${url}&pageToken=${encodeURIComponent(token)}` : url)) as Record<string, unknown>;
        const listed = page?.[field] ?? [];
        if (!page || typeof page !== "object" || !Array.isArray(listed)) throw new Error(`${url.replace(/key=[^&]+/, "key=***")}: no "${field}" list in the answer`);
        items.push(...(listed as T[]));
        token = typeof page.nextPageToken === "string" && page.nextPageToken !== "" ? page.nextPageToken : undefined;
    } while (token);
    return items;
}

/** fetch, with an error that says what could not be reached and why (undici's "fetch failed" hides it in `cause`), or what answered in place of JSON. */
export const fetchJsonOverHttps: FetchJson = async (url) => {
    const shown = url.replace(/key=[^&]+/, "key=***");
    let response: Response;
    try {
        response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`cannot reach ${shown} (${cause?.code ?? cause?.message ?? (err as Error).message}): npm run prices needs the internet; review/prices.json is unchanged`);
    }
    if (!response.ok) {
        const text = await response.text();
        throw new Error(`${shown} answered ${response.status} ${response.statusText}: ${googleErrorMessage(text) ?? text.slice(0, 300)}`);
    }
    // A proxy's or captive portal's page, or an offer file cut short, threw a bare SyntaxError naming no URL.
    const text = await response.text().catch((err: Error) => {
        throw new Error(`${shown}: the answer did not arrive whole (${err.message}): run npm run prices again; review/prices.json is unchanged`);
    });
    try {
        return JSON.parse(text);
    } catch {
        throw new Error(
            `${shown} answered ${response.status} with a body that is not JSON (${answerExcerpt(text)}), not the price list: something between this machine and the provider ` +
                "answered in its place (a proxy, HTTPS_PROXY, a captive portal), or the answer was cut short. Run npm run prices again, and if it stays, check the network path; review/prices.json is unchanged",
        );
    }
};

/** Google's error model's `error.message` (which says what to enable, and where), whole; undefined for other bodies. */
function googleErrorMessage(body: string): string | undefined {
    try {
        const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
        return typeof message === "string" ? message : undefined;
    } catch {
        return undefined;
    }
}
