import * as pulumi from "@pulumi/pulumi";
import { digestOf } from "../image";
import { describeFailure, googleApiError } from "./googleApiError";

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
 * The `sha256:` digest of the image a revision runs, or undefined when the API answers NOT_FOUND. Any other
 * failure stops the deployment: going on would let the cleanup policy delete the rollback target.
 */
export async function imageDigestOfRevision(ref: RevisionRef, accessToken: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<string | undefined> {
    const res = await fetchImpl(revisionUrl(ref), { headers: { authorization: `Bearer ${accessToken}` } });
    if (!res.ok) {
        const error = await googleApiError(res);
        if (error.status === "NOT_FOUND" || res.status === 404) return undefined;
        throw describeFailure(`could not read Cloud Run revision ${ref.revision} (${ref.project}, ${ref.region})`, error, "the deploying identity needs run.revisions.get");
    }
    const revision = (await res.json()) as { spec?: { containers?: { image?: string }[] }; status?: { imageDigest?: string } };
    const image = revision.status?.imageDigest ?? revision.spec?.containers?.[0]?.image ?? "";
    return digestOf(image);
}

/**
 * The digest of the image the stable revision runs, so the cleanup policy keeps that version (by its name,
 * `sha256:...`) while the revision is the rollback target, whatever its tags.
 */
export function stableRevisionDigest(ref: RevisionRef, accessToken: pulumi.Output<string>, parent: pulumi.Resource | undefined): pulumi.Output<string | undefined> {
    // The access token (the provider's own, from getClientConfig) is a secret; the digest found with it is not, so
    // the cleanup policy stays readable in diffs.
    return pulumi.unsecret(accessToken).apply(async (token) => {
        const digest = await imageDigestOfRevision(ref, token);
        if (!digest) pulumi.log.warn(`stable revision ${ref.revision} was not found: no image is held back for a rollback to it`, parent);
        return digest;
    });
}
