import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../../config/stackFile";
import { sharedPerRun } from "../harness/shared";

export interface PlanRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** The offline plan as a user runs it (`npm run plan -- <args>`): a real process, its output and exit code. */
export function runPlan(...args: string[]): PlanRun {
    return runPlanOn(process.execPath, ...args);
}

/** The same, on the Node at `node`. */
export function runPlanOn(node: string, ...args: string[]): PlanRun {
    const result = spawnSync(node, ["scripts/build/run.js", "scripts/plan/main.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same run, once per mocha run for the same arguments (whichever worker runs it first): several spec files read
 * the plan of the committed stack files, and each run loads the SDK and evaluates the program. Only for arguments that
 * name no file a test writes.
 */
export const sharedPlan = sharedPerRun(`the offline plan on ${process.execPath} in ${PROJECT_ROOT}`, runPlan);
