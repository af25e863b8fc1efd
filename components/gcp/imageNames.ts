import { GCP_PROJECT_ID_PART } from "../../config/gcpProjectId";
export { CONTENT_TAG_PREFIX } from "../image/contentTag";
/** The service image's name in the stack's Artifact Registry repository. */
export const IMAGE_NAME = "service";

/** An Artifact Registry Docker repository's path, `<region>-docker.pkg.dev/<project>/<repository>`. */
export function artifactRegistryPath(ref: { region: string; project: string; repositoryId: string }): string {
    return `${ref.region}-docker.pkg.dev/${ref.project}/${ref.repositoryId}`;
}

const ARTIFACT_REGISTRY_IMAGE = new RegExp(String.raw`^([a-z0-9-]+)-docker\.pkg\.dev\/(${GCP_PROJECT_ID_PART})\/([a-z0-9._-]+)\/([^:@]+)`);

/**
 * The parts of an Artifact Registry image `<region>-docker.pkg.dev/<project>/<repository>/<image>`, a tag or digest
 * after it ignored, as artifactRegistryPath writes them; undefined for any other registry's. A project ID is 6-30
 * lowercase letters, digits and hyphens (GCP_PROJECT_ID_PART, the gcp:project setting's rule).
 */
export function artifactRegistryImageOf(reference: string): { region: string; project: string; repositoryId: string; imageName: string } | undefined {
    const match = ARTIFACT_REGISTRY_IMAGE.exec(reference);
    return match ? { region: match[1], project: match[2], repositoryId: match[3], imageName: match[4] } : undefined;
}
