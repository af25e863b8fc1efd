/**
 * The offline plan: `npm run plan -- <stack> [--vs <other-stack>] [--json]`.
 * Runs index.ts under Pulumi's mocks with the settings of Pulumi.<stack>.yaml and prints what the stack would
 * create, without a cloud account or the Pulumi CLI. Bad settings print every problem and exit 1.
 */
import { SettingsError } from "../../config/errors";
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { maskSecrets } from "../offline/registeredInputs";
import { printDiagnosticsOfFailure } from "../offline/mockCloud";
import { printDiagnostics } from "../offline/programMessages";
import { ProgramRun, runProgram } from "../offline/runProgram";
import { readStackFileAt } from "../../config/stackFile";
import { renderDiff } from "./diff";
import { renderPlan } from "./render";
import { inTreeOrder } from "./treeOrder";
import { costComparisonReport, costReport } from "../../review/cost/planSections";

const USAGE = [
    "usage: npm run plan -- <stack> [--vs <other-stack>] [--cost] [--json] [--file <stack-file>]",
    "  <stack>        a stack of this project: Pulumi.<stack>.yaml (default dev)",
    "  --vs <stack>   show how <stack> differs from <other-stack>, monthly cost included",
    "  --cost         only the stack's monthly cost estimate (review/prices.json, cost.assumedTraffic)",
    "  --json         print the plan as JSON (secrets masked); not with --vs or --cost",
    "  --file <path>  read <stack>'s settings from this file instead of Pulumi.<stack>.yaml (<stack> is then required:",
    "                 its name decides whether production's rules apply)",
].join("\n");

interface PlanArgs {
    stack: string;
    vs?: string;
    json: boolean;
    cost?: boolean;
    file?: string;
    help?: boolean;
}

function parseArgs(argv: string[]): PlanArgs {
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
        } else if (arg === "-h" || arg === "--help") {
            args.help = true;
        } else if (arg.startsWith("-")) {
            throw new UsageError(`unknown option ${arg}`);
        } else {
            positional.push(arg);
        }
    }
    if (positional.length > 1) throw new UsageError(`one stack at a time (got ${positional.join(", ")})`);
    // The name, not the file, decides whether production's rules apply: a prod file planned as the default dev would pass them by.
    if (args.file && positional.length === 0 && !args.help) throw new UsageError(`--file needs the stack's name too, which decides whether production's rules apply: npm run plan -- <stack> --file ${args.file}`);
    // Text would reach a pipe that expects JSON (`| jq`): refused rather than printed.
    if (args.json && (args.vs || args.cost)) throw new UsageError(`--json prints one stack's plan; ${args.vs ? "--vs" : "--cost"} prints text and cannot be combined with it`);
    args.stack = positional[0] ?? "dev";
    return args;
}

class UsageError extends Error {}

async function planOf(stack: string, file?: string): Promise<ProgramRun> {
    return runProgram(stack, file ? readStackFileAt(file) : undefined);
}

async function main(): Promise<number> {
    let args: PlanArgs;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (err) {
        console.error(`plan: ${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    try {
        if (args.cost && !args.vs) {
            console.log(costReport(args.stack, args.file));
            return 0;
        }
        const run = await planOf(args.stack, args.file);
        if (args.vs) {
            const other = await planOf(args.vs);
            printDiagnostics(run.cloud, args.stack);
            printDiagnostics(other.cloud, args.vs);
            console.log(renderDiff(run, other));
            console.log(`\n${costComparisonReport({ stack: args.stack, file: args.file }, { stack: args.vs })}`);
            return 0;
        }
        printDiagnostics(run.cloud);
        console.log(args.json ? JSON.stringify(toJson(run), null, 2) : renderPlan(run));
        return 0;
    } catch (err) {
        printDiagnosticsOfFailure(err);
        if (SettingsError.isInstance(err)) {
            console.error(err.message);
            return 1;
        }
        console.error(`plan: ${(err as Error).message}`);
        return 1;
    }
}

function toJson(run: ProgramRun) {
    return {
        stack: run.stack,
        resources: inTreeOrder(run.cloud.resources).map(({ resource: r }) => ({ type: r.type, name: r.name, parent: r.parentUrn, inputs: maskSecrets(r.inputs) })),
        outputs: Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, run.secretOutputs.includes(k) ? "[secret]" : v])),
    };
}

main().then(exitWhenFlushed);
