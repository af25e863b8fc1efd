import { FAKE_PROJECT_NUMBER } from "./fakeIds";
import { FakeRegistry } from "./fakeRegistry";

/**
 * Artifact Registry's REST API (`projects.locations.repositories.packages.tags.get`), answered in its own words:
 * 404 NOT_FOUND for a missing tag, package or repository, and 403 PERMISSION_DENIED with an ErrorInfo of reason
 * SERVICE_DISABLED while the project has not enabled artifactregistry.googleapis.com (Google's API error model;
 * the message is the one the API writes). The APIs a project has enabled are the `projects.Service` resources
 * the program registered (`enabledApis`), or every API when `allApisEnabled`.
 */
export class FakeArtifactRegistryApi {
    readonly requests: { url: string; authorization: string | null; status?: number; reason?: string }[] = [];
    readonly enabledApis = new Set<string>();
    allApisEnabled = false;

    constructor(public registry: FakeRegistry) {}

    answer(url: string, authorization: string | null): Response | undefined {
        const match = /^https:\/\/artifactregistry\.googleapis\.com\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)\/packages\/([^/]+)\/tags\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        const request: (typeof this.requests)[number] = { url, authorization };
        this.requests.push(request);
        const [, project, location, repositoryId, pkg, tag] = match;
        if (!this.allApisEnabled && !this.enabledApis.has(`${project}/artifactregistry.googleapis.com`)) {
            Object.assign(request, { status: 403, reason: "SERVICE_DISABLED" });
            const message =
                `Artifact Registry API has not been used in project ${FAKE_PROJECT_NUMBER} before or it is disabled. Enable it by visiting ` +
                `https://console.developers.google.com/apis/api/artifactregistry.googleapis.com/overview?project=${FAKE_PROJECT_NUMBER} then retry. ` +
                "If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.";
            const info = {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: "SERVICE_DISABLED",
                domain: "googleapis.com",
                metadata: { service: "artifactregistry.googleapis.com", consumer: `projects/${FAKE_PROJECT_NUMBER}` },
            };
            return Response.json({ error: { code: 403, message, status: "PERMISSION_DENIED", details: [info] } }, { status: 403 });
        }
        const repository = `${location}-docker.pkg.dev/${project}/${repositoryId}/${pkg}`;
        const digest = this.registry.find(repository, tag);
        if (!digest) {
            request.status = 404;
            return Response.json({ error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" } }, { status: 404 });
        }
        request.status = 200;
        const name = `projects/${project}/locations/${location}/repositories/${repositoryId}/packages/${pkg}`;
        return Response.json({ name: `${name}/tags/${tag}`, version: `${name}/versions/${digest}` });
    }
}
