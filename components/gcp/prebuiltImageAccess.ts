import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { CloudRunGcsServiceArgs } from "./args";
import { waitForNewAccount } from "./accountPropagation";
import { GRANT_PROPAGATION_MS, afterPropagation } from "./grantPropagation";
import { GCP_PROJECT_ID_PART } from "../../config/gcpProjectId";
import { artifactRegistryImageOf } from "./imageNames";

/**
 * A Container Registry reference, `[asia.|eu.|us.]gcr.io/<project>/<image>@sha256:...`; a domain-scoped project
 * `example.com:my-project` is written `example.com/my-project` there (Artifact Registry docs, "Repository and image
 * names": "the colon in the project id will be replaced with a forward slash").
 */
const GCR_REF = new RegExp(String.raw`^((?:asia|eu|us)\.)?gcr\.io\/(?:([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/)?(${GCP_PROJECT_ID_PART})\/`);
/**
 * Where Artifact Registry keeps each gcr.io host's images since Container Registry shut down: a repository named
 * after the host, in its multi-region (Artifact Registry docs, "gcr.io repositories": gcr.io and us.gcr.io in `us`,
 * asia.gcr.io in `asia`, eu.gcr.io in `europe`).
 */
export const GCR_LOCATIONS: Record<string, string> = { "": "us", "us.": "us", "asia.": "asia", "eu.": "europe" };

const READER_ROLE = "roles/artifactregistry.reader";

/** The Artifact Registry repository an image is read from, gcr.io's included; undefined for other registries. */
export function artifactRegistryOf(imageRef: string): { location: string; project: string; repository: string } | undefined {
    const artifactRegistry = artifactRegistryImageOf(imageRef);
    if (artifactRegistry) return { location: artifactRegistry.region, project: artifactRegistry.project, repository: artifactRegistry.repositoryId };
    const gcr = GCR_REF.exec(imageRef);
    if (!gcr) return undefined;
    const [, host = "", domain, project] = gcr;
    return { location: GCR_LOCATIONS[host], project: domain ? `${domain}:${project}` : project, repository: `${host}gcr.io` };
}

/** Whether an IAM policy, as the provider's `policyData` writes it (`{"bindings":[{"role","members","condition"?}]}`), grants `role` to `member` unconditionally. */
function policyGrants(policyData: string, role: string, member: string): boolean {
    const policy = JSON.parse(policyData || "{}") as { bindings?: { role?: string; members?: string[]; condition?: unknown }[] };
    return (policy.bindings ?? []).some((b) => b.role === role && !b.condition && (b.members ?? []).includes(member));
}

export interface PrebuiltImageAccess {
    /** The grant, for the service to depend on; none when Cloud Run's agent may read the image already. */
    grants: pulumi.Resource[];
    /** The image reference, known once a grant made by this update has had IAM's usual propagation time. */
    readableImage: (imageRef: pulumi.Input<string>) => pulumi.Output<string>;
}

/**
 * Cloud Run pulls images as its service agent (`service-<project number>@serverless-robot-prod.iam.gserviceaccount.com`),
 * which may read Artifact Registry in its own project only. A prebuilt image in another project's repository (a
 * gcr.io image's too: those live in Artifact Registry now) gets that agent `roles/artifactregistry.reader` on that
 * repository alone (the deploying identity needs to get and set
 * IAM there; a preview reads nothing there).
 *
 * Two things would fail the first `up` otherwise. IAM refuses a grant to a service agent Google has not created
 * yet, and agents may be created "at some point after you activate and use the API" (IAM docs, "Service agents"):
 * the agent is created first (Service Usage's generateServiceIdentity, after `opts.dependsOn`: Cloud Run's API among the
 * component's), and the grant waits until it is known
 * (accountPropagation.ts). And Cloud Run checks that its agent may
 * read the image when it creates the revision ("Google Cloud Run Service Agent ... must have permission to read
 * the image"), which the provider does not retry: when the repository's policy did not hold the grant before this
 * update, the service gets the image only after IAM's usual propagation time.
 */
export function grantPrebuiltImageReader(
    name: string,
    args: Pick<CloudRunGcsServiceArgs, "image" | "project"> & { projectNumber: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): PrebuiltImageAccess {
    const registry = args.image.prebuilt ? artifactRegistryOf(args.image.prebuilt) : undefined;
    if (!registry || registry.project === args.project) return { grants: [], readableImage: (imageRef) => pulumi.output(imageRef) };
    const member = pulumi.interpolate`serviceAccount:service-${args.projectNumber}@serverless-robot-prod.iam.gserviceaccount.com`;
    const agent = new projects.ServiceIdentity(`${name}-agent`, { project: args.project, service: "run.googleapis.com" }, { parent: opts.parent, dependsOn: opts.dependsOn });
    const agentKnown = waitForNewAccount(`${name}-agent-propagation`, { agent: agent.id, member }, { parent: opts.parent });
    // A preview waits for nothing, so it does not read the policy either: previewing needs no IAM access there.
    const grantedBefore = pulumi.runtime.isDryRun()
        ? pulumi.output(true)
        : pulumi.all([artifactregistry.getRepositoryIamPolicyOutput(registry, { parent: opts.parent }).policyData, member]).apply(([policy, m]) => policyGrants(policy, READER_ROLE, m));
    const grant = new artifactregistry.RepositoryIamMember(
        name,
        {
            ...registry,
            role: READER_ROLE,
            // Made only once the policy before it has been read, so that reading says what this update changed.
            member: pulumi.all([agentKnown(member), grantedBefore]).apply(([m]) => m),
        },
        // The binding is the project's agent's, shared by every stack of the project that runs an image from there: a
        // stack's destroy leaves it (deleting an IAM member removes it whoever added it).
        { ...opts, dependsOn: [agent], retainOnDelete: true },
    );
    return {
        grants: [grant],
        readableImage: (imageRef) =>
            pulumi
                .all([imageRef, grantedBefore, grant.etag])
                .apply(([ref, granted]) =>
                    afterPropagation(ref, granted ? 0 : GRANT_PROPAGATION_MS, `Cloud Run reads ${registry.project}/${registry.repository}: its reader grant is new`, grant),
                ),
    };
}
