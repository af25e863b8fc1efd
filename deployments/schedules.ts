import * as pulumiservice from "@pulumi/pulumiservice";
import { DeploymentsSettings } from "./settings";

/**
 * Drift detection (a refresh preview on Pulumi Deployments) where settings ask for it, never remediated automatically:
 * a remediation is a `pulumi up` that nobody reviewed. And the TTL of the review-stack template, which retires the
 * template itself: a TTL schedule is a stack's own (Pulumi Cloud's TTL API is per stack), and nothing documents review
 * stacks inheriting it, so Deployments destroying each review stack when its pull request closes is what removes them.
 */
export function createSchedules(s: DeploymentsSettings, dependsOn: pulumiservice.DeploymentSettings[]) {
    const target = (stack: string) => ({ organization: s.organization, project: s.project, stack });
    const drift = Object.entries(s.stacks)
        .filter(([, settings]) => settings.driftSchedule)
        .map(([stack, settings]) => new pulumiservice.DriftSchedule(`${stack}-drift`, { ...target(stack), scheduleCron: settings.driftSchedule!, autoRemediate: false }, { dependsOn }));
    const ttl = Object.entries(s.stacks)
        .filter(([, settings]) => settings.reviewTemplate)
        .map(([stack, settings]) => new pulumiservice.TtlSchedule(`${stack}-ttl`, { ...target(stack), timestamp: settings.expiresAt!, deleteAfterDestroy: false }, { dependsOn }));
    return { drift, ttl };
}
