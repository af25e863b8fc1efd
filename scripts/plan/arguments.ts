/** The offline plan's arguments: its usage and how a command line reads, without loading what the plan runs. */
import { shownArgument, thrownProblem, unknownOption } from "../build/usage";

export const USAGE = [
    "usage: npm run plan -- <stack> [--vs <other-stack>] [--cost] [--json] [--file <stack-file>]",
    "  <stack>        a stack of this project: Pulumi.<stack>.yaml (default dev)",
    "  --vs <stack>   show how <stack> differs from <other-stack>, monthly cost included",
    "  --cost         only the stack's monthly cost estimate (review/prices.json, cost.assumedTraffic)",
    "  --json         print the plan as JSON (secrets masked); not with --vs or --cost",
    "  --file <path>  read <stack>'s settings from this file instead of Pulumi.<stack>.yaml, wherever it is kept: read",
    "                 with this project's Pulumi.yaml, as its stack <stack> (<stack> is then required: its name decides",
    "                 whether production's rules apply)",
].join("\n");

export interface PlanArgs {
    stack: string;
    vs?: string;
    json: boolean;
    cost?: boolean;
    file?: string;
}

export function parseArgs(argv: readonly string[]): PlanArgs {
    const args: PlanArgs = { stack: "dev", json: false };
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        // The next option is not the value (`--vs --json` is not a stack "--json"); a path may still start with one "-".
        if (arg === "--vs") {
            const other = argv[++i];
            if (!other || other.startsWith("-")) throw new UsageError("--vs needs a stack name");
            args.vs = other;
        } else if (arg === "--file") {
            const file = argv[++i];
            if (!file || file.startsWith("--")) throw new UsageError("--file needs a path");
            args.file = file;
        } else if (arg === "--cost") {
            args.cost = true;
        } else if (arg === "--json") {
            args.json = true;
        } else if (arg.startsWith("-")) {
            throw new UsageError(unknownOption(arg));
        } else {
            positional.push(arg);
        }
    }
    if (positional.length > 1) throw new UsageError(`one stack at a time (got ${positional.map(shownArgument).join(", ")})`);
    // The name, not the file, decides whether production's rules apply: a prod file planned as the default dev would pass them by.
    if (args.file && positional.length === 0) throw new UsageError(`--file needs the stack's name too, which decides whether production's rules apply: npm run plan -- <stack> --file ${shownArgument(args.file)}`);
    // Text would reach a pipe that expects JSON (`| jq`): refused rather than printed.
    if (args.json && (args.vs || args.cost)) throw new UsageError(`--json prints one stack's plan; ${args.vs ? "--vs" : "--cost"} prints text and cannot be combined with it`);
    args.stack = positional[0] ?? "dev";
    return args;
}

class UsageError extends Error {}

/** What is wrong with the arguments, named, or undefined (scripts/build/usage.ts answeredArguments). */
export const usageProblem = thrownProblem(parseArgs);
