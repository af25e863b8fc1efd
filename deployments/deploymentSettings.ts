import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import { executorImage } from "./executorImage";
import { PulumiAccess } from "./pulumiAccess";
import { DEPLOY_PATHS, DeploymentsSettings, isReleased } from "./settings";

/**
 * How Pulumi Deployments runs one stack: from the repository's branch, `pulumi up` on push for stacks that deploy on
 * push (path-filtered: docs-only pushes deploy nothing), review stacks from the template, and no pull-request
 * previews: preview.yml previews every pull request with read-only credentials, while a Deployments preview would run
 * the branch's code with the stack's own, whose AWS role (PowerUserAccess, IAMFullAccess) reaches the whole account
 * that prod shares. Cloud credentials come from the ESC environments the stack file
 * imports (no Deployments OIDC), opened with a team token (deployments/pulumiAccess.ts): the deployers' where
 * Deployments deploys, the releasers' for a released stack's drift runs. The executor image pins the Pulumi CLI to
 * .pulumi.version (deployments/executorImage.ts). `vcs` replaces the deprecated `github`.
 */
export function createDeploymentSettings(stack: string, s: DeploymentsSettings, access: PulumiAccess, stackResource: pulumiservice.Stack) {
    const settings = s.stacks[stack];
    const released = isReleased(s, stack);
    return new pulumiservice.DeploymentSettings(
        `${stack}-deployment-settings`,
        {
            organization: s.organization,
            project: s.project,
            stack,
            sourceContext: { git: { branch: `refs/heads/${s.branch}`, repoDir: "." } },
            vcs: {
                provider: "github",
                repository: s.repository,
                deployCommits: settings.deployOnPush,
                previewPullRequests: false,
                pullRequestTemplate: settings.reviewTemplate,
                paths: DEPLOY_PATHS,
            },
            operationContext: {
                preRunCommands: ["npm ci --no-audit --no-fund"],
                options: { skipInstallDependencies: true },
                environmentVariables: { PULUMI_ACCESS_TOKEN: pulumi.secret((released ? access.deploymentTokens.releasers : access.deploymentTokens.deployers).value) },
            },
            executorContext: { executorImage: executorImage() },
            cacheOptions: { enable: true },
        },
        { dependsOn: [stackResource] },
    );
}
