import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ImageLookup, ServiceImage, digestOf, imageChoice, unlessNotFound } from "../image";
import { CloudRunGcsServiceArgs } from "./args";
import { CONTENT_TAG_PREFIX, IMAGE_NAME } from "./imageNames";
import { imageTagOfRevision } from "./rollbackTarget";

export { CONTENT_TAG_PREFIX, IMAGE_NAME };

/**
 * Artifact Registry's cleanup. A KEEP policy only exempts versions from DELETE policies, and every image here is
 * tagged, so a delete policy must match tagged images for anything to go: images under the content tags are
 * deleted except the newest `imagesToKeep` (kept) and the rollback target (the image of the stable revision,
 * however old). Untagged leftovers go too. KEEP wins over DELETE whatever the order.
 */
export function cleanupPolicies(imagesToKeep: number, protectedTag?: string) {
    const keepRollbackTarget = protectedTag ? [{ id: "keep-rollback-target", action: "KEEP", condition: { tagState: "TAGGED", tagPrefixes: [protectedTag] } }] : [];
    return [
        ...keepRollbackTarget,
        { id: "keep-most-recent", action: "KEEP", mostRecentVersions: { keepCount: imagesToKeep } },
        { id: "delete-older-builds", action: "DELETE", condition: { tagState: "TAGGED", tagPrefixes: [CONTENT_TAG_PREFIX] } },
        { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED" } },
    ];
}

/** The Artifact Registry repository of a stack, known without asking GCP (the image workflow pushes to it). */
export function registryRepositoryId(registryName: string, environment: string): string {
    return `${registryName}-${environment}`.toLowerCase();
}

/** Asks Artifact Registry for `service:<tag>`; a missing tag or repository is "not there", anything else fails. */
export function artifactRegistryLookup(args: { project: string; region: string; repositoryId: string }, parent: pulumi.Resource | undefined): ImageLookup {
    return {
        description: `Artifact Registry repository ${args.region}-docker.pkg.dev/${args.project}/${args.repositoryId}`,
        findDigest: (tag) =>
            unlessNotFound(async () => {
                const image = await gcp.artifactregistry.getDockerImage(
                    { project: args.project, location: args.region, repositoryId: args.repositoryId, imageName: `${IMAGE_NAME}:${tag}` },
                    { parent },
                );
                return digestOf(image.selfLink);
            }),
    };
}

/**
 * The Docker repository in Artifact Registry and the service image in it (looked up by content tag, built only
 * when missing, pushed with an access token of the provider's own credentials), or a prebuilt image.
 */
export function createImageRegistry(
    name: string,
    args: Pick<CloudRunGcsServiceArgs, "environment" | "project" | "region" | "labels" | "image" | "imagesToKeep" | "isProduction" | "imageWaitMinutes" | "canary">,
    opts: pulumi.CustomResourceOptions,
) {
    const repositoryId = registryRepositoryId(name, args.environment);
    const client = gcp.organizations.getClientConfigOutput({ parent: opts.parent });
    const stable = args.canary?.stableRevision;
    const protectedTag = stable
        ? imageTagOfRevision({ project: args.project, region: args.region, revision: stable }, client.accessToken, repositoryId, opts.parent)
        : pulumi.output(undefined);
    const repository = new gcp.artifactregistry.Repository(
        name,
        {
            project: args.project,
            location: args.region,
            repositoryId,
            format: "DOCKER",
            description: "Images of the multicloud service",
            dockerConfig: { immutableTags: true },
            cleanupPolicyDryRun: false,
            cleanupPolicies: protectedTag.apply((tag) => cleanupPolicies(args.imagesToKeep, tag)),
            labels: args.labels,
        },
        { ...opts, protect: args.isProduction },
    );
    const source = imageChoice(args.image, "linux/amd64");
    const image = new ServiceImage(
        `${name}-image`,
        {
            source,
            repositoryUrl: pulumi.interpolate`${repository.registryUri}/${IMAGE_NAME}`,
            registry: { server: `${args.region}-docker.pkg.dev`, username: "oauth2accesstoken", password: pulumi.secret(client.accessToken) },
            lookup: artifactRegistryLookup({ project: args.project, region: args.region, repositoryId }, opts.parent),
            repository,
            waitMinutes: args.imageWaitMinutes ?? 20,
        },
        { parent: opts.parent },
    );
    return { repository, image };
}
