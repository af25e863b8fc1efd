import * as pulumi from "@pulumi/pulumi";
import type { ImageVerificationPolicy } from "./imageVerification";
import type { OciRepository } from "./ociRegistry";
import type { VulnerabilityScanner } from "./vulnerabilityScan";

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

/** A build for one platform: the content tag the registry is asked for. */
export interface ImageBuildSpec extends ImageBuild {
    platform: ImagePlatform;
}

/** A prebuilt image's reference as ImageSource takes it: `<repository>@sha256:<64 hex digits>`, the digest captured. */
export const DIGEST_REF = /^[a-z0-9][a-z0-9._\-/:]*@(sha256:[0-9a-f]{64})$/;

/**
 * Where the service image comes from: set exactly one of `build` and `prebuilt`. A component refuses both or
 * neither (an interface of two optional fields rather than a union, so that every Pulumi language can write it).
 */
export interface ImageSource {
    /** Run the image of this source's content tag, as the image workflow (or `npm run image`) pushed it. `pulumi up` never builds. */
    build?: ImageBuild;
    /** An image built elsewhere, pinned by digest: `<repository>@sha256:<64 hex digits>`. */
    prebuilt?: string;
}

/** An image source whose choice is made: the build for the cloud's platform, or the prebuilt image. */
export type ImageChoice = { build: ImageBuildSpec } | { prebuilt: string };

/** A repository the image may already be in, asked by tag through the cloud's own API (no Docker needed). */
export interface ImageLookup {
    /** Where the image is looked for, for messages, e.g. `ECR repository multicloud-service-dev (ap-northeast-1)`. */
    description: string;
    /**
     * The `sha256:` digest of the image under this tag, or undefined when the registry answers that the tag (or the
     * repository) is not there, decided by the API's error code, never by its prose. Any other answer throws.
     */
    findDigest(tag: string): Promise<string | undefined>;
    /** The repository as the OCI distribution API reaches it, where its signatures and attestations are read. */
    repository?: () => Promise<OciRepository>;
    /** A repository elsewhere on the same kind of registry (a prebuilt image's), with this lookup's credentials. */
    prebuiltRepository?: (host: string, name: string) => Promise<OciRepository>;
    /** Refuses a prebuilt image (`repository` without the digest) the platform cannot run, where the registry says so. */
    checkPrebuilt?: (repository: string, digest: string) => Promise<void>;
    /** The registry's vulnerability scan of an image, which `image.verify.refuseSeverity` judges. */
    scanner?: VulnerabilityScanner;
}

export interface ServiceImageArgs {
    source: ImageChoice;
    /** Repository the image is in, without a tag, e.g. `123.dkr.ecr.region.amazonaws.com/name`. */
    repositoryUrl: pulumi.Input<string>;
    lookup: ImageLookup;
    /**
     * What must exist before the registry is asked (the repository, the registry's API): the lookup runs once these
     * are known, so a preview of a new stack shows the digest as unknown instead of asking a registry that is not there.
     */
    ready: pulumi.Input<unknown>[];
    /** How long `pulumi up` waits, in minutes, for a missing tag to be pushed (or promoted). */
    waitMinutes: number;
    /** Who puts this stack's image in the registry, for progress lines and errors. */
    pushedBy: string;
    /** Deploy only an image whose signature and attestations verify (`image.verify`); unset: no check. */
    verify?: ImageVerificationPolicy;
}
