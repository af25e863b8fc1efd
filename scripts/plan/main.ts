/**
 * The offline plan: `npm run plan -- <stack> [--vs <other-stack>] [--json]`.
 * Runs index.ts under Pulumi's mocks with the settings of Pulumi.<stack>.yaml and prints what the stack would
 * create, without a cloud account or the Pulumi CLI. Bad settings print every problem and exit 1.
 */
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { PlanArgs, USAGE, parseArgs } from "./arguments";

// The plan loads the Pulumi SDK and the program (about 0.3 s of CPU): --help and a wrong argument are answered before.
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
    const { printPlan } = await import("./commands");
    return printPlan(args);
}

main().then(exitWhenFlushed);
