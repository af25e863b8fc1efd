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
