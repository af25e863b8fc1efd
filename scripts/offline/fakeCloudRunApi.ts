import { FakeRegistry } from "./fakeRegistry";

/** The revisions the fake Cloud Run Admin API knows: any name is a revision running an image of its own, unless deleted. */
export class FakeCloudRunApi {
    readonly deletedRevisions = new Set<string>();
    readonly requests: { url: string; authorization: string | null }[] = [];

    constructor(private readonly registry: FakeRegistry) {}

    /** Answers `namespaces.revisions.get` on a regional endpoint as the real API does; undefined for any other URL. */
    answer(url: string, authorization: string | null): Response | undefined {
        const match = /^https:\/\/([a-z0-9-]+)-run\.googleapis\.com\/apis\/serving\.knative\.dev\/v1\/namespaces\/([^/]+)\/revisions\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        this.requests.push({ url, authorization });
        const [, region, project, revision] = match;
        if (this.deletedRevisions.has(revision)) return Response.json({ error: { code: 404, message: `Revision named '${revision}' not found.`, status: "NOT_FOUND" } }, { status: 404 });
        const repository = `${region}-docker.pkg.dev/${project}/revisions/service`;
        const image = `${repository}@${this.registry.push(repository, `c-revision-${revision}`)}`;
        return Response.json({ apiVersion: "serving.knative.dev/v1", kind: "Revision", metadata: { name: revision, namespace: project }, spec: { containers: [{ image }] }, status: { imageDigest: image } });
    }
}

let current: FakeCloudRunApi | undefined;
let realFetch: typeof fetch | undefined;

/**
 * Routes the program's calls to the Cloud Run Admin API to `api` (the latest mock cloud); every other request goes
 * to the real fetch. The program reaches Cloud Run with plain fetch, which Pulumi's mocks cannot see.
 */
export function answerCloudRunApi(api: FakeCloudRunApi): void {
    current = api;
    if (realFetch) return;
    realFetch = globalThis.fetch;
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
        const url = input instanceof Request ? input.url : String(input);
        const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
        return current?.answer(url, headers.get("authorization")) ?? realFetch!(input, init);
    };
}
