import { ReleaseError } from "./releaseError";
import { ReleasePlan } from "./settings";
import { Cloud, DeployedTarget } from "./types";

/**
 * Refuses a release whose stack's settings place it elsewhere than it runs. The providers replace a stack's buckets,
 * registries and secrets in another region or project rather than move them, and the Automation API's up skips the
 * preview (`pulumi up --yes --skip-preview`), so prod's protect would stop the update only on reaching them (pulumi/pulumi
 * step_generator.go: "In Update mode, we bail"), after the resources registered before them had changed in the new place.
 */
export function refuseMovedStack(plan: ReleasePlan, deployed: Partial<Record<Cloud, DeployedTarget>>): void {
    const moves: string[] = [];
    const aws = plan.clouds.aws && deployed.aws?.location;
    if (aws && aws.region !== plan.awsRegion) moves.push(`aws:region is ${plan.awsRegion} in its settings, and aws runs in ${aws.region}`);
    const gcp = plan.clouds.gcp && deployed.gcp?.location;
    if (gcp) {
        const runs = `gcp runs in project ${gcp.project}, region ${gcp.region}`;
        // Google's resource names may carry the project's number instead of its ID, which the settings do not hold (Cloud
        // Run's own v1 answers name the project by number, `"namespace": "<number>"`, as
        // google-github-actions/deploy-cloudrun#556 quotes one): then only the region is compared.
        const byNumber = gcp.project !== undefined && /^\d+$/.test(gcp.project);
        if (plan.gcpProject !== undefined && !byNumber && gcp.project !== plan.gcpProject) moves.push(`gcp:project is ${plan.gcpProject} in its settings, and ${runs}`);
        if (gcp.region !== plan.gcpRegion) moves.push(`gcp:region is ${plan.gcpRegion} in its settings, and ${runs}`);
    }
    if (moves.length === 0) return;
    throw new ReleaseError(
        `stack ${plan.stack}: ${moves.join("; ")}: an update would replace its buckets, registries and secrets there (their data stays behind), ` +
            "which protect refuses in a production stack only when the update reaches them, after what comes before has changed. " +
            'Nothing was changed. To move a stack, deploy a new stack in the new place and destroy the old one (README, "Fixed after the first `up`"); or set it back.',
    );
}

/**
 * Refuses a release whose settings switch off a cloud (`aws.enabled` / `gcp.enabled` false) that the stack's outputs show
 * deployed. Its `up` would delete everything of that cloud, and with no preview (`pulumi up --yes --skip-preview`) the
 * engine deletes in dependency order, dependents first, until it reaches a protected bucket or registry (pulumi/pulumi
 * pkg/resource/deploy/step.go, DeleteStep.Apply: "unable to delete resource ... as it is currently marked for
 * protection"): in production the functions, Function URL, alarms and grants in front of them would already be gone,
 * and outside production the buckets' objects and the registries' images go with them (forceDestroy, forceDelete).
 */
export function refuseDroppedCloud(plan: ReleasePlan, deployed: Partial<Record<Cloud, DeployedTarget>>): void {
    const dropped = (["aws", "gcp"] as const).filter((cloud) => plan.clouds[cloud] === undefined && deployed[cloud] !== undefined);
    if (dropped.length === 0) return;
    throw new ReleaseError(
        `stack ${plan.stack}: ${dropped.map((cloud) => `${cloud}.enabled is false in its settings, and the stack's outputs show ${cloud} deployed`).join("; ")}: ` +
            "the release's update (no preview) would delete that cloud's resources, its functions or service and alarms first, its buckets and registries with their data " +
            "(a production stack's are protected, so the update would stop there, after the rest was gone). Nothing was changed. " +
            "To take a cloud out of a stack, run `pulumi preview` and `pulumi up` yourself (README, \"Settings\": protected resources); or set it back to true.",
    );
}
