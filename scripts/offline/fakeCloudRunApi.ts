import { fakeDigest } from "./fakeIds";

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
        // Cloud Run's NOT_FOUND names the resource's kind, region and project, as gcloud prints it for a service ("Resource
        // '<name>' of kind 'SERVICE' in region '<region>' in project '<project>' does not exist."); for a revision the kind
        // is inferred. The program decides by the status alone.
        if (this.deletedRevisions.has(revision)) {
            const message = `Resource '${revision}' of kind 'REVISION' in region '${region}' in project '${project}' does not exist.`;
            return Response.json({ error: { code: 404, message, status: "NOT_FOUND" } }, { status: 404 });
        }
        const image = `${region}-docker.pkg.dev/${project}/revisions/service@${FakeCloudRunApi.digestOf(revision)}`;
        return Response.json({ apiVersion: "serving.knative.dev/v1", kind: "Revision", metadata: { name: revision, namespace: project }, spec: { containers: [{ image }] }, status: { imageDigest: image } });
    }
}
