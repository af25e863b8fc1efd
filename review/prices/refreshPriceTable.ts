/** What `npm run prices` does once its arguments are read (review/prices/main.ts): the refresh, written or printed. */
import * as fs from "fs";
import { fetchJsonOverHttps, refreshPrices } from "./refresh";
import { PRICE_TABLE_PATH, loadPriceTable } from "./table";
import { PricesArgs } from "./args";
import { regionsToRefresh, stackRegions } from "./regions";

/** Refreshes the table for the regions it and the stack files have and those `named`; the exit code. */
export async function refreshPriceTable({ named, dryRun }: PricesArgs): Promise<number> {
    try {
        const previous = loadPriceTable();
        const regions = regionsToRefresh(stackRegions(), Object.keys(previous.regions), named);
        const table = await refreshPrices({
            awsRegions: regions.aws,
            gcpRegions: regions.gcp,
            googleApiKey: process.env.GOOGLE_API_KEY,
            fetchJson: fetchJsonOverHttps,
            today: new Date().toISOString().slice(0, 10),
            previous,
        });
        const text = `${JSON.stringify(table, null, 2)}\n`;
        if (dryRun) process.stdout.write(text);
        else fs.writeFileSync(PRICE_TABLE_PATH, text);
        console.error(`prices: ${Object.keys(table.regions).join(", ")} refreshed${dryRun ? " (dry run: nothing written)" : ` in ${PRICE_TABLE_PATH}`}`);
        return 0;
    } catch (err) {
        console.error(`prices: ${(err as Error).message}`);
        return 1;
    }
}
