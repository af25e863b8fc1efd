import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { GCP_DEPLOYER_ROLES } from "../../deployments/settings";
import { DeploymentsPlan, deploymentsPlan } from "./deploymentsPlan";

/*
 * The Google Cloud identities deployments/ creates against what the program needs of them: every resource type the
 * stacks register (create, and setIamPolicy for the *IamMember types; actAs for Cloud Run's runtime account) and every
 * read the program makes itself (components/), in `pulumi up` as the stack's deployer and in `pulumi preview` as the
 * read-only preview account (preview.yml). AWS has an IAM policy simulator for this (tests/deployments/*); Google has
 * no offline one, so the harness keeps what Google's reference says.
 */

/** IAM's "roles and permissions" reference, one page per service (docs.cloud.google.com/iam/docs/roles-permissions/<service>). */
const page = (service: string) => `https://docs.cloud.google.com/iam/docs/roles-permissions/${service}`;
/**
 * A predefined role's definition as the IAM API gives it (`gcloud iam roles describe`, its includedPermissions), in two
 * public dumps of every predefined role, refreshed daily and read at these commits (both of 2026-08-22): the data the
 * reference pages above are rendered from, read where those pages could not be.
 */
const roleDump = (...roles: string[]) =>
    roles.map((r) => `github.com/iann0036/iam-dataset@2073fa5 gcp/roles/${r}.json, github.com/darkbitio/gcp-iam-role-permissions@8ab2a6f roles/${r}`).join("; ") + " (includedPermissions)";

/**
 * Per permission the program needs, the predefined roles that include it, as Google's reference lists them: a
 * permission's "Included in roles" row on its service's page, or (`roleRow`) the role's own permissions list on that
 * page (a role that holds `<service>.*` holds each permission under it). Only the roles that matter here are kept:
 * the basic Viewer, and the roles deployments/ grants or could grant instead (least privilege); the pages list more.
 */
const ROLES_WITH: Record<string, { roles: string[]; source: string }> = {
    // page("artifactregistry"): the roles table (Artifact Registry Administrator: `artifactregistry.*`) and the
    // permissions table's rows for repositories.setIamPolicy, repositories.downloadArtifacts, tags.get, versions.get.
    "artifactregistry.repositories.create": { roles: ["roles/artifactregistry.admin"], source: `${page("artifactregistry")} (roleRow artifactregistry.admin: artifactregistry.*)` },
    "artifactregistry.repositories.list": { roles: ["roles/artifactregistry.admin"], source: `${page("artifactregistry")} (roleRow artifactregistry.admin: artifactregistry.*)` },
    "artifactregistry.repositories.setIamPolicy": { roles: ["roles/artifactregistry.admin"], source: `${page("artifactregistry")}#artifactregistry.repositories.setIamPolicy` },
    "artifactregistry.repositories.downloadArtifacts": {
        roles: ["roles/viewer", "roles/artifactregistry.admin", "roles/artifactregistry.reader", "roles/artifactregistry.writer"],
        source: `${page("artifactregistry")}#artifactregistry.repositories.downloadArtifacts`,
    },
    "artifactregistry.repositories.uploadArtifacts": { roles: ["roles/artifactregistry.admin", "roles/artifactregistry.writer"], source: `${page("artifactregistry")}#artifactregistry.repositories.uploadArtifacts` },
    "artifactregistry.tags.get": {
        roles: ["roles/viewer", "roles/artifactregistry.admin", "roles/artifactregistry.reader", "roles/artifactregistry.writer"],
        source: `${page("artifactregistry")}#artifactregistry.tags.get`,
    },
    "artifactregistry.tags.update": { roles: ["roles/artifactregistry.admin", "roles/artifactregistry.writer"], source: `${page("artifactregistry")}#artifactregistry.tags.update` },
    "artifactregistry.versions.get": { roles: ["roles/viewer", "roles/artifactregistry.admin"], source: `${page("artifactregistry")}#artifactregistry.versions.get` },
    // page("cloudquotas"): the permissions table's row for cloudquotas.quotas.get.
    "cloudquotas.quotas.get": { roles: ["roles/viewer", "roles/cloudquotas.viewer", "roles/serviceusage.serviceUsageAdmin"], source: `${page("cloudquotas")}#cloudquotas.quotas.get` },
    // page("containeranalysis"): the permissions table's row for occurrences.list.
    "containeranalysis.occurrences.list": {
        roles: ["roles/viewer", "roles/iam.securityReviewer", "roles/containeranalysis.viewer", "roles/containeranalysis.occurrences.viewer"],
        source: `${page("containeranalysis")}#containeranalysis.occurrences.list`,
    },
    // Cloud Run's troubleshooting guide (docs.cloud.google.com/run/docs/troubleshooting, "the deployer account ... Service
    // Account User ... This predefined role contains the iam.serviceAccounts.actAs permission, which is required to
    // attach a service account on the service or revision"). The IAM page itself was not read.
    "iam.serviceAccounts.actAs": { roles: ["roles/iam.serviceAccountUser"], source: "docs.cloud.google.com/run/docs/troubleshooting (Service Account User contains iam.serviceAccounts.actAs)" },
    // BigQuery's "Export data to Pub/Sub" (docs.cloud.google.com): "If you are using the same user account to create the
    // service account, then the user account must have the Service Account Admin (roles/iam.serviceAccountAdmin) role."
    "iam.serviceAccounts.create": { roles: ["roles/iam.serviceAccountAdmin"], source: "docs.cloud.google.com/bigquery/docs/export-to-pubsub, Required roles (Service Account Admin creates service accounts)" },
    // roleDump: the includedPermissions of roles/iam.serviceAccountAdmin, roles/iam.serviceAccountUser and roles/viewer
    // each list iam.serviceAccounts.list (both dumps).
    "iam.serviceAccounts.list": {
        roles: ["roles/viewer", "roles/iam.serviceAccountAdmin", "roles/iam.serviceAccountUser"],
        source: roleDump("iam.serviceAccountAdmin", "iam.serviceAccountUser", "viewer"),
    },
    // roleDump: roles/iam.serviceAccountOpenIdTokenCreator's includedPermissions are this one permission (both dumps);
    // IAM Credentials' generateIdToken requires it on the account (its REST reference, "Authorization requires").
    "iam.serviceAccounts.getOpenIdToken": { roles: ["roles/iam.serviceAccountOpenIdTokenCreator"], source: roleDump("iam.serviceAccountOpenIdTokenCreator") },
    // page("monitoring"): the roles table, Monitoring Editor's and Monitoring Viewer's rows.
    "monitoring.alertPolicies.create": { roles: ["roles/monitoring.editor"], source: `${page("monitoring")} (roleRow monitoring.editor: monitoring.alertPolicies.*)` },
    "monitoring.alertPolicies.list": { roles: ["roles/monitoring.editor", "roles/monitoring.viewer"], source: `${page("monitoring")} (roleRows monitoring.editor, monitoring.viewer)` },
    "monitoring.dashboards.create": { roles: ["roles/monitoring.editor"], source: `${page("monitoring")} (roleRow monitoring.editor: monitoring.dashboards.*)` },
    "monitoring.notificationChannels.create": { roles: ["roles/monitoring.editor"], source: `${page("monitoring")} (roleRow monitoring.editor)` },
    "monitoring.uptimeCheckConfigs.create": { roles: ["roles/monitoring.editor"], source: `${page("monitoring")} (roleRow monitoring.editor: monitoring.uptimeCheckConfigs.*)` },
    "monitoring.timeSeries.list": {
        roles: ["roles/monitoring.editor", "roles/monitoring.viewer", "roles/serviceusage.serviceUsageAdmin"],
        source: `${page("monitoring")} (roleRows monitoring.editor, monitoring.viewer); ${page("serviceusage")} (roleRow serviceUsageAdmin)`,
    },
    // The roles tables of page("secretmanager"), page("monitoring"), page("run") and page("storage"): each of these roles
    // lists resourcemanager.projects.get. roles/viewer: its includedPermissions in roleDump (both dumps); its row on
    // page("resourcemanager") is past what could be read.
    "resourcemanager.projects.get": {
        roles: ["roles/viewer", "roles/secretmanager.admin", "roles/monitoring.editor", "roles/monitoring.viewer", "roles/run.admin", "roles/storage.admin", "roles/cloudquotas.viewer"],
        source: `${page("secretmanager")}, ${page("monitoring")}, ${page("run")}, ${page("storage")}, ${page("cloudquotas")} (roleRows); ${roleDump("viewer")}`,
    },
    // page("run"): Cloud Run Admin's row (`run.*`), and the permissions table's rows for run.revisions.get and run.routes.invoke.
    // roleDump: run.locations.list is in roles/viewer's, roles/run.admin's and roles/run.viewer's includedPermissions.
    "run.locations.list": { roles: ["roles/viewer", "roles/run.admin", "roles/run.viewer"], source: roleDump("viewer", "run.admin", "run.viewer") },
    "run.revisions.get": { roles: ["roles/viewer", "roles/run.admin", "roles/run.viewer"], source: `${page("run")}#run.revisions.get` },
    "run.routes.invoke": { roles: ["roles/run.admin", "roles/run.invoker"], source: `${page("run")}#run.routes.invoke` },
    "run.services.create": { roles: ["roles/run.admin"], source: `${page("run")} (roleRow run.admin: run.*)` },
    "run.services.list": { roles: ["roles/run.admin"], source: `${page("run")} (roleRow run.admin: run.*)` },
    "run.services.setIamPolicy": { roles: ["roles/run.admin"], source: `${page("run")} (roleRow run.admin: run.*)` },
    // page("secretmanager"): Secret Manager Admin's row (`secretmanager.*`).
    "secretmanager.secrets.create": { roles: ["roles/secretmanager.admin"], source: `${page("secretmanager")} (roleRow secretmanager.admin: secretmanager.*)` },
    "secretmanager.secrets.list": { roles: ["roles/secretmanager.admin"], source: `${page("secretmanager")} (roleRow secretmanager.admin: secretmanager.*)` },
    "secretmanager.secrets.setIamPolicy": { roles: ["roles/secretmanager.admin"], source: `${page("secretmanager")} (roleRow secretmanager.admin: secretmanager.*)` },
    "secretmanager.versions.add": { roles: ["roles/secretmanager.admin"], source: `${page("secretmanager")} (roleRow secretmanager.admin: secretmanager.*)` },
    "secretmanager.versions.access": { roles: ["roles/secretmanager.admin"], source: `${page("secretmanager")} (roleRow secretmanager.admin: secretmanager.*)` },
    // page("serviceusage"): Service Usage Admin's row (`serviceusage.services.*`); page("monitoring"): Monitoring Editor's
    // row lists serviceusage.services.enable and .get too.
    "serviceusage.services.enable": { roles: ["roles/serviceusage.serviceUsageAdmin", "roles/monitoring.editor"], source: `${page("serviceusage")}, ${page("monitoring")} (roleRows)` },
    "serviceusage.services.get": { roles: ["roles/serviceusage.serviceUsageAdmin", "roles/monitoring.editor"], source: `${page("serviceusage")}, ${page("monitoring")} (roleRows)` },
    // page("storage"): Storage Admin's row (`storage.buckets.*`).
    "storage.buckets.create": { roles: ["roles/storage.admin"], source: `${page("storage")} (roleRow storage.admin: storage.buckets.*)` },
    "storage.buckets.list": { roles: ["roles/storage.admin"], source: `${page("storage")} (roleRow storage.admin: storage.buckets.*)` },
    "storage.buckets.setIamPolicy": { roles: ["roles/storage.admin"], source: `${page("storage")} (roleRow storage.admin: storage.buckets.*)` },
};

/**
 * What nobody could confirm from a source: the permission a call needs, or whether a role holds it. Reported as
 * pending (mocha's skip), never counted as passing.
 */
const UNKNOWN: { permission: string; who: string; why: string }[] = [
    {
        permission: "(generateServiceIdentity's permission)",
        who: "deployer",
        why:
            "gcp:projects/serviceIdentity:ServiceIdentity calls Service Usage v1beta1 services.generateServiceIdentity, whose REST reference names OAuth scopes only, " +
            "no IAM permission; nor do Service Usage's access-control method table or the Terraform google_project_service_identity docs. Binary Authorization's " +
            "custom-roles page lists a serviceusage.services.generateServiceIdentity among 'Enable the API' permissions, yet no predefined role (roles/owner and " +
            "roles/serviceusage.serviceUsageAdmin included) holds it in the IAM API's role dumps (roleDump); firebase/firebase-tools#11005 and #11070 say the " +
            "method checks no consumer-project permission, which Google does not document",
    },
];

/**
 * The deployer's permissions per resource type the stacks register (tests/program/stateUrns.json), as Google's REST
 * reference names them for create (and setIamPolicy for the IAM-member types, which read-modify-write the policy).
 * An update or delete needs the same service's update/delete, held by the same roles (each is `<service>.*` here).
 */
const NEEDS_BY_TYPE: Record<string, string[]> = {
    "gcp:artifactregistry/repository:Repository": ["artifactregistry.repositories.create"],
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": ["artifactregistry.repositories.setIamPolicy"],
    // The runtime account is attached to the service: actAs on it.
    "gcp:cloudrunv2/service:Service": ["run.services.create", "iam.serviceAccounts.actAs"],
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": ["run.services.setIamPolicy"],
    "gcp:monitoring/alertPolicy:AlertPolicy": ["monitoring.alertPolicies.create"],
    "gcp:monitoring/dashboard:Dashboard": ["monitoring.dashboards.create"],
    "gcp:monitoring/notificationChannel:NotificationChannel": ["monitoring.notificationChannels.create"],
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": ["monitoring.uptimeCheckConfigs.create"],
    // The provider reads the project on every read of a Service (deployments/gcpOidc.ts, FEDERATION_APIS).
    "gcp:projects/service:Service": ["serviceusage.services.enable", "serviceusage.services.get", "resourcemanager.projects.get"],
    "gcp:projects/serviceIdentity:ServiceIdentity": [],
    "gcp:secretmanager/secret:Secret": ["secretmanager.secrets.create"],
    "gcp:secretmanager/secretIamMember:SecretIamMember": ["secretmanager.secrets.setIamPolicy"],
    // The provider reads a version's payload back (versions.access).
    "gcp:secretmanager/secretVersion:SecretVersion": ["secretmanager.versions.add", "secretmanager.versions.access"],
    "gcp:serviceaccount/account:Account": ["iam.serviceAccounts.create"],
    "gcp:storage/bucket:Bucket": ["storage.buckets.create"],
    "gcp:storage/bucketIAMMember:BucketIAMMember": ["storage.buckets.setIamPolicy"],
};

/**
 * The program's own reads of Google APIs: where each is made (a fragment of the call that file must still hold),
 * what it needs, and whether a preview makes it too (then the preview account needs it as well).
 */
const DIRECT_READS: { at: string; call: string; permission: string; preview: boolean }[] = [
    { at: "components/gcp/cloudRunGcsService.ts", call: "getProjectOutput", permission: "resourcemanager.projects.get", preview: true },
    // The quota check, before registration (components/accountLimitChecks.ts) and in the component.
    { at: "components/gcp/cloudRunQuota.ts", call: "/quotaInfos/", permission: "cloudquotas.quotas.get", preview: true },
    { at: "components/gcp/artifactRegistryTags.ts", call: "/tags/", permission: "artifactregistry.tags.get", preview: true },
    // image.verify (prod), in a preview too: signature, attestations, scan.
    { at: "components/gcp/artifactRegistryTags.ts", call: "/versions/", permission: "artifactregistry.versions.get", preview: true },
    { at: "components/image/ociRegistry.ts", call: "manifests/", permission: "artifactregistry.repositories.downloadArtifacts", preview: true },
    { at: "components/gcp/containerAnalysisScan.ts", call: "/occurrences", permission: "containeranalysis.occurrences.list", preview: true },
    // gcp:region against Cloud Run's locations (components/regionChecks.ts), before registration.
    { at: "components/gcp/cloudRunLocations.ts", call: "run.googleapis.com/v1/projects/", permission: "run.locations.list", preview: true },
    // The canary's stable revision (components/stableRevisionChecks.ts and the cleanup policy's keep rule).
    { at: "components/gcp/rollbackTarget.ts", call: "/revisions/", permission: "run.revisions.get", preview: true },
    // The activation probes: `up` only (a preview asks nothing).
    { at: "components/gcp/apiActivation.ts", call: "run.googleapis.com/v2/projects/", permission: "run.services.list", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "/repositories?pageSize=1", permission: "artifactregistry.repositories.list", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "storage/v1/b?project=", permission: "storage.buckets.list", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "/serviceAccounts?pageSize=1", permission: "iam.serviceAccounts.list", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "/alertPolicies?pageSize=1", permission: "monitoring.alertPolicies.list", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "/secrets?pageSize=1", permission: "secretmanager.secrets.list", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "/quotaInfos?pageSize=1", permission: "cloudquotas.quotas.get", preview: false },
    { at: "components/gcp/apiActivation.ts", call: "/occurrences?pageSize=1", permission: "containeranalysis.occurrences.list", preview: false },
];

/** What deploy-prod.yml's release account does with its project roles: metric reads (release/metrics). */
const RELEASE_NEEDS = ["monitoring.timeSeries.list"];
/** What its probes need on the stack's service, granted there by the stack (components/gcp/cloudRunGcsService.ts, gcp.releaseInvokers). */
const RELEASE_SERVICE_NEEDS = ["run.routes.invoke"];
/**
 * The workflows' repository roles (components/gcp/imageRegistry.ts grantRegistryAccess): image.yml's `--missing`
 * (tags.get), the push and cosign's .sig/.att tags (upload, tags.update); the promotion's pull.
 */
const WRITER_NEEDS = ["artifactregistry.tags.get", "artifactregistry.repositories.downloadArtifacts", "artifactregistry.repositories.uploadArtifacts", "artifactregistry.tags.update"];
const READER_NEEDS = ["artifactregistry.tags.get", "artifactregistry.repositories.downloadArtifacts"];

/** The GCP resource types the stacks register, from the program's URN record (every stack file under mocks). */
function registeredGcpTypes(): string[] {
    const record = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "tests", "program", "stateUrns.json"), "utf8")) as Record<string, string[]>;
    const types = Object.entries(record)
        .filter(([stack]) => !stack.startsWith("deployments/"))
        .flatMap(([, urns]) => urns.map((urn) => urn.split("::")[2].split("$").pop()!))
        .filter((t) => t.startsWith("gcp:"));
    return [...new Set(types)].sort();
}

const unknownFor = (who: string) => new Set(UNKNOWN.filter((u) => u.who === who).map((u) => u.permission));

/** Each needed permission none of `roles` includes, with what needs it; a permission missing from the table is a failure of its own. */
function uncovered(roles: string[], needs: { permission: string; by: string }[], who: string): string[] {
    const unknown = unknownFor(who);
    return needs
        .filter((n) => !unknown.has(n.permission))
        .flatMap((n) => {
            const entry = ROLES_WITH[n.permission];
            if (!entry) return [`${n.permission} (${n.by}) is not in ROLES_WITH: add its roles, with the page that lists them`];
            if (entry.roles.some((r) => roles.includes(r))) return [];
            return [`${n.permission} (${n.by}): none of ${roles.join(", ")}; it is in ${entry.roles.join(", ")} (${entry.source}). Google answers 403 PERMISSION_DENIED "Permission '${n.permission}' denied on resource ..."`];
        });
}

const deployerNeeds = () => [
    ...registeredGcpTypes().flatMap((t) => (NEEDS_BY_TYPE[t] ?? []).map((permission) => ({ permission, by: `registers ${t}` }))),
    ...DIRECT_READS.map((r) => ({ permission: r.permission, by: `${r.at} (${r.call})` })),
];
const previewNeeds = () => DIRECT_READS.filter((r) => r.preview).map((r) => ({ permission: r.permission, by: `${r.at} (${r.call}), in a preview` }));

const emailOf = (plan: DeploymentsPlan, name: string) => plan.accounts().find((a) => a.name === name)?.outputs.email as string;
/** An account's project roles, by the project they are granted in (the preview account has one set per stack project). */
function rolesByProject(plan: DeploymentsPlan, name: string): Map<string, string[]> {
    const byProject = new Map<string, string[]>();
    for (const g of plan.grantsOf(`serviceAccount:${emailOf(plan, name)}`)) byProject.set(g.inputs.project, [...(byProject.get(g.inputs.project) ?? []), g.inputs.role]);
    return byProject;
}
/** An account's roles in its one project (a deployer's, the release account's: the stack's own). */
function projectRolesOf(plan: DeploymentsPlan, name: string): string[] {
    const byProject = rolesByProject(plan, name);
    assert.strictEqual(byProject.size, 1, `${name} has roles in one project (got ${[...byProject.keys()].join(", ")})`);
    return [...byProject.values()][0];
}

describe("deployments/: the Google Cloud identities hold what the program needs (IAM's roles and permissions reference)", function () {
    this.timeout(60_000);
    let plan: DeploymentsPlan;
    before(async () => {
        plan = await deploymentsPlan();
    });

    it("every GCP resource type the stacks register has its permissions listed here", () => {
        const types = registeredGcpTypes().filter((t) => t !== "pulumi:providers:gcp");
        assert.ok(types.length > 10, `the URN record names the stacks' types (got ${types.join(", ")})`);
        assert.deepStrictEqual(types.filter((t) => !(t in NEEDS_BY_TYPE)), [], "a new resource type: add what creating it needs to NEEDS_BY_TYPE");
    });

    it("every read listed is still made where it says", () => {
        const missing = DIRECT_READS.filter((r) => !fs.readFileSync(path.join(PROJECT_ROOT, r.at), "utf8").includes(r.call)).map((r) => `${r.at}: ${r.call}`);
        assert.deepStrictEqual(missing, []);
    });

    it("each stack's deployer holds every permission of its `pulumi up` (resource types and the program's own reads)", () => {
        const stacks = plan.accounts().filter((a) => /^deploy-/.test(a.name)).map((a) => a.name);
        assert.deepStrictEqual(stacks.sort(), ["deploy-dev", "deploy-prod", "deploy-review"]);
        for (const deployer of stacks) {
            assert.deepStrictEqual(uncovered(projectRolesOf(plan, deployer), deployerNeeds(), "deployer"), [], `${deployer} lacks`);
        }
    });

    it("the preview account holds every read a `pulumi preview` makes (prod's image verification included)", () => {
        const byProject = rolesByProject(plan, "preview");
        assert.deepStrictEqual([...byProject.keys()].sort(), ["multicloud-service-dev", "multicloud-service-prod"], "a preview reads each stack's project");
        for (const [project, roles] of byProject) assert.deepStrictEqual(uncovered(roles, previewNeeds(), "preview"), [], `preview lacks in ${project}`);
    });

    it("the release account holds its metric reads in its project, and its probes on the stack's service", () => {
        assert.deepStrictEqual(uncovered(projectRolesOf(plan, "release-prod"), RELEASE_NEEDS.map((permission) => ({ permission, by: "release/" })), "release"), []);
        // The stack's grant is roles/run.invoker on its service (tests/gcp/service.spec.ts, "the release's invokers").
        assert.deepStrictEqual(uncovered(["roles/run.invoker"], RELEASE_SERVICE_NEEDS.map((permission) => ({ permission, by: "release/probe" })), "release"), []);
    });

    it("the release probe's ID token: whoever may mint the release account's ID tokens holds getOpenIdToken on it (deployments/gcpOidc.ts)", () => {
        const release = emailOf(plan, "release-prod");
        // Its grants but the GitHub environment's impersonation (workloadIdentityUser, a principal, not a minter).
        const grants = plan
            .ofType("gcp:serviceaccount/iAMMember:IAMMember")
            .filter((g) => String(g.inputs.serviceAccountId).endsWith(`/serviceAccounts/${release}`) && g.inputs.role !== "roles/iam.workloadIdentityUser");
        const minters = [...new Set(grants.map((g) => g.inputs.member as string))].sort();
        // The release job mints with its own credentials; a release run by hand with the deployer's.
        assert.deepStrictEqual(minters, [`serviceAccount:${release}`, `serviceAccount:${emailOf(plan, "deploy-prod")}`].sort());
        for (const minter of minters) {
            const roles = grants.filter((g) => g.inputs.member === minter).map((g) => g.inputs.role as string);
            assert.deepStrictEqual(uncovered(roles, [{ permission: "iam.serviceAccounts.getOpenIdToken", by: `${minter}, the probe's ID token (release/probe)` }], "release"), []);
        }
    });

    it("the workflows' repository roles hold the push, the signatures' tags and the promotion's pull", () => {
        const source = fs.readFileSync(path.join(PROJECT_ROOT, "components/gcp/imageRegistry.ts"), "utf8");
        assert.match(source, /role: "roles\/artifactregistry\.writer", as: "writer"/);
        assert.match(source, /role: "roles\/artifactregistry\.reader", as: "reader"/);
        assert.deepStrictEqual(uncovered(["roles/artifactregistry.writer"], WRITER_NEEDS.map((permission) => ({ permission, by: "image.yml, promotion" })), "image"), []);
        assert.deepStrictEqual(uncovered(["roles/artifactregistry.reader"], READER_NEEDS.map((permission) => ({ permission, by: "promotion" })), "promote"), []);
    });

    it("no role in gcpDeployerRoles is spare: without any one of them something the program needs is refused", () => {
        const roles = projectRolesOf(plan, "deploy-prod");
        for (const role of roles) {
            const without = roles.filter((r) => r !== role);
            assert.notDeepStrictEqual(uncovered(without, deployerNeeds(), "deployer"), [], `${role} covers nothing the program needs alone`);
        }
    });

    it("the preview account's reads rest on roles/viewer: without it the quota, tag and scan reads are refused", () => {
        const roles = rolesByProject(plan, "preview").get("multicloud-service-prod")!.filter((r) => r !== "roles/viewer");
        const problems = uncovered(roles, previewNeeds(), "preview");
        for (const permission of ["cloudquotas.quotas.get", "artifactregistry.tags.get", "artifactregistry.repositories.downloadArtifacts", "run.revisions.get"]) {
            assert.ok(problems.some((p) => p.startsWith(`${permission} `)), `${permission} would be refused without roles/viewer:\n${problems.join("\n")}`);
        }
    });

    it("a gcpDeployerRoles without containeranalysis.occurrences.viewer fails this check (naming the scan read)", async () => {
        const narrowed = await deploymentsPlan((s) => {
            s.gcpDeployerRoles = (s.gcpDeployerRoles ?? GCP_DEPLOYER_ROLES).filter((r: string) => r !== "roles/containeranalysis.occurrences.viewer");
        });
        const problems = uncovered(projectRolesOf(narrowed, "deploy-prod"), deployerNeeds(), "deployer");
        assert.ok(problems.some((p) => p.startsWith("containeranalysis.occurrences.list (components/gcp/containerAnalysisScan.ts")), problems.join("\n"));
    });

    for (const u of UNKNOWN) {
        it(`UNKNOWN (${u.who}): ${u.permission}: ${u.why}`, function () {
            this.skip();
        });
    }
});
