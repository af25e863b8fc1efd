import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { registryRepositoryId } from "../components/gcp/imageRegistry";
import { COMPONENT_NAMES } from "../components/names";
import { GITHUB_ISSUER, PULUMI_ISSUER, githubSubject } from "./awsOidc";
import { DeploymentsSettings } from "./settings";
import { StackTarget } from "./stackTargets";

const PREVIEW_ROLES = ["roles/viewer", "roles/iam.securityReviewer"];
const roleId = (role: string) => role.replace(/^roles\//, "").replace(/\./g, "-");

/**
 * GitHub's claims as attributes. `release` is "yes" for a v* tag: GCP can grant a principal set by attribute
 * value but not by a subject pattern, and prod's image is pushed from release tags.
 */
export const GITHUB_ATTRIBUTES = {
    "google.subject": "assertion.sub",
    "attribute.repository": "assertion.repository",
    "attribute.release": "assertion.ref.startsWith('refs/tags/v') ? 'yes' : 'no'",
};

/** The Artifact Registry repository the stack's program creates (components/gcp/imageRegistry.ts names it). */
export function imageRepositoryName(target: StackTarget, stack: string): string {
    return `projects/${target.gcpProject}/locations/${target.gcpRegion}/repositories/${registryRepositoryId(`${COMPONENT_NAMES.gcp}-registry`, stack)}`;
}

/**
 * A workload identity pool with two providers: Pulumi's (this org and project only) and GitHub's (this repository
 * only). Per stack, a deployer service account with its roles in the stack's own project, which that stack's
 * Pulumi deployments may impersonate (and, for a stack deployed from a workflow, its GitHub environment's jobs);
 * an image account that may write only that stack's repository; one read-only preview account. No keys.
 */
export function createGcpOidc(s: DeploymentsSettings, targets: Record<string, StackTarget>) {
    const project = s.gcpProject;
    const pool = new gcp.iam.WorkloadIdentityPool("pulumi", { project, workloadIdentityPoolId: "pulumi-deployments", displayName: "Pulumi Deployments" });
    const provider = new gcp.iam.WorkloadIdentityPoolProvider("pulumi", {
        project,
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: "pulumi-oidc",
        oidc: { issuerUri: `https://${PULUMI_ISSUER}`, allowedAudiences: [`gcp:${s.organization}`] },
        attributeMapping: { "google.subject": "assertion.sub", "attribute.stack": 'assertion.sub.extract("stack:{stack}:")' },
        attributeCondition: `assertion.sub.startsWith("pulumi:deploy:org:${s.organization}:project:${s.project}:stack:")`,
    });
    // No allowedAudiences: GitHub is asked for the provider's own resource name, google-github-actions/auth's default.
    const github = new gcp.iam.WorkloadIdentityPoolProvider("github", {
        project,
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: "github-actions",
        oidc: { issuerUri: `https://${GITHUB_ISSUER}` },
        attributeMapping: GITHUB_ATTRIBUTES,
        attributeCondition: `assertion.repository == "${s.repository}"`,
    });
    const subject = (sub: string) => pulumi.interpolate`principal://iam.googleapis.com/${pool.name}/subject/${sub}`;
    const withAttribute = (name: string, value: string) => pulumi.interpolate`principalSet://iam.googleapis.com/${pool.name}/attribute.${name}/${value}`;
    const account = (id: string, displayName: string) => new gcp.serviceaccount.Account(id, { project, accountId: id.slice(0, 30), displayName });
    const mayImpersonate = (name: string, target: gcp.serviceaccount.Account, member: pulumi.Input<string>) =>
        new gcp.serviceaccount.IAMMember(name, { serviceAccountId: target.name, role: "roles/iam.workloadIdentityUser", member });

    const accounts: Record<string, gcp.serviceaccount.Account> = {};
    const imageAccounts: Record<string, gcp.serviceaccount.Account> = {};
    for (const [stack, target] of Object.entries(targets)) {
        const deployer = account(`deploy-${stack}`, `Deployments of ${s.project}/${stack}`);
        mayImpersonate(`deploy-${stack}-impersonation`, deployer, withAttribute("stack", stack));
        if (!s.stacks[stack].deployOnPush) mayImpersonate(`deploy-${stack}-github-environment`, deployer, subject(githubSubject.environment(s.repository, stack)));
        for (const role of s.gcpDeployerRoles) {
            new gcp.projects.IAMMember(`deploy-${stack}-${roleId(role)}`, { project: target.gcpProject, role, member: deployer.member });
        }
        accounts[stack] = deployer;

        const pusher = account(`image-${stack}`, `image.yml pushing ${s.project}/${stack}'s image`);
        const pushedFrom = s.stacks[stack].deployOnPush ? subject(githubSubject.ref(s.repository, `refs/heads/${s.branch}`)) : withAttribute("release", "yes");
        mayImpersonate(`image-${stack}-impersonation`, pusher, pushedFrom);
        const repository = imageRepositoryName(target, stack);
        new gcp.projects.IAMMember(`image-${stack}-artifactregistry-writer`, {
            project: target.gcpProject,
            role: "roles/artifactregistry.writer",
            member: pusher.member,
            condition: { title: `only ${repository.split("/").pop()}`, expression: `resource.name.startsWith("${repository}")` },
        });
        imageAccounts[stack] = pusher;
    }

    const preview = account("preview", `preview.yml: pulumi preview of ${s.project} (read-only)`);
    mayImpersonate("preview-impersonation", preview, subject(githubSubject.pullRequest(s.repository)));
    for (const gcpProject of new Set(Object.values(targets).map((t) => t.gcpProject))) {
        for (const role of PREVIEW_ROLES) new gcp.projects.IAMMember(`preview-${gcpProject}-${roleId(role)}`, { project: gcpProject, role, member: preview.member });
    }
    return { pool, provider, github, accounts, imageAccounts, preview };
}

export type GcpOidc = ReturnType<typeof createGcpOidc>;
