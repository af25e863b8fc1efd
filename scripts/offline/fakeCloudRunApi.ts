import { fakeDigest } from "./fakeIds";
import { notFound } from "./googleApiAnswers";

/** The revisions the fake Cloud Run Admin API knows: any name is a revision running an image of its own, unless deleted. */
export class FakeCloudRunApi {
    readonly deletedRevisions = new Set<string>();
    readonly requests: { url: string; authorization: string | null }[] = [];

    /** The digest of the image a revision runs. */
    static digestOf(revision: string): string {
        return fakeDigest(`image of revision ${revision}`);
    }

    /** Answers `namespaces.revisions.get` on a regional endpoint as the real API does; undefined for any other URL. */
    answer(url: string, authorization: string | null): Response | undefined {
        const match = /^https:\/\/([a-z0-9-]+)-run\.googleapis\.com\/apis\/serving\.knative\.dev\/v1\/namespaces\/([^/]+)\/revisions\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        this.requests.push({ url, authorization });
        const [, region, project, revision] = match;
        // 404 NOT_FOUND in Google's error model: the words Cloud Run uses for a missing revision are documented nowhere, so
        // the fake answers the model's own ("Requested entity was not found."). The program decides by the status alone.
        if (this.deletedRevisions.has(revision)) return notFound();
        const image = `${region}-docker.pkg.dev/${project}/revisions/service@${FakeCloudRunApi.digestOf(revision)}`;
        return Response.json({ apiVersion: "serving.knative.dev/v1", kind: "Revision", metadata: { name: revision, namespace: project }, spec: { containers: [{ image }] }, status: { imageDigest: image } });
    }
}
