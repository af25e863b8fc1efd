/** The offline plan's run: main.ts answers the arguments first, and loads this module (the Pulumi SDK, the program) only to plan. */
import { SettingsError } from "../../config/errors";
import { maskSecrets } from "../offline/registeredInputs";
import { printDiagnosticsOfFailure } from "../offline/mockCloud";
import { printDiagnostics } from "../offline/programMessages";
import { ProgramRun, runProgram } from "../offline/runProgram";
import { readServiceStackFileAt } from "../../config/stackFile";
import { renderDiff } from "./diff";
import { renderPlan } from "./render";
import { inTreeOrder } from "./treeOrder";
import { costComparisonReport, costReport } from "../../review/cost/planSections";
import { PlanArgs } from "./arguments";

async function planOf(stack: string, file?: string): Promise<ProgramRun> {
    return runProgram(stack, file ? readServiceStackFileAt(file, stack) : undefined);
}

/** Prints the plan the arguments ask for; a failure is printed here and answers 1. */
export async function printPlan(args: PlanArgs): Promise<number> {
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
