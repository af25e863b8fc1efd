/** Every content tag starts with this (see components/image/contentTag.ts); cleanup policies match on it. */
export const CONTENT_TAG_PREFIX = "c-";
/** The service image's name in the stack's Artifact Registry repository. */
export const IMAGE_NAME = "service";

/** An Artifact Registry Docker repository's path, `<region>-docker.pkg.dev/<project>/<repository>`. */
export function artifactRegistryPath(ref: { region: string; project: string; repositoryId: string }): string {
    return `${ref.region}-docker.pkg.dev/${ref.project}/${ref.repositoryId}`;
}
