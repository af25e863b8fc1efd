/**
 * `npm run prices [-- --aws-region <r>]... [--gcp-region <r>]... [--dry-run]`: refreshes review/prices.json for the
 * regions of every stack file and of the table, and those named. GCP needs GOOGLE_API_KEY.
 */
import { answeredArguments, thrownProblem } from "../../scripts/build/usage";
import { USAGE, parsePricesArgs } from "./args";

// The refresh loads zod for the price table (about 0.1 s of CPU): --help and a wrong argument are answered before.
async function main(): Promise<number> {
    const argv = process.argv.slice(2);
    const answered = answeredArguments("prices", argv, USAGE, thrownProblem(parsePricesArgs));
    if (answered !== undefined) return answered;
    const { refreshPriceTable } = await import("./refreshPriceTable");
    return refreshPriceTable(parsePricesArgs(argv));
}

main().then((code) => (process.exitCode = code));
