import * as pulumi from "@pulumi/pulumi";
import { digestOf } from "../image";
import { perRun } from "../perRun";
import { GoogleApiCallOptions, getGoogleApi } from "./googleApiError";
import { unreadableAnswer } from "./unreadableAnswer";
import { reasonGiven, refusal } from "../refusal";

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
 * A revision's Ready condition as `namespaces.revisions.get` answers it (Knative's status.conditions: `type` "Ready",
 * `status` "True", "False" or "Unknown", `reason`, `message`; terraform-provider-google cloudrun/cloudrun_polling.go,
 * KnativeStatus, which takes "False" for a failed resource). The v2 Revision carries the same as `conditions`
 * (googleapis google/cloud/run/v2/revision.proto: "its readiness status, and detailed error information in case it
 * did not reach a serving state").
 */
export interface RevisionCondition {
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
}

/**
 * A revision as `namespaces.revisions.get` finds it: absent (NOT_FOUND), or the digest of its image (none for an image
 * named by tag) and its Ready condition, where it has one.
 */
export type RevisionImage = { found: false } | { found: true; digest: string | undefined; ready?: RevisionCondition };

/**
 * The image a revision runs. Any failure but NOT_FOUND (after getGoogleApi's retries) stops the deployment: going on
 * would let the cleanup policy delete the rollback target.
 */
export async function imageDigestOfRevision(ref: RevisionRef, accessToken: string, options: GoogleApiCallOptions = {}): Promise<RevisionImage> {
    const revision = await getGoogleApi<{ spec?: { containers?: { image?: string }[] }; status?: { imageDigest?: string; conditions?: RevisionCondition[] } }>(
        revisionUrl(ref),
        accessToken,
        {
            what: `could not read Cloud Run revision ${ref.revision} (${ref.project}, ${ref.region})`,
            whenDisabled: "the Cloud Run Admin API is still disabled in that project",
            whenRefused: "the deploying identity needs run.revisions.get",
            project: { id: ref.project },
        },
        options,
    );
    if (revision === undefined) return { found: false };
    // A Knative Revision names its image in spec.containers[].image, required (Cloud Run Admin API v1, RevisionSpec),
    // and Cloud Run adds the resolved status.imageDigest: an answer with neither is not a revision.
    const image = revision?.status?.imageDigest ?? revision?.spec?.containers?.[0]?.image;
    if (typeof image !== "string") {
        throw unreadableAnswer({
            answered: `Cloud Run answered revision ${ref.revision} (${ref.project}, ${ref.region}) with no container image`,
            answer: revision,
            neither: "a revision",
            unknown: "the image a rollback to it needs",
            see: `the revision with gcloud run revisions describe ${ref.revision} --region ${ref.region} --project ${ref.project}`,
        });
    }
    const ready = revision.status?.conditions?.find((c) => c.type === "Ready");
    return { found: true, digest: digestOf(image), ...(ready ? { ready } : {}) };
}

const stableRevisions = perRun<RevisionImage>();

/**
 * The stable revision's image, read once a run: the program's check before anything is registered and the component's
 * share the answer (a failed read is not kept, so the component asks again, waiting out what the check did not).
 */
export function stableRevisionImage(ref: RevisionRef, accessToken: string, options: Pick<GoogleApiCallOptions, "once"> = {}): Promise<RevisionImage> {
    return stableRevisions(`${ref.project}/${ref.region}/${ref.revision}`, () => imageDigestOfRevision(ref, accessToken, options));
}

/**
 * What is wrong with a stable revision Cloud Run does not have, and how to name one it has: said after the name of the
 * value that named it (the stack's gcp.canary.stableRevision, the component's canary.stableRevision).
 */
export function missingStableRevision(ref: RevisionRef): string {
    return (
        `names revision ${ref.revision}, which Cloud Run does not have in ${ref.project} (${ref.region}): it answers NOT_FOUND, and refuses traffic to it. ` +
        `Set it to a revision of the service (gcloud run revisions list --region ${ref.region} --project ${ref.project}; a release records it in the stack's release-state environment), or unset it to send all traffic to the newest`
    );
}

/**
 * What is wrong with a stable revision Cloud Run has but reports not ready (its Ready condition "False"), if so: it
 * cannot serve, so a rollback would move all traffic onto a revision that serves nothing. Said after the name of the
 * value that named it, as missingStableRevision is. A Ready of "Unknown" (still reconciling) is not held against it.
 */
export function unreadyStableRevision(ref: RevisionRef, image: RevisionImage): string | undefined {
    if (!image.found || image.ready?.status !== "False") return undefined;
    const why = reasonGiven(image.ready.reason, image.ready.message);
    return (
        `names revision ${ref.revision}, which Cloud Run reports not ready in ${ref.project} (${ref.region}): Ready is False (${why}), so a rollback to it would serve nothing. ` +
        `Set it to a ready revision of the service (gcloud run revisions list --region ${ref.region} --project ${ref.project}), or unset it to send all traffic to the newest`
    );
}

/**
 * The digest of the image the stable revision runs, so the cleanup policy keeps that version (by its name,
 * `sha256:...`) while the revision is the rollback target, whatever its tags. A stable revision Cloud Run does not
 * have stops the deployment before the service is updated: Cloud Run refuses traffic to it ("Revision '<name>' does
 * not exist or is deleted. Update all traffic to route to currently available revisions."), after the cleanup policy
 * would have been written without its keep rule. So does one Cloud Run reports not ready (unreadyStableRevision): a
 * rollback to it would serve nothing.
 */
export function stableRevisionDigest(ref: RevisionRef, accessToken: pulumi.Output<string>, parent: pulumi.Resource | undefined): pulumi.Output<string | undefined> {
    // The access token (the provider's own, from getClientConfig) is a secret; the digest found with it is not, so
    // the cleanup policy stays readable in diffs.
    return pulumi.unsecret(accessToken).apply(async (token) => {
        const image = await stableRevisionImage(ref, token);
        if (!image.found) throw refusal(`canary.stableRevision ${missingStableRevision(ref)}`, parent);
        const unready = unreadyStableRevision(ref, image);
        if (unready) throw refusal(`canary.stableRevision ${unready}`, parent);
        if (!image.digest) pulumi.log.warn(`stable revision ${ref.revision} runs an image named by tag: no image version is held back for a rollback to it`, parent);
        return image.digest;
    });
}
