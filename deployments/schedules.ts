import * as pulumiservice from "@pulumi/pulumiservice";
import { DeploymentsSettings } from "./settings";

/**
 * Drift detection (a refresh preview on Pulumi Deployments) where settings ask for it, never remediated automatically:
 * a remediation is a `pulumi up` that nobody reviewed. No TTL schedule: Pulumi Cloud's TTL is a stack's own (it
 * destroys that stack), and nothing documents review stacks inheriting their template's, so on the template, which
 * deploys nothing, it would destroy nothing; Deployments destroying each review stack when its pull request closes
 * is what removes them.
 */
export function createDriftSchedules(s: DeploymentsSettings, dependsOn: pulumiservice.DeploymentSettings[]) {
    const target = (stack: string) => ({ organization: s.organization, project: s.project, stack });
    return Object.entries(s.stacks)
        .filter(([, settings]) => settings.driftSchedule)
        .map(([stack, settings]) => new pulumiservice.DriftSchedule(`${stack}-drift`, { ...target(stack), scheduleCron: settings.driftSchedule!, autoRemediate: false }, { dependsOn }));
}
