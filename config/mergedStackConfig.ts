import * as path from "path";
import { projectConfigEntries, readProjectConfig } from "./projectConfig";
import { refuseStackAgainstProject } from "./stackAgainstProject";
import { namespacedByProject, readStackConfigEntries } from "./stackConfigEntries";

/**
 * A stack file's config as the CLI hands it to a program, values as written: its keys namespaced as the CLI keys them,
 * over the `config:` of the project's Pulumi.yaml (in `projectFolder`: beside the stack file unless named), and refused
 * where `pulumi up` refuses it against that file's declarations, naming the stack `stack` (the file's Pulumi.<stack>.yaml
 * unless given). The program's reader (stackFile.ts) and deployments/ (stackTargets.ts) both read stacks through it.
 */
export function mergedStackConfig(file: string, projectFolder = path.dirname(file), stack = stackNameOfFile(file)): Record<string, unknown> {
    const project = readProjectConfig(projectFolder);
    const read = readStackConfigEntries(file);
    const stackEntries = namespacedByProject(read.entries, project?.name);
    const entries = { ...projectConfigEntries(project), ...stackEntries };
    if (project) refuseStackAgainstProject(file, stack, project, stackEntries, entries, read.importsEnvironments);
    return entries;
}

/** The stack a file named Pulumi.<stack>.yaml is; a file named otherwise is named whole: a caller that knows its stack passes the name. */
function stackNameOfFile(file: string): string {
    return path.basename(file).replace(/^Pulumi\.(.*)\.yaml$/, "$1");
}
