import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";

const DIR = path.join(PROJECT_ROOT, ".github", "workflows");

/** The workflow files' names, in .github/workflows. */
export const workflowFiles = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

/** A workflow file's text. */
export const readWorkflow = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");

/** A workflow's triggers by name, whichever of its three forms `on:` takes (a name, a list, or a map; a name alone has no settings). */
export const workflowTriggers = (on: unknown): Record<string, unknown> =>
    typeof on === "string" ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((t) => [t, null])) : ((on ?? {}) as Record<string, unknown>);

/** A workflow as parsed, with its file's name. */
export type ParsedWorkflow = { file: string; workflow: any };

/** Every committed workflow, parsed. */
export const parsedWorkflows = (): ParsedWorkflow[] => workflowFiles.map((file) => ({ file, workflow: parse(readWorkflow(file)) }));

/** Every job of `workflows` (the committed ones unless given), with the workflow it is in. */
export function workflowJobs(workflows = parsedWorkflows()): { file: string; workflow: any; jobName: string; job: any }[] {
    return workflows.flatMap(({ file, workflow }) => Object.entries<any>(workflow.jobs ?? {}).map(([jobName, job]) => ({ file, workflow, jobName, job })));
}

/** Every step of `workflows` (the committed ones unless given), with the workflow and the job it is in. */
export function workflowSteps(workflows = parsedWorkflows()): { file: string; workflow: any; jobName: string; job: any; step: any }[] {
    return workflowJobs(workflows).flatMap((inJob) => (inJob.job.steps ?? []).map((step: any) => ({ ...inJob, step })));
}
