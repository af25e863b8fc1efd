/**
 * Figures from the AWS Price List bulk API: one offer file per service and region,
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offerCode>/current/<region>/index.json. Its shape
 * (docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-an-offer.html): `products` by SKU with `attributes`
 * (`regionCode`, `usagetype`, ...), and `terms.OnDemand[sku][offerTermCode].priceDimensions[rateCode]` with `unit`,
 * `beginRange` and `pricePerUnit.USD`.
 */
import { AwsFigure } from "./table";

export const AWS_OFFER_URL = (offerCode: string, region: string) => `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${offerCode}/current/${region}/index.json`;

/** Where each figure is in its offer: the usage type (after the region's prefix, such as APN1-) and other attributes. */
export const AWS_RULES: Record<AwsFigure, { offer: string; usagetype: RegExp; attributes?: Record<string, string>; perUnit?: number }> = {
    // APN1-Request (group AWS-Lambda-Requests), not APN1-Lambda-Edge-Request, which the regional offer lists too.
    "lambda.request": { offer: "AWSLambda", usagetype: /^([A-Z0-9]+-)?Request$/ },
    "lambda.gbSecond.x86_64": { offer: "AWSLambda", usagetype: /(^|-)Lambda-GB-Second$/ },
    "lambda.gbSecond.arm64": { offer: "AWSLambda", usagetype: /(^|-)Lambda-GB-Second-ARM$/ },
    // Step Functions' offer code is AmazonStates (its service code in the price list).
    "stepFunctions.stateTransition": { offer: "AmazonStates", usagetype: /(^|-)StateTransition$/ },
    "logs.ingestedGB": { offer: "AmazonCloudWatch", usagetype: /(^|-)DataProcessing-Bytes$/ },
    "logs.storedGBMonth": { offer: "AmazonCloudWatch", usagetype: /(^|-)TimedStorage-ByteHrs$/ },
    "alarms.metricMonth": { offer: "AmazonCloudWatch", usagetype: /(^|-)CW:AlarmMonitorUsage$/ },
    "s3.standardGBMonth": { offer: "AmazonS3", usagetype: /(^|-)TimedStorage-ByteHrs$/, attributes: { volumeType: "Standard" } },
};

export interface OfferFile {
    offerCode: string;
    publicationDate?: string;
    products: Record<string, { sku: string; attributes: Record<string, string> }>;
    terms: { OnDemand: Record<string, Record<string, { priceDimensions: Record<string, { unit: string; beginRange?: string; pricePerUnit: { USD?: string } }> }>> };
}

/** The figure's on-demand price in the first tier (beginRange 0); an offer without exactly one such price is an error naming the figure. */
export function awsFigureFromOffer(figure: AwsFigure, offer: OfferFile, region: string): number {
    const rule = AWS_RULES[figure];
    if (offer?.offerCode !== rule.offer || typeof offer.products !== "object" || typeof offer.terms?.OnDemand !== "object") {
        throw new Error(`${figure}: expected the ${rule.offer} offer file (products, terms.OnDemand), got ${offer?.offerCode ?? "something else"}`);
    }
    const prices = new Set<number>();
    const skus: string[] = [];
    for (const product of Object.values(offer.products)) {
        const a = product.attributes ?? {};
        // Global-Lambda-GB-Second, Global-StateTransition, Global-DataProcessing-Bytes, ... are the free tier's usage types
        // (AWS Billing, "Tracking your AWS Free Tier usage"), a $0 band beside the region's own row: not the list price.
        if (a.regionCode !== region || /^Global-/.test(a.usagetype ?? "") || !rule.usagetype.test(a.usagetype ?? "")) continue;
        if (Object.entries(rule.attributes ?? {}).some(([k, v]) => a[k] !== v)) continue;
        for (const term of Object.values(offer.terms.OnDemand[product.sku] ?? {})) {
            for (const d of Object.values(term.priceDimensions)) {
                if ((d.beginRange ?? "0") !== "0" || d.pricePerUnit.USD === undefined) continue;
                prices.add(Number(d.pricePerUnit.USD));
                skus.push(product.sku);
            }
        }
    }
    if (prices.size !== 1) {
        throw new Error(`${figure}: ${prices.size === 0 ? "no" : `${prices.size} different`} first-tier on-demand prices for usage type ${rule.usagetype} in ${region} in ${rule.offer}${skus.length ? ` (SKUs ${skus.join(", ")})` : ""}`);
    }
    return [...prices][0];
}
