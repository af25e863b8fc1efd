import * as pulumi from "@pulumi/pulumi";
import { configPlatform } from "../image/imagePlatform";
import { Absence, INDEX_TYPES, MANIFEST_TYPES, OciManifest, OciRepository, isIndexMediaType, manifestOrAbsence } from "../image/ociRegistry";
import { registryLocation } from "../image/registryLocation";
import { DIGEST_REF, ImagePlatform } from "../image/types";
import { UnrunnableImage } from "../image/unrunnableImage";
import { perRun } from "../perRun";

/**
 * The only platform Cloud Run runs: its container runtime contract requires executables compiled for Linux 64-bit
 * (x86-64), and a multi-architecture image to include linux/amd64 (cloud.google.com/run/docs/container-contract).
 */
export const CLOUD_RUN_PLATFORM: ImagePlatform = "linux/amd64";

/**
 * Refuses a prebuilt image (`<repository>@<digest>`, read through the registry API at `registry`) Cloud Run cannot run,
 * before anything runs it. An index without a linux/amd64 image Cloud Run refuses at deploy; a single manifest of
 * another platform it takes, and the revision then fails to start ("The user-provided container failed to start and
 * listen on the port defined provided by the PORT=8080 environment variable", an arm64 image in pulumi/templates#490);
 * either after the rest of the service was created. An image that cannot be read (the registry refuses, does not
 * hold it, or is not reached) is left to Cloud Run, with a warning, and so, silently, is a config naming no platform.
 */
export async function refuseUnrunnableCloudRunImage(
    registry: () => Promise<OciRepository>,
    repository: string,
    digest: string,
    warn: (message: string) => void = (m) => pulumi.log.warn(m),
): Promise<void> {
    const image = `${repository}@${digest}`;
    const leftToCloudRun = (why: string) => warn(`prebuilt image ${image}: ${why}, so whether it is built for ${CLOUD_RUN_PLATFORM} is left to Cloud Run`);
    let read: ImageRead;
    try {
        read = await readImage(image, registry, digest);
    } catch (err) {
        return leftToCloudRun(`it could not be read from its registry (${(err as Error).message})`);
    }
    if ("absent" in read) return leftToCloudRun(`its registry does not hold it (${read.absent})`);
    const { manifest, platform } = read;
    if (isIndex(manifest)) {
        const entries = (manifest.manifests ?? []).map((m) => m.platform).filter((p) => p !== undefined);
        if (entries.some((p) => `${p.os}/${p.architecture}` === CLOUD_RUN_PLATFORM)) return;
        // BuildKit's attestation manifests say unknown/unknown: they are not images of a platform.
        const platforms = [...new Set(entries.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join("/")))].filter((p) => p !== "unknown/unknown");
        throw new UnrunnableImage(
            `prebuilt image ${image} is an image index without a ${CLOUD_RUN_PLATFORM} image (it has ${platforms.join(", ") || "none of a platform"}), and Cloud Run runs ${CLOUD_RUN_PLATFORM} only: ` +
                `it would refuse the image at deploy. Name an image built for ${CLOUD_RUN_PLATFORM} (docker buildx build --platform ${CLOUD_RUN_PLATFORM})`,
        );
    }
    if (platform && platform !== CLOUD_RUN_PLATFORM) {
        throw new UnrunnableImage(
            `prebuilt image ${image} is built for ${platform}, and Cloud Run runs ${CLOUD_RUN_PLATFORM} only: it would take the image and the revision would fail to start. ` +
                `Name an image built for ${CLOUD_RUN_PLATFORM} (docker buildx build --platform ${CLOUD_RUN_PLATFORM}), or an index that includes one`,
        );
    }
}

/** The image's manifest (and a single manifest's platform, from its config), or the code its registry answered that it is not there. */
type ImageRead = { manifest: OciManifest; platform?: string } | { absent: Absence };

/** Prebuilt images read in this run: the program's check and the component's share one reading. */
const readImages = perRun<ImageRead>();

function readImage(image: string, registry: () => Promise<OciRepository>, digest: string): Promise<ImageRead> {
    return readImages(image, async () => {
        const repo = await registry();
        const read = await manifestOrAbsence(repo, digest, [...MANIFEST_TYPES, ...INDEX_TYPES]);
        if ("absent" in read) return read;
        return { manifest: read.manifest, platform: isIndex(read.manifest) ? undefined : await configPlatform(repo, read.manifest) };
    });
}

/**
 * The check of a prebuilt image (`<repository>@<digest>`), started now so that a component's first resources can wait
 * for it (nothing is created for an image Cloud Run would refuse); resolved at once for no prebuilt image. A refusal is
 * handled here too, as it fails the update through what waits for it.
 */
export function checkingCloudRunImage(
    prebuilt: string | undefined,
    repositoryOf: (host: string, name: string) => Promise<OciRepository>,
    warn?: (message: string) => void,
): Promise<void> {
    const digest = prebuilt ? DIGEST_REF.exec(prebuilt)?.[1] : undefined;
    if (!prebuilt || !digest) return Promise.resolve();
    const repository = prebuilt.slice(0, prebuilt.lastIndexOf("@"));
    const { host, name } = registryLocation(repository);
    const checking = refuseUnrunnableCloudRunImage(() => repositoryOf(host, name), repository, digest, warn);
    checking.catch(() => undefined);
    return checking;
}

const isIndex = (manifest: OciManifest) => isIndexMediaType(manifest.mediaType) || manifest.manifests !== undefined;
