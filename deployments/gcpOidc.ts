import * as iam from "@pulumi/gcp/iam";
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { PULUMI_ISSUER } from "./awsOidc";
import { GITHUB_ISSUER, branchPushSubject, githubSubject } from "./githubTokens";
import { PREVIEW_ENVIRONMENT, credentialsEnvironment } from "./escEnvironments";
import { escAudience, escSubject } from "./escTokens";
import { newAccountWait } from "../components/gcp/accountPropagation";
import { servingApis } from "../components/gcp/apiActivation";
import { serviceAccountDisplayName, serviceAccountId } from "../components/gcp/resourceIds";
import { expectedImageWorkflow } from "./imageWorkflow";
import { workflowAccounts } from "./registryAccess";
import { releaseAccountId } from "./releaseInvokers";
import { DeploymentsSettings, gcpRoleNamePart, isReleased } from "./settings";
import { StackTarget } from "./stackTargets";

const PREVIEW_ROLES = ["roles/viewer", "roles/iam.securityReviewer"];
/**
 * The release's reads of the new revision's metrics. Its right to call the revision with an ID token (release/probe),
 * roles/run.invoker, is granted on the stack's own service, by the stack (releaseInvokers.ts).
 */
const RELEASE_ROLES = ["roles/monitoring.viewer"];

/**
 * What must be enabled in the pool's project, where the deployer accounts live: IAM (pools, service accounts), IAM
 * Service Account Credentials (generateAccessToken for the impersonated account), STS (the token exchange), and the
 * two APIs a deployer's calls about its stack's project are billed to its own project for: Service Usage (which APIs
 * are enabled) and Cloud Resource Manager, which the provider asks for the project on every read of a
 * `gcp:projects:Service` (terraform-provider-google resource_google_project_service.go: Projects.Get through
 * NewResourceManagerClient, with X-Goog-User-Project only under user_project_override, which the stacks do not set).
 * Before they are enabled those calls fail with 403 SERVICE_DISABLED naming the pool's project.
 */
export const FEDERATION_APIS = ["iam.googleapis.com", "iamcredentials.googleapis.com", "sts.googleapis.com", "serviceusage.googleapis.com", "cloudresourcemanager.googleapis.com"];

/** GitHub's claims as attributes: the subject, and the repository the provider's condition checks. */
export const GITHUB_ATTRIBUTES = { "google.subject": "assertion.sub", "attribute.repository": "assertion.repository" };

/**
 * This repository's tokens only, with its subjects only; and a token with the branch's push subject only from
 * image.yml on that branch (its job_workflow_ref), the one workflow the image accounts are for. The subject alone is
 * every workflow's that runs there (GitHub docs, "OpenID Connect reference": pull_request_target, issue_comment,
 * schedule, workflow_dispatch and workflow_run on the default branch all carry `ref:refs/heads/<branch>`), and a
 * binding can name only the subject. The subject prefix because the pool is shared with ESC's provider and a binding
 * names `subject/<sub>` whichever provider mapped it: a GitHub token whose `sub` were an ESC login's would impersonate
 * that login's deployer (GitHub's subjects start with `repo:`, or a custom template's claim key; the pool must not
 * depend on that).
 */
export function githubAttributeCondition(s: Pick<DeploymentsSettings, "repository" | "branch" | "githubSubjectPrefix">): string {
    const push = branchPushSubject(s);
    return `assertion.repository == "${s.repository}" && assertion.sub.startsWith("${s.githubSubjectPrefix}:") && (assertion.sub != "${push}" || assertion.job_workflow_ref == "${expectedImageWorkflow(s)}")`;
}

/**
 * A workload identity pool with two providers: Pulumi ESC's (logins of this org's environments of this project only)
 * and GitHub's (this repository only). Per stack, a deployer service account with its roles in the stack's own
 * project that only the stack's ESC environment may impersonate; for a released stack, a release account for its
 * GitHub environment (metric reads and probes: its Cloud Run invoker role is granted by the stack, on its service:
 * releaseInvokers.ts) and a promotion account; an image account for stacks deployed on push (their Artifact Registry
 * access is granted by the stacks, on their repositories: registryAccess.ts);
 * one read-only preview account for the preview environment. No keys.
 */
export function createGcpOidc(s: DeploymentsSettings, targets: Record<string, StackTarget>) {
    const project = s.gcpProject;
    const enabled = FEDERATION_APIS.map((service) => new projects.Service(`federation-${service.split(".")[0]}`, { project, service, disableOnDestroy: false }));
    const projectNumber = organizations.getProjectOutput({ projectId: project }).apply((p) => p.number as string);
    // The pool, its providers and the accounts are IAM's: created once IAM serves the project, not only once it is
    // enabled (a new pool project's IAM answers SERVICE_DISABLED for minutes more, components/gcp/apiActivation.ts).
    const apis = servingApis(enabled, ["iam"], { id: project, number: projectNumber }, "global", organizations.getClientConfigOutput().accessToken);
    const pool = new iam.WorkloadIdentityPool("pulumi", { project, workloadIdentityPoolId: "pulumi-deployments", displayName: "Pulumi ESC and GitHub" }, { dependsOn: apis });
    const provider = new iam.WorkloadIdentityPoolProvider(
        "pulumi",
        {
            project,
            workloadIdentityPoolId: pool.workloadIdentityPoolId,
            workloadIdentityPoolProviderId: "pulumi-oidc",
            oidc: { issuerUri: `https://${PULUMI_ISSUER}`, allowedAudiences: [escAudience("gcp", s.organization)] },
            attributeMapping: { "google.subject": "assertion.sub" },
            attributeCondition: `assertion.sub.startsWith("${escSubject(s.organization, `${s.project}/`)}")`,
        },
        { dependsOn: apis },
    );
    // No allowedAudiences: GitHub is asked for the provider's own resource name, google-github-actions/auth's default.
    const github = new iam.WorkloadIdentityPoolProvider(
        "github",
        {
            project,
            workloadIdentityPoolId: pool.workloadIdentityPoolId,
            workloadIdentityPoolProviderId: "github-actions",
            oidc: { issuerUri: `https://${GITHUB_ISSUER}` },
            attributeMapping: GITHUB_ATTRIBUTES,
            attributeCondition: githubAttributeCondition(s),
        },
        { dependsOn: apis },
    );
    const subject = (sub: string) => pulumi.interpolate`principal://iam.googleapis.com/${pool.name}/subject/${sub}`;
    const escLogin = (environment: string) => subject(escSubject(s.organization, `${s.project}/${environment}`));
    // A grant naming an account made moments before is refused until IAM knows it, and the provider does not retry
    // that (components/gcp/accountPropagation.ts): grants naming an account depend on its wait (afterWaitFor).
    const waits = new Map<serviceaccount.Account, pulumi.Resource>();
    const account = (id: string, displayName: string) => {
        const created = new serviceaccount.Account(id, { project, accountId: serviceAccountId(id), displayName: serviceAccountDisplayName(displayName) }, { dependsOn: apis });
        waits.set(created, newAccountWait(`${id}-propagation`, { uniqueId: created.uniqueId, member: created.member }, {}));
        return created;
    };
    const afterWaitFor = (a: serviceaccount.Account): pulumi.CustomResourceOptions => ({ dependsOn: [waits.get(a)!] });
    const mayImpersonate = (name: string, target: serviceaccount.Account, member: pulumi.Input<string>) =>
        new serviceaccount.IAMMember(name, { serviceAccountId: target.name, role: "roles/iam.workloadIdentityUser", member });

    /**
     * What deploy-prod.yml's release job holds in Google Cloud for its whole run (workload identity credentials that
     * refresh): reads of the new revision's metrics and the ID token its probe presents (minted by itself, or by the
     * deployer in a release run by hand with `pulumi env run`). Its `pulumi up`s deploy as the deployer through the
     * stack's ESC environment, an hour's token each time; the GitHub job itself no longer impersonates the deployer.
     */
    const releaseAccount = (stack: string, target: StackTarget, deployer: serviceaccount.Account) => {
        const release = account(releaseAccountId(stack), `deploy-prod.yml releasing ${s.project}/${stack}: metric reads and probes`);
        mayImpersonate(`release-${stack}-github-environment`, release, subject(githubSubject.environment(s.githubSubjectPrefix, stack)));
        for (const role of RELEASE_ROLES) new projects.IAMMember(`release-${stack}-${gcpRoleNamePart(role)}`, { project: target.gcpProject, role, member: release.member }, afterWaitFor(release));
        for (const [name, minter] of [["self", release], ["deployer", deployer]] as const) {
            new serviceaccount.IAMMember(`release-${stack}-id-tokens-${name}`, { serviceAccountId: release.name, role: "roles/iam.serviceAccountOpenIdTokenCreator", member: minter.member }, afterWaitFor(minter));
        }
        return release;
    };

    const accounts: Record<string, serviceaccount.Account> = {};
    const releaseAccounts: Record<string, serviceaccount.Account> = {};
    const imageAccounts: Record<string, serviceaccount.Account> = {};
    const promoteAccounts: Record<string, serviceaccount.Account> = {};
    for (const [stack, target] of Object.entries(targets)) {
        const deployer = account(`deploy-${stack}`, `ESC ${s.project}/${credentialsEnvironment(stack)}: deploys ${s.project}/${stack}`);
        mayImpersonate(`deploy-${stack}-impersonation`, deployer, escLogin(credentialsEnvironment(stack)));
        for (const role of s.gcpDeployerRoles) {
            new projects.IAMMember(`deploy-${stack}-${gcpRoleNamePart(role)}`, { project: target.gcpProject, role, member: deployer.member }, afterWaitFor(deployer));
        }
        accounts[stack] = deployer;
        if (isReleased(s, stack)) releaseAccounts[stack] = releaseAccount(stack, target, deployer);

    }
    // Their pushes and pulls are granted on the repositories, by the stacks that create them (registryAccess.ts).
    for (const a of workflowAccounts(s)) {
        if (a.kind === "image") {
            imageAccounts[a.stack] = account(a.id, `image.yml pushing ${s.project}/${a.stack}'s image`);
            mayImpersonate(`${a.id}-impersonation`, imageAccounts[a.stack], subject(branchPushSubject(s)));
        } else {
            promoteAccounts[a.stack] = account(a.id, `deploy-prod.yml promoting ${s.project}/${a.source}'s image to ${a.stack}`);
            mayImpersonate(`${a.id}-impersonation`, promoteAccounts[a.stack], subject(githubSubject.environment(s.githubSubjectPrefix, a.stack)));
        }
    }

    const preview = account("preview", `ESC ${s.project}/${PREVIEW_ENVIRONMENT}: pulumi preview of ${s.project} (read-only)`);
    mayImpersonate("preview-impersonation", preview, escLogin(PREVIEW_ENVIRONMENT));
    for (const gcpProject of new Set(Object.values(targets).map((t) => t.gcpProject))) {
        for (const role of PREVIEW_ROLES) new projects.IAMMember(`preview-${gcpProject}-${gcpRoleNamePart(role)}`, { project: gcpProject, role, member: preview.member }, afterWaitFor(preview));
    }
    return { pool, provider, github, projectNumber, accounts, releaseAccounts, imageAccounts, promoteAccounts, preview };
}

export type GcpOidc = ReturnType<typeof createGcpOidc>;
