import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ServiceImage } from "../image";
import { CloudRunGcsServiceArgs } from "./args";

/** Artifact Registry's cleanup: keep the newest `imagesToKeep` versions, delete untagged ones. */
export function cleanupPolicies(imagesToKeep: number) {
    return [
        { id: "keep-most-recent", action: "KEEP", mostRecentVersions: { keepCount: imagesToKeep } },
        { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED" } },
    ];
}

/**
 * The Docker repository in Artifact Registry and the service image in it, pushed with an access token of the
 * provider's own credentials (no key file), or a prebuilt image used as it is.
 */
export function createImageRegistry(
    name: string,
    args: Pick<CloudRunGcsServiceArgs, "environment" | "project" | "region" | "labels" | "image" | "imagesToKeep">,
    opts: pulumi.CustomResourceOptions,
) {
    const repository = new gcp.artifactregistry.Repository(
        name,
        {
            project: args.project,
            location: args.region,
            repositoryId: `${name}-${args.environment}`.toLowerCase(),
            format: "DOCKER",
            description: "Images of the multicloud service",
            dockerConfig: { immutableTags: true },
            cleanupPolicyDryRun: false,
            cleanupPolicies: cleanupPolicies(args.imagesToKeep),
            labels: args.labels,
        },
        opts,
    );
    const client = gcp.organizations.getClientConfigOutput({ parent: opts.parent });
    const source = "prebuilt" in args.image ? args.image : { build: { ...args.image.build, platform: "linux/amd64" as const } };
    const image = new ServiceImage(
        `${name}-image`,
        {
            source,
            repositoryUrl: pulumi.interpolate`${repository.registryUri}/service`,
            registry: { server: `${args.region}-docker.pkg.dev`, username: "oauth2accesstoken", password: pulumi.secret(client.accessToken) },
        },
        { parent: opts.parent },
    );
    return { repository, image };
}
