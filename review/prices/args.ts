/** `npm run prices`' arguments: regions to add to the stack files' and the table's, and whether to write. */
import { shownArgument, unknownOption } from "../../scripts/build/usage";

export const USAGE = "usage: npm run prices -- [--aws-region <region>]... [--gcp-region <region>]... [--dry-run]";

export interface PricesArgs {
    named: { aws: string[]; gcp: string[] };
    dryRun: boolean;
}

/** Throws the reason (for exit 2) when the arguments are not the usage's. */
export function parsePricesArgs(argv: readonly string[]): PricesArgs {
    const args: PricesArgs = { named: { aws: [], gcp: [] }, dryRun: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--dry-run") args.dryRun = true;
        else if (arg === "--aws-region" || arg === "--gcp-region") {
            // A flag after it is not a region: `--aws-region --dry-run` would ask for a region named "--dry-run" and drop the dry run.
            const region = argv[++i];
            if (!region || region.startsWith("-")) throw new Error(`${arg} needs a region (e.g. ${arg === "--aws-region" ? "us-east-1" : "us-central1"})`);
            args.named[arg === "--aws-region" ? "aws" : "gcp"].push(region);
        } else throw new Error(arg.startsWith("-") ? unknownOption(arg) : `unknown argument ${shownArgument(arg)}`);
    }
    return args;
}
