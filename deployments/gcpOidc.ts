import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PULUMI_ISSUER } from "./awsOidc";

/**
 * A workload identity pool whose provider accepts Pulumi's OIDC tokens for this org and project only, and one
 * deployer service account per stack that only that stack's deployments may impersonate. No keys.
 */
export function createGcpOidc(organization: string, project: string, gcpProject: string, stacks: string[], roles: string[]) {
    const pool = new gcp.iam.WorkloadIdentityPool("pulumi", { project: gcpProject, workloadIdentityPoolId: "pulumi-deployments", displayName: "Pulumi Deployments" });
    const provider = new gcp.iam.WorkloadIdentityPoolProvider("pulumi", {
        project: gcpProject,
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: "pulumi-oidc",
        oidc: { issuerUri: `https://${PULUMI_ISSUER}`, allowedAudiences: [`gcp:${organization}`] },
        attributeMapping: { "google.subject": "assertion.sub", "attribute.stack": 'assertion.sub.extract("stack:{stack}:")' },
        attributeCondition: `assertion.sub.startsWith("pulumi:deploy:org:${organization}:project:${project}:stack:")`,
    });
    const accounts: Record<string, gcp.serviceaccount.Account> = {};
    for (const stack of stacks) {
        const account = new gcp.serviceaccount.Account(`deploy-${stack}`, { project: gcpProject, accountId: `deploy-${stack}`.slice(0, 30), displayName: `Pulumi Deployments of ${project}/${stack}` });
        new gcp.serviceaccount.IAMMember(`deploy-${stack}-impersonation`, {
            serviceAccountId: account.name,
            role: "roles/iam.workloadIdentityUser",
            member: pulumi.interpolate`principalSet://iam.googleapis.com/${pool.name}/attribute.stack/${stack}`,
        });
        for (const role of roles) {
            new gcp.projects.IAMMember(`deploy-${stack}-${role.replace(/^roles\//, "").replace(/\./g, "-")}`, { project: gcpProject, role, member: account.member });
        }
        accounts[stack] = account;
    }
    return { pool, provider, accounts };
}

export type GcpOidc = ReturnType<typeof createGcpOidc>;
