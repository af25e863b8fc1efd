import * as aws from "@pulumi/aws";

export const PULUMI_ISSUER = "api.pulumi.com/oidc";

/** Only deployments of this org's project and stack may assume the role. */
export function deployRoleTrustPolicy(providerArn: string, organization: string, project: string, stack: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { [`${PULUMI_ISSUER}:aud`]: organization },
                    StringLike: { [`${PULUMI_ISSUER}:sub`]: `pulumi:deploy:org:${organization}:project:${project}:stack:${stack}:*` },
                },
            },
        ],
    };
}

/** The IAM OIDC provider for Pulumi's issuer, and one deploy role per stack trusting only that stack. */
export function createAwsOidc(organization: string, project: string, stacks: string[], policyArns: string[]) {
    const provider = new aws.iam.OpenIdConnectProvider("pulumi-oidc", { url: `https://${PULUMI_ISSUER}`, clientIdLists: [organization] });
    const roles: Record<string, aws.iam.Role> = {};
    for (const stack of stacks) {
        roles[stack] = new aws.iam.Role(`deploy-${stack}`, {
            description: `Pulumi Deployments of ${project}/${stack}`,
            maxSessionDuration: 3600,
            assumeRolePolicy: provider.arn.apply((arn) => JSON.stringify(deployRoleTrustPolicy(arn, organization, project, stack))),
            managedPolicyArns: policyArns,
            tags: { project, environment: stack, "managed-by": "pulumi" },
        });
    }
    return { provider, roles };
}

export type AwsOidc = ReturnType<typeof createAwsOidc>;
