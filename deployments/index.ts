/**
 * Deploy on push, as code: the OIDC trust in both clouds (for Pulumi Deployments and for this repository's
 * GitHub workflows) and the Pulumi Deployments settings of each stack of multicloud-service. Pulumi calls the
 * exported function; tests run it under mocks.
 */
import { createAwsOidc } from "./awsOidc";
import { createDeploymentSettings } from "./deploymentSettings";
import { createGcpOidc } from "./gcpOidc";
import { loadSettings } from "./settings";
import { stackTarget } from "./stackTargets";

export = async () => {
    const settings = loadSettings();
    const stacks = Object.keys(settings.stacks);
    const targets = Object.fromEntries(stacks.map((stack) => [stack, stackTarget(stack)]));
    const aws = createAwsOidc(settings, targets);
    const gcp = createGcpOidc(settings, targets);
    const deployments = stacks.map((stack) => createDeploymentSettings(stack, settings, aws, gcp));
    const perStack = <T>(value: (stack: string) => T) => Object.fromEntries(stacks.map((s) => [s, value(s)]));
    // The names below are the GitHub repository secrets the workflows read (see README "Previews, deploys").
    return {
        awsDeployRoles: perStack((s) => aws.roles[s].arn),
        gcpDeployServiceAccounts: perStack((s) => gcp.accounts[s].email),
        deploymentSettings: deployments.map((d) => d.stack),
        githubSecrets: {
            AWS_PREVIEW_ROLE_ARN: aws.previewRole.arn,
            GCP_PREVIEW_SERVICE_ACCOUNT: gcp.preview.email,
            GCP_WORKLOAD_IDENTITY_PROVIDER: gcp.github.name,
            ...Object.fromEntries(
                stacks.flatMap((s) => [
                    [`AWS_IMAGE_ROLE_ARN_${s.toUpperCase()}`, aws.imageRoles[s].arn],
                    [`GCP_IMAGE_SERVICE_ACCOUNT_${s.toUpperCase()}`, gcp.imageAccounts[s].email],
                    ...(settings.stacks[s].deployOnPush ? [] : [[`AWS_DEPLOY_ROLE_ARN_${s.toUpperCase()}`, aws.roles[s].arn], [`GCP_DEPLOY_SERVICE_ACCOUNT_${s.toUpperCase()}`, gcp.accounts[s].email]]),
                ]),
            ),
        },
    };
};
