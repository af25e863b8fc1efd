import { refuseWhenAny } from "./refusal";
import { DeploymentsSettings, isReleased } from "./settings";
import type { StackTarget } from "./stackTargets";

/**
 * Every deployer gets settings.gcpDeployerRoles in its stack's project, by default roles/iam.serviceAccountAdmin among
 * them, which holds iam.serviceAccounts.setIamPolicy on every account of that project. The identities' accounts
 * (deploy-prod, promote-prod, release-prod, ...) live in the pool project (settings.gcpProject): a stack deployed
 * there could grant itself any of them, a review stack (a pull request's code) prod's deployer. Likewise a review
 * template's deployer holds those roles in a released stack's project if the two share one. Refuses both, naming
 * each file, before anything is deployed.
 */
export function checkPoolProjectApart(s: Pick<DeploymentsSettings, "gcpProject" | "stacks">, targets: Record<string, StackTarget>): void {
    const released = Object.keys(s.stacks).filter((stack) => isReleased(s, stack));
    const problems = Object.entries(targets).flatMap(([stack, target]) => [
        ...(target.gcpProject === s.gcpProject
            ? [`Pulumi.${stack}.yaml deploys to gcp:project ${target.gcpProject}, the identity pool's project (settings.gcpProject), where its deployer's roles (roles/iam.serviceAccountAdmin and the rest of gcpDeployerRoles) would reach every deployer, release and image account: give the pool a project of its own`]
            : []),
        ...(s.stacks[stack]?.reviewTemplate
            ? released.filter((other) => targets[other]?.gcpProject === target.gcpProject).map((other) => `Pulumi.${stack}.yaml (review stacks, pull requests' code) deploys to gcp:project ${target.gcpProject}, which ${other} (released) deploys to too: give ${other} a project of its own`)
            : []),
    ]);
    refuseWhenAny("a deployer would hold IAM over another identity's project", problems);
}
