export { CONTENT_TAG_PREFIX } from "../image/contentTag";
/** The service image's name in the stack's Artifact Registry repository. */
export const IMAGE_NAME = "service";

/** An Artifact Registry Docker repository's path, `<region>-docker.pkg.dev/<project>/<repository>`. */
export function artifactRegistryPath(ref: { region: string; project: string; repositoryId: string }): string {
    return `${ref.region}-docker.pkg.dev/${ref.project}/${ref.repositoryId}`;
}
