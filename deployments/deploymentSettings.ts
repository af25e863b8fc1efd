import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import { executorImage } from "./executorImage";
import { PulumiAccess } from "./pulumiAccess";
import { DEPLOY_PATHS, DeploymentsSettings, isReleased } from "./settings";
import { PLUGIN_DOWNLOAD_URL_OVERRIDES } from "./pluginDownloads";

/**
 * How Pulumi Deployments runs one stack: from the repository's branch, `pulumi up` on push for stacks that deploy on
 * push (path-filtered: docs-only pushes deploy nothing), review stacks from the template, and no pull-request
 * previews: preview.yml previews every pull request with read-only credentials, while a Deployments preview would run
 * the branch's code with the stack's own, whose AWS role (PowerUserAccess, and IAM for the service's own roles) reaches the whole account
 * that prod shares. Cloud credentials come from the ESC environments the stack file
 * imports (no Deployments OIDC), opened with a team token (deployments/pulumiAccess.ts): the deployers' where
 * Deployments deploys on push, the reviewers' for review stacks, the releasers' for a released stack's drift runs. The executor image pins the Pulumi CLI to
 * .pulumi.version (deployments/executorImage.ts). The GitHub settings go in `github`, which the provider marks
 * deprecated in favour of `vcs`: with `vcs` Pulumi Cloud accepts and echoes the settings but runs no deployment on a
 * push (pulumi/pulumi-pulumiservice#754, open; moving back to `github` restored the pushes), and pushes to main are how
 * dev deploys. The provider sends them as separate objects, `gitHub` and `vcs` (provider/pkg/apitype/deployment_settings_.go,
 * v1.3.0); Pulumi Cloud answers with both, mirrored (pulumi/pulumi-pulumiservice#754), and the provider's Read makes
 * its answer the resource's inputs, `vcs` included (provider/pkg/resources/deployment_settings.go, Read and
 * ToPropertyMap). So the first `up` after a `pulumi refresh` shows `- vcs` once, and its update sends `github` alone.
 * Changes to `vcs` are not ignored: the engine would put the refreshed `vcs` back into the inputs it sends
 * (pulumi/pulumi step_generator.go, processIgnoreChanges), and every later update of the settings would send the
 * block that stopped the pushes.
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
            github: {
                repository: s.repository,
                deployCommits: settings.deployOnPush,
                previewPullRequests: false,
                pullRequestTemplate: settings.reviewTemplate,
                paths: DEPLOY_PATHS,
            },
            operationContext: {
                preRunCommands: ["npm ci --no-audit --no-fund"],
                // A deployment queued behind another is dropped for the newest, as image.yml drops a waiting image
                // run: a push in between may have no image, and its `up` would wait for one and fail.
                options: { skipInstallDependencies: true, skipIntermediateDeployments: true },
                environmentVariables: {
                    PULUMI_ACCESS_TOKEN: pulumi.secret(deploymentToken(access, released, settings.reviewTemplate).value),
                    PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: PLUGIN_DOWNLOAD_URL_OVERRIDES,
                    GITHUB_TOKEN: NO_GITHUB_TOKEN,
                },
            },
            executorContext: { executorImage: executorImage() },
            cacheOptions: { enable: true },
        },
        { dependsOn: [stackResource] },
    );
}

/**
 * What every deployment gets as GITHUB_TOKEN instead of the one Pulumi injects. Deployments from a repository
 * connected through the Pulumi GitHub App get an installation token "not limited to the source repository": every
 * repository the app was granted, with write access to contents; an explicit value overrides it (Pulumi's docs,
 * "GitHub app: GitHub token in deployments", and "Deployments: environment variables"). A review stack runs a pull
 * request's code, which could push a `release/v*` tag with it. Nothing here needs GitHub: the source is cloned
 * before the run, and the CLI downloads plugins anonymously (deployments/pluginDownloads.ts) and drops a token
 * GitHub refuses (pulumi/pulumi sdk/go/common/workspace/plugins.go). Not empty: an empty value may read as unset.
 */
export const NO_GITHUB_TOKEN: string = "none";

/** A released stack's Deployments (drift runs) use the releasers' token, review stacks the reviewers', the others the deployers'. */
function deploymentToken(access: PulumiAccess, released: boolean, reviewTemplate: boolean) {
    const tokens = access.deploymentTokens;
    return released ? tokens.releasers : reviewTemplate ? tokens.reviewers : tokens.deployers;
}
