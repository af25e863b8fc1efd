import { projectConfigEntries, readProjectConfig } from "./projectConfig";
import { refuseStackAgainstProject } from "./stackAgainstProject";
import { namespacedByProject, readStackConfigEntries } from "./stackConfigEntries";

/**
 * A stack file's config as the CLI hands it to a program, values as written: its keys namespaced as the CLI keys them,
 * over the `config:` of the project's Pulumi.yaml (in `projectFolder`: beside the stack file unless named), and refused
 * where `pulumi up` refuses it against that file's declarations. The program's reader (stackFile.ts) and deployments/ (stackTargets.ts) both read stacks through it.
 */
export function mergedStackConfig(file: string, projectFolder?: string): Record<string, unknown> {
    const project = readProjectConfig(file, projectFolder);
    const stack = readStackConfigEntries(file);
    const stackEntries = namespacedByProject(stack.entries, project?.name);
    const entries = { ...projectConfigEntries(project), ...stackEntries };
    if (project) refuseStackAgainstProject(file, project, stackEntries, entries, stack.importsEnvironments);
    return entries;
}
