/**
 * Deploy on push, as code: the OIDC trust in both clouds and the Pulumi Deployments settings of each stack of
 * multicloud-service. Pulumi calls the exported function; tests run it under mocks.
 */
import { createAwsOidc } from "./awsOidc";
import { createDeploymentSettings } from "./deploymentSettings";
import { createGcpOidc } from "./gcpOidc";
import { loadSettings } from "./settings";

export = async () => {
    const settings = loadSettings();
    const stacks = Object.keys(settings.stacks);
    const aws = createAwsOidc(settings.organization, settings.project, stacks, settings.awsPolicyArns);
    const gcp = createGcpOidc(settings.organization, settings.project, settings.gcpProject, stacks, settings.gcpDeployerRoles);
    const deployments = stacks.map((stack) => createDeploymentSettings(stack, settings, aws, gcp));
    return {
        awsDeployRoles: Object.fromEntries(stacks.map((s) => [s, aws.roles[s].arn])),
        gcpDeployServiceAccounts: Object.fromEntries(stacks.map((s) => [s, gcp.accounts[s].email])),
        deploymentSettings: deployments.map((d) => d.stack),
    };
};
