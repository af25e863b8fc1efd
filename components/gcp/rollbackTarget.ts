import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { digestOf, unlessNotFound } from "../image";
import { CONTENT_TAG_PREFIX, IMAGE_NAME } from "./imageNames";

export interface RevisionRef {
    project: string;
    region: string;
    revision: string;
}

/**
 * The Cloud Run Admin API's `namespaces.revisions.get` (v1, regional endpoint): the one call that finds a revision
 * by name alone. The provider has no revision data source, and v2 would need the service's generated name, which
 * is known only after the service (which needs this repository's image) exists.
 */
export function revisionUrl(ref: RevisionRef): string {
    return `https://${ref.region}-run.googleapis.com/apis/serving.knative.dev/v1/namespaces/${ref.project}/revisions/${ref.revision}`;
}

/**
 * The `sha256:` digest of the image a revision runs, or undefined when there is no such revision. Any other
 * failure stops the deployment: going on would let the cleanup policy delete the rollback target.
 */
export async function imageDigestOfRevision(ref: RevisionRef, accessToken: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<string | undefined> {
    const res = await fetchImpl(revisionUrl(ref), { headers: { authorization: `Bearer ${accessToken}` } });
    if (res.status === 404) return undefined;
    if (!res.ok) {
        const detail = (await res.text()).slice(0, 300);
        throw new Error(`could not read Cloud Run revision ${ref.revision} (${ref.project}, ${ref.region}): HTTP ${res.status}; the deploying identity needs run.revisions.get. ${detail}`);
    }
    const revision = (await res.json()) as { spec?: { containers?: { image?: string }[] }; status?: { imageDigest?: string } };
    const image = revision.status?.imageDigest ?? revision.spec?.containers?.[0]?.image ?? "";
    return digestOf(image);
}

/**
 * The content tag of the image the stable revision runs, so the cleanup policy keeps it while that revision is the
 * rollback target. Revisions run images by digest; Artifact Registry gives the digest's tags.
 */
export function imageTagOfRevision(
    ref: RevisionRef,
    accessToken: pulumi.Output<string>,
    repositoryId: string,
    parent: pulumi.Resource | undefined,
): pulumi.Output<string | undefined> {
    // The access token (the provider's own, from getClientConfig) is a secret; the tag found with it is not, so the
    // cleanup policy stays readable in diffs.
    return pulumi.unsecret(accessToken).apply(async (token) => {
        const digest = await imageDigestOfRevision(ref, token);
        const tags = digest
            ? await unlessNotFound(async () => {
                  const image = await gcp.artifactregistry.getDockerImage(
                      { project: ref.project, location: ref.region, repositoryId, imageName: `${IMAGE_NAME}@${digest}` },
                      { parent },
                  );
                  return image.tags;
              })
            : undefined;
        const tag = tags?.find((t) => t.startsWith(CONTENT_TAG_PREFIX));
        if (!tag) pulumi.log.warn(`stable revision ${ref.revision} or its image under a content tag was not found: no image is held back for a rollback to it`, parent);
        return tag;
    });
}
