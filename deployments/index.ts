/**
 * Delivery as code: the OIDC trust in both clouds (for Pulumi ESC and for this repository's GitHub workflows), the ESC
 * environments every stack, preview and release gets its credentials and state from, who in Pulumi Cloud may open
 * them, and the Pulumi Deployments settings and schedules of each stack of multicloud-service. Pulumi calls the
 * exported function; tests run it under mocks.
 */
import { checkExistingOidcProviders, createAwsOidc } from "./awsOidc";
import { createDeploymentSettings } from "./deploymentSettings";
import { createEscEnvironments, credentialsMinutes } from "./escEnvironments";
import { createGcpOidc } from "./gcpOidc";
import { createPulumiAccess } from "./pulumiAccess";
import { createDriftSchedules } from "./schedules";
import { createStacks } from "./stacks";
import { createPolicyGroups } from "./policyGroups";
import { loadSettings } from "./settings";
import { checkRegistriesOfTargets, checkRegistryAccess } from "./registryAccess";
import { checkReleaseInvokers } from "./releaseInvokers";
import { stackDisabledClouds, stackImageWaitMinutes, stackImageWorkflow, stackRegistry, stackReleaseInvokers, readServiceStacks, stackSigningKey, stackTarget } from "./stackTargets";
import { checkOwnRegion, checkSigningKeyRegions } from "./signingKeyRegion";
import { allowedAccountIds, region as awsRegion } from "@pulumi/aws/config";
import { checkAccountNamed } from "./awsAccount";
import { checkImageWaits } from "./imageWait";
import { checkBothClouds } from "./bothClouds";
import { checkImageWorkflows } from "./imageWorkflow";
import { checkPoolProjectApart } from "./poolProject";
import { checkPulumiServiceLogin } from "./pulumiServiceLogin";

export = async () => {
    const settings = loadSettings();
    // The provider's own account gate, required: checked before anything is registered (awsAccount.ts).
    checkAccountNamed(allowedAccountIds);
    // Its Pulumi Cloud resources go where the default pulumiservice provider calls, with the token it finds (pulumiServiceLogin.ts).
    checkPulumiServiceLogin(process.env);
    const stacks = Object.keys(settings.stacks);
    const perStack = <T>(value: (stack: string) => T) => Object.fromEntries(stacks.map((s) => [s, value(s)]));
    const { project } = settings;
    readServiceStacks(stacks);
    checkBothClouds(perStack((s) => stackDisabledClouds(s, project)), project);
    const targets = perStack((s) => stackTarget(s));
    checkPoolProjectApart(settings, targets);
    const registries = perStack((s) => stackRegistry(s, project));
    checkRegistryAccess(settings, registries);
    checkReleaseInvokers(settings, perStack((s) => stackReleaseInvokers(s, project)));
    const registriesOf = perStack((s) => registries[s].registriesOf);
    checkRegistriesOfTargets(registriesOf, targets);
    checkImageWorkflows(settings, perStack((s) => stackImageWorkflow(s, project)));
    const signingKeys = perStack((s) => stackSigningKey(s, project));
    checkImageWaits(settings, perStack((s) => stackImageWaitMinutes(s, project)), perStack((s) => signingKeys[s] !== undefined));
    // The provider's own region (aws:region, else AWS_REGION or AWS_DEFAULT_REGION), where the signing key is made.
    if (awsRegion) {
        checkOwnRegion(awsRegion);
        checkSigningKeyRegions(settings, awsRegion, targets, signingKeys);
    }
    await checkExistingOidcProviders(settings);
    const aws = createAwsOidc(settings, targets, registriesOf);
    const gcp = createGcpOidc(settings, targets);
    const federation = { projectNumber: gcp.projectNumber, poolId: gcp.pool.workloadIdentityPoolId, providerId: gcp.provider.workloadIdentityPoolProviderId };
    const logins = Object.fromEntries(
        stacks.map((s) => [s, { awsRoleArn: aws.roles[s].arn, gcpServiceAccount: gcp.accounts[s].email, releaseServiceAccount: gcp.releaseAccounts[s]?.email, minutes: credentialsMinutes(settings, s) }]),
    );
    const environments = createEscEnvironments(settings, logins, { awsRoleArn: aws.previewRole.arn, gcpServiceAccount: gcp.preview.email, minutes: 60 }, federation, aws.workloadBoundary.arn);
    const stackResources = createStacks(settings);
    const access = createPulumiAccess(settings, stackResources, environments.byName);
    const deployments = stacks.map((stack) => createDeploymentSettings(stack, settings, access, stackResources[stack]));
    createDriftSchedules(settings, deployments);
    createPolicyGroups(settings, stackResources);
    const upper = (stack: string) => stack.toUpperCase().replace(/-/g, "_");
    // The names below are the GitHub repository secrets the workflows read (see docs/setup.md).
    return {
        awsDeployRoles: perStack((s) => aws.roles[s].arn),
        gcpDeployServiceAccounts: perStack((s) => gcp.accounts[s].email),
        escEnvironments: [...Object.values(environments.stacks), ...Object.values(environments.releaseState), environments.preview].map((e) => e.name),
        deploymentSettings: deployments.map((d) => d.stack),
        githubSecrets: {
            GCP_WORKLOAD_IDENTITY_PROVIDER: gcp.github.name,
            ...Object.fromEntries(Object.entries(aws.imageRoles).map(([s, role]) => [`AWS_IMAGE_ROLE_ARN_${upper(s)}`, role.arn])),
            ...Object.fromEntries(Object.entries(gcp.imageAccounts).map(([s, account]) => [`GCP_IMAGE_SERVICE_ACCOUNT_${upper(s)}`, account.email])),
            ...Object.fromEntries(Object.entries(aws.promoteRoles).map(([s, role]) => [`AWS_PROMOTE_ROLE_ARN_${upper(s)}`, role.arn])),
            ...Object.fromEntries(Object.entries(gcp.promoteAccounts).map(([s, account]) => [`GCP_PROMOTE_SERVICE_ACCOUNT_${upper(s)}`, account.email])),
            // The release's Cloud Monitoring reads and ID tokens use application-default credentials (google-github-actions/auth).
            ...Object.fromEntries(Object.entries(gcp.releaseAccounts).map(([s, account]) => [`GCP_RELEASE_SERVICE_ACCOUNT_${upper(s)}`, account.email])),
        },
    };
};
