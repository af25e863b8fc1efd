/**
 * `npm run prices [-- --aws-region <r>]... [--gcp-region <r>]... [--dry-run]`: refreshes review/prices.json for the
 * regions of every stack file and of the table, and those named. GCP needs GOOGLE_API_KEY.
 */
import * as fs from "fs";
import { fetchJsonOverHttps, refreshPrices } from "./refresh";
import { PRICE_TABLE_PATH, loadPriceTable } from "./table";
import { answeredArguments, thrownProblem } from "../../scripts/build/usage";
import { USAGE, parsePricesArgs } from "./args";
import { regionsToRefresh, stackRegions } from "./regions";

async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const answered = answeredArguments("prices", argv, USAGE, thrownProblem(parsePricesArgs));
    if (answered !== undefined) return answered;
    const { named, dryRun } = parsePricesArgs(argv);
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

main().then((code) => (process.exitCode = code));
