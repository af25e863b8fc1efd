import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import { AwsOidc } from "./awsOidc";
import { GcpOidc } from "./gcpOidc";
import { DEPLOY_PATHS, DeploymentsSettings } from "./settings";

/**
 * How Pulumi Deployments runs one stack: from the repository's branch, previews on every pull request,
 * `pulumi up` on push for stacks that deploy on push (path-filtered: docs-only pushes deploy nothing), cloud
 * credentials through OIDC only. `vcs` replaces the deprecated `github` block.
 */
export function createDeploymentSettings(stack: string, s: DeploymentsSettings, aws: AwsOidc, gcp: GcpOidc) {
    const deployOnPush = s.stacks[stack].deployOnPush;
    return new pulumiservice.DeploymentSettings(`${stack}-deployment-settings`, {
        organization: s.organization,
        project: s.project,
        stack,
        sourceContext: { git: { branch: `refs/heads/${s.branch}`, repoDir: "." } },
        vcs: {
            provider: "github",
            repository: s.repository,
            deployCommits: deployOnPush,
            previewPullRequests: true,
            pullRequestTemplate: false,
            paths: DEPLOY_PATHS,
        },
        operationContext: {
            preRunCommands: ["npm ci --no-audit --no-fund"],
            options: { skipInstallDependencies: true },
            oidc: {
                aws: { roleARN: aws.roles[stack].arn, sessionName: `pulumi-deploy-${stack}`, duration: "1h0m0s" },
                gcp: {
                    projectId: pulumi.output(s.gcpProject),
                    workloadPoolId: gcp.pool.workloadIdentityPoolId,
                    providerId: gcp.provider.workloadIdentityPoolProviderId,
                    serviceAccount: gcp.accounts[stack].email,
                    tokenLifetime: "1h0m0s",
                },
            },
        },
        cacheOptions: { enable: true },
    });
}
