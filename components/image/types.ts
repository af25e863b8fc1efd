import * as pulumi from "@pulumi/pulumi";

export type ImagePlatform = "linux/amd64" | "linux/arm64";

/** How to build the service image from source. */
export interface ImageBuild {
    /** Build context folder: absolute, or relative to the folder `pulumi up` runs in (the reference service: `app`). */
    context: string;
    /** Dockerfile path, relative to the context. Default `Dockerfile`. */
    dockerfile?: string;
    /** Docker build arguments (`ARG`s of the Dockerfile). They are part of the image's content tag. */
    buildArgs?: { [name: string]: string };
}

/** A build for one platform: what the registry is asked for and, when missing, what is built. */
export interface ImageBuildSpec extends ImageBuild {
    platform: ImagePlatform;
}

/**
 * Where the service image comes from: set exactly one of `build` and `prebuilt`. A component refuses both or
 * neither (an interface of two optional fields rather than a union, so that every Pulumi language can write it).
 */
export interface ImageSource {
    /** Build from this source. The image of its content tag is looked up in the registry and built only when missing. */
    build?: ImageBuild;
    /** An image built elsewhere, pinned by digest: `<repository>@sha256:<64 hex digits>`. */
    prebuilt?: string;
}

/** An image source whose choice is made: the build for the cloud's platform, or the prebuilt image. */
export type ImageChoice = { build: ImageBuildSpec } | { prebuilt: string };

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
    source: ImageChoice;
    /** Repository to push a build to, without a tag, e.g. `123.dkr.ecr.region.amazonaws.com/name`. */
    repositoryUrl: pulumi.Input<string>;
    registry: RegistryCredentials;
    lookup: ImageLookup;
    /** The repository resource: lookups, waits and pushes happen after it exists. */
    repository: pulumi.Resource;
    /** How long `pulumi up` waits for the image workflow to push a missing tag when it cannot build here. */
    waitMinutes: number;
}
