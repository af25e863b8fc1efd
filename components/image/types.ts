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

/** Either build the image here, or use one built elsewhere (CI), given by digest. */
export type ImageSource = { build: ImageBuildSpec } | { prebuilt: string };

export interface RegistryCredentials {
    server: pulumi.Input<string>;
    username: pulumi.Input<string>;
    password: pulumi.Input<string>;
}

export interface ServiceImageArgs {
    source: ImageSource;
    /** Repository to push a build to, without a tag, e.g. `123.dkr.ecr.region.amazonaws.com/name`. */
    repositoryUrl: pulumi.Input<string>;
    registry: RegistryCredentials;
}
