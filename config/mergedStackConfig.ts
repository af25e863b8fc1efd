import { projectConfigEntries, readProjectConfig } from "./projectConfig";
import { refuseStackAgainstProject } from "./stackAgainstProject";
import { namespacedByProject, readStackConfigEntries } from "./stackConfigEntries";

/**
 * A stack file's config as the CLI hands it to a program, values as written: its keys namespaced as the CLI keys them,
 * over the `config:` of the Pulumi.yaml beside it, and refused where `pulumi up` refuses it against that file's
 * declarations. The program's reader (stackFile.ts) and deployments/ (stackTargets.ts) both read stacks through it.
 */
export function mergedStackConfig(file: string): Record<string, unknown> {
    const project = readProjectConfig(file);
    const stack = readStackConfigEntries(file);
    const stackEntries = namespacedByProject(stack.entries, project?.name);
    const entries = { ...projectConfigEntries(project), ...stackEntries };
    if (project) refuseStackAgainstProject(file, project, stackEntries, entries, stack.importsEnvironments);
    return entries;
}
