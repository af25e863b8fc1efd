import * as pulumi from "@pulumi/pulumi";

export type ImagePlatform = "linux/amd64" | "linux/arm64";

/** How to build the service image from source. */
export interface ImageBuildSpec {
    /** Build context folder (the reference service: `app/`). */
    context: string;
    /** Dockerfile path, relative to the context. Default `Dockerfile`. */
    dockerfile?: string;
    platform: ImagePlatform;
    buildArgs?: Record<string, string>;
}

/** Either the image of this source (looked up in the registry, built only when missing), or one built elsewhere. */
export type ImageSource = { build: ImageBuildSpec } | { prebuilt: string };

export interface RegistryCredentials {
    server: pulumi.Input<string>;
    username: pulumi.Input<string>;
    password: pulumi.Input<string>;
}

/** A repository the image may already be in, asked by tag through the cloud's own API (no Docker needed). */
export interface ImageLookup {
    /** Where the image is looked for, for messages, e.g. `ECR repository multicloud-service-dev (ap-northeast-1)`. */
    description: string;
    /** The `sha256:` digest of the image under this tag, or undefined when the tag (or the repository) is not there. */
    findDigest(tag: string): Promise<string | undefined>;
}

export interface ServiceImageArgs {
    source: ImageSource;
    /** Repository to push a build to, without a tag, e.g. `123.dkr.ecr.region.amazonaws.com/name`. */
    repositoryUrl: pulumi.Input<string>;
    registry: RegistryCredentials;
    lookup: ImageLookup;
    /** The repository resource: lookups, waits and pushes happen after it exists. */
    repository: pulumi.Resource;
    /** How long `pulumi up` waits for the image workflow to push a missing tag when it cannot build here. */
    waitMinutes: number;
}
