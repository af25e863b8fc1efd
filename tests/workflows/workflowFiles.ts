import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stackFile";

const DIR = path.join(PROJECT_ROOT, ".github", "workflows");

/** The workflow files' names, in .github/workflows. */
export const workflowFiles = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

/** A workflow file's text. */
export const readWorkflow = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");

/** Every step of every workflow, with the workflow and the job it is in. */
export function workflowSteps(): { file: string; workflow: any; jobName: string; job: any; step: any }[] {
    return workflowFiles.flatMap((file) => {
        const workflow = parse(readWorkflow(file));
        return Object.entries<any>(workflow.jobs ?? {}).flatMap(([jobName, job]) => (job.steps ?? []).map((step: any) => ({ file, workflow, jobName, job, step })));
    });
}
