import { pulumiImportCommand } from "../../release/stack/pulumiImportCommand";
import { RecordedResource } from "../offline/mockCloud";
import { inTreeOrder } from "./treeOrder";

/**
 * Cloud resources the program names itself (every other one gets Pulumi's random suffix, and a Lambda alias is named
 * inside its own new function): on a first `up` in an account or project that already holds one of these names (the
 * runbooks this program replaces made the same kinds of resources), the create fails, or a dashboard is overwritten.
 * Each with the ID `pulumi import` adopts it by (the provider's docs, "Import", or its Read). deployments/ names its
 * identities and Pulumi Cloud objects the same way.
 */
interface FixedName {
    /** The input that holds the name. */
    nameInput: string;
    /** Undefined: what holds the name cannot be adopted (`notAdopted` says why). */
    importId?(inputs: Record<string, any>): string;
    notAdopted?: string;
    /** What the provider does when the name is taken (and how to free it, from the resource's inputs). */
    whenTaken: string | ((inputs: Record<string, any>) => string);
}

const FIXED_NAMES: Record<string, FixedName> = {
    "aws:ecr/repository:Repository": {
        nameInput: "name",
        importId: (inputs) => inputs.name,
        // terraform-provider-aws ecr/repository.go: CreateRepository's error, then "creating ECR Repository (<name>)".
        whenTaken:
            "the create fails (RepositoryAlreadyExistsException); an adopted repository must already be KMS-encrypted (its encryption is set at creation: a change replaces it, which prod's protect refuses)",
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        nameInput: "dashboardName",
        importId: (inputs) => inputs.dashboardName,
        // terraform-provider-aws cloudwatch/dashboard.go: create is PutDashboard, which replaces a dashboard of that name.
        whenTaken: "nothing fails: PutDashboard replaces the dashboard of that name, and a destroy deletes it",
    },
    "gcp:serviceaccount/account:Account": {
        nameInput: "accountId",
        importId: (inputs) => `projects/${inputs.project}/serviceAccounts/${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`,
        whenTaken: "the create fails (googleapi: Error 409 ... already exists, alreadyExists)",
    },
    "gcp:artifactregistry/repository:Repository": {
        nameInput: "repositoryId",
        importId: (inputs) => `projects/${inputs.project}/locations/${inputs.location}/repositories/${inputs.repositoryId}`,
        whenTaken: "the create fails (googleapi: Error 409, alreadyExists)",
    },
    // deployments/: the identities, the signing key's alias and the Pulumi Cloud objects it names.
    "aws:iam/policy:Policy": {
        nameInput: "name",
        importId: (inputs) => `arn:aws:iam::<account>:policy/${inputs.name}`,
        whenTaken: "the create fails (EntityAlreadyExists)",
    },
    "aws:kms/alias:Alias": {
        nameInput: "name",
        importId: (inputs) => inputs.name,
        whenTaken: "the create fails (AlreadyExistsException): an alias names one key of the account and region",
    },
    // terraform-provider-google iam_workload_identity_pool_provider docs: a deleted provider keeps its ID for about 30
    // days, as the pool does; its import ID is its full name.
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": {
        nameInput: "workloadIdentityPoolProviderId",
        importId: (inputs) => `projects/${inputs.project}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}/providers/${inputs.workloadIdentityPoolProviderId}`,
        whenTaken: (inputs) =>
            "the create fails (googleapi: Error 409); a provider deleted in the last 30 days still holds its ID: undelete its pool first (above), then it " +
            `(gcloud iam workload-identity-pools providers undelete ${inputs.workloadIdentityPoolProviderId} --workload-identity-pool=${inputs.workloadIdentityPoolId} --location=global --project ${inputs.project}), then adopt it (docs/setup.md)`,
    },
    // Pulumi Cloud's team token API: a token's name "must be unique across the organization (including deleted tokens)".
    "pulumiservice:index:TeamAccessToken": {
        nameInput: "name",
        notAdopted: "a token's value is shown only when it is made, so Deployments could not be given it",
        whenTaken:
            "the create fails (error creating team access token): Pulumi Cloud never gives a token name again, deleted tokens included; " +
            "raise tokenGeneration (deployments/Pulumi.main.yaml) for new names",
    },
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": {
        nameInput: "workloadIdentityPoolId",
        importId: (inputs) => `projects/${inputs.project}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}`,
        whenTaken: (inputs) =>
            "the create fails (googleapi: Error 409); a pool deleted in the last 30 days still holds its ID: undelete it " +
            `(gcloud iam workload-identity-pools undelete ${inputs.workloadIdentityPoolId} --location=global --project ${inputs.project}), then adopt it (docs/setup.md)`,
    },
    // pulumi-pulumiservice provider/pkg/resources: a stack's ID is org/project/stack, a team's org/team, an environment's org/project/name.
    "pulumiservice:index:Stack": {
        nameInput: "stackName",
        importId: (inputs) => `${inputs.organizationName}/${inputs.projectName}/${inputs.stackName}`,
        whenTaken: "the create fails (the stack exists, as after `pulumi stack init`)",
    },
    "pulumiservice:index:Team": {
        nameInput: "name",
        importId: (inputs) => `${inputs.organizationName}/${inputs.name}`,
        whenTaken: "the create fails (error creating team)",
    },
    "pulumiservice:index:Environment": {
        nameInput: "name",
        importId: (inputs) => `${inputs.organization}/${inputs.project}/${inputs.name}`,
        whenTaken: "the create fails (failed to create new environment)",
    },
    // pulumi-pulumiservice v1.3.0 policy_group.go: the ID is org/name (Create), and a failed create says "error creating policy group '<name>'".
    "pulumiservice:index:PolicyGroup": {
        nameInput: "name",
        importId: (inputs) => `${inputs.organizationName}/${inputs.name}`,
        whenTaken: "the create fails (error creating policy group); adopted, its stacks and packs become the program's",
    },
    "gcp:secretmanager/secret:Secret": {
        nameInput: "secretId",
        importId: (inputs) => `projects/${inputs.project}/secrets/${inputs.secretId}`,
        whenTaken: "the create fails (googleapi: Error 409, alreadyExists)",
    },
};

/** The resource types that carry a name of their own choosing. */
export const FIXED_NAME_TYPES = Object.keys(FIXED_NAMES);

export interface TakenName {
    type: string;
    resource: string;
    name: string;
    whenTaken: string;
    /** Adopts the existing resource into the stack once its first `up` has made the provider and the component. */
    importCommand?: string;
    /** Why what holds the name cannot be adopted, where it cannot. */
    notAdopted?: string;
}

/** The names a stack's resources take themselves, in the tree's order. */
export function fixedNamesOf(resources: RecordedResource[]): TakenName[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return inTreeOrder(resources).flatMap(({ resource: r }): TakenName[] => {
        const fixed = FIXED_NAMES[r.type];
        const name = fixed && r.inputs[fixed.nameInput];
        if (!fixed || typeof name !== "string") return [];
        const parent = r.parentUrn ? byUrn.get(r.parentUrn) : undefined;
        // A provider reference is `<urn>::<id>`; `pulumi import --provider` takes the URN alone.
        const providerRef = r.provider?.slice(0, r.provider.lastIndexOf("::"));
        const provider = providerRef ? byUrn.get(providerRef) : undefined;
        const whenTaken = typeof fixed.whenTaken === "string" ? fixed.whenTaken : fixed.whenTaken(r.inputs);
        if (!fixed.importId) return [{ type: r.type, resource: r.name, name, whenTaken, notAdopted: fixed.notAdopted }];
        const command = pulumiImportCommand({
            stack: stackOf(r.urn),
            type: r.type,
            name: r.name,
            id: fixed.importId(r.inputs),
            parent: parent && `${parent.name}=${engineUrn(parent, byUrn)}`,
            provider: provider && `${provider.name}=${engineUrn(provider, byUrn)}`,
        });
        return [{ type: r.type, resource: r.name, name, whenTaken, importCommand: command }];
    });
}

const stackOf = (urn: string) => urn.split("::")[0].slice("urn:pulumi:".length);

/**
 * The URN the engine gives a resource: the types of its parents and its own joined with `$` (pulumi/pulumi
 * resource/urn.go New), the stack itself left out. Pulumi's Node mocks keep only the parent's last type.
 */
export function engineUrn(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    const types: string[] = [];
    for (let r: RecordedResource | undefined = resource; r && r.type !== "pulumi:pulumi:Stack"; r = r.parentUrn ? byUrn.get(r.parentUrn) : undefined) types.unshift(r.type);
    const [prefix, project] = resource.urn.split("::");
    return `${prefix}::${project}::${types.join("$")}::${resource.name}`;
}

/** The plan's section: each name, what happens when it is taken, and the command that adopts what holds it. */
export function renderFixedNames(resources: RecordedResource[]): string[] {
    const names = fixedNamesOf(resources);
    if (names.length === 0) return ["  none: every resource gets a generated name"];
    return [
        "  Where one of these already exists (made by hand or by the runbooks), a first `up` does as said. Free the name, or",
        "  adopt what holds it with the command shown once that `up` has made the stack's providers (README, \"Names already taken\");",
        "  a name marked \"not adopted\" is dealt with as its line says.",
        ...names.flatMap((n) => [`  ${n.name}  (${n.type} ${n.resource}): ${n.whenTaken}`, `    ${n.importCommand ?? `not adopted: ${n.notAdopted}`}`]),
    ];
}
