/**
 * The offline plan: `npm run plan -- <stack> [--vs <other-stack>] [--json]`.
 * Runs index.ts under Pulumi's mocks with the settings of Pulumi.<stack>.yaml and prints what the stack would
 * create, without a cloud account or the Pulumi CLI. Bad settings print every problem and exit 1.
 */
import { exitWhenFlushed } from "../build/exitWhenFlushed";
import { answeredArguments } from "../build/usage";
import { USAGE, parseArgs, usageProblem } from "./arguments";

// The plan loads the Pulumi SDK and the program (about 0.3 s of CPU): --help and a wrong argument are answered before.
async function main(argv: string[]): Promise<number> {
    const answered = answeredArguments("plan", argv, USAGE, usageProblem);
    if (answered !== undefined) return answered;
    const { printPlan } = await import("./commands");
    return printPlan(parseArgs(argv));
}

main(process.argv.slice(2)).then(exitWhenFlushed);
