import * as pulumiservice from "@pulumi/pulumiservice";
import { DeploymentsSettings } from "./settings";

/**
 * The stacks this program configures, made here so that each exists before its deployment settings, permissions and
 * schedules: Pulumi Cloud answers 404 to settings for a stack it does not have ("Stack '<name>' not found",
 * pulumi/pulumi-pulumiservice#224), and a schedule needs the stack's deployment settings. `retainOnDelete`: taking a
 * stack out of the settings, or destroying this project, never deletes a stack and its state. A stack that exists
 * already is imported once (docs/setup.md): the provider's ID is `<org>/<project>/<stack>`.
 */
export function createStacks(s: DeploymentsSettings): Record<string, pulumiservice.Stack> {
    return Object.fromEntries(
        Object.keys(s.stacks).map((stack) => [
            stack,
            new pulumiservice.Stack(`${stack}-stack`, { organizationName: s.organization, projectName: s.project, stackName: stack }, { retainOnDelete: true }),
        ]),
    );
}
