import { GOOGLE_API_TITLES, notFound, serviceDisabled } from "./googleApiAnswers";
import { FakeRegistry, declaredMediaType } from "./fakeRegistry";

/**
 * Artifact Registry's REST API (`projects.locations.repositories.packages.tags.get` and `.versions.get`), answered in its own words:
 * 404 NOT_FOUND for a missing tag, package or repository (as Google answers an identity whose roles are project-wide,
 * the deployer's: for a missing resource it checks the permission on the parent and answers NOT_FOUND if that passes,
 * else PERMISSION_DENIED "(or it may not exist)", AIP-211 "Authorization checks"; an account whose grant is on the
 * repository alone gets permissionDenied, tests/image/registryAnswers.spec.ts), and 403 PERMISSION_DENIED with an ErrorInfo of reason
 * SERVICE_DISABLED while the project has not enabled artifactregistry.googleapis.com (Google's API error model;
 * the message is the one the API writes). The APIs a project has enabled are the `projects.Service` resources
 * the program registered (`enabledApis`), or every API when `allApisEnabled`.
 */
export class FakeArtifactRegistryApi {
    readonly requests: { url: string; authorization: string | null; status?: number; reason?: string }[] = [];
    readonly enabledApis = new Set<string>();
    allApisEnabled = false;
    /** Set: every read answers SERVICE_DISABLED for this consumer instead (the caller's quota project, not the target). */
    otherConsumer?: string;
    /**
     * Repositories' IAM bindings by `projects/<p>/locations/<l>/repositories/<r>`; a repository not here has none. A
     * binding is a role and its condition: the same role under another condition is another binding (google.golang.org/api
     * cloudresourcemanager/v1 Binding.Condition: "Different bindings, including their conditions, are examined independently").
     */
    readonly repositoryBindings = new Map<string, { role: string; members: string[]; condition?: { expression: string; title: string } }[]>();

    constructor(public registry: FakeRegistry) {}

    answer(url: string, authorization: string | null): Response | undefined {
        const match = /^https:\/\/artifactregistry\.googleapis\.com\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/repositories\/([^/]+)\/packages\/([^/]+)\/(tags|versions)\/([^/?]+)$/.exec(url);
        if (!match) return undefined;
        const request: (typeof this.requests)[number] = { url, authorization };
        this.requests.push(request);
        const [, project, location, repositoryId, pkg, collection, id] = match;
        if (this.otherConsumer || (!this.allApisEnabled && !this.enabledApis.has(`${project}/artifactregistry.googleapis.com`))) {
            Object.assign(request, { status: 403, reason: "SERVICE_DISABLED" });
            return serviceDisabled(GOOGLE_API_TITLES.artifactregistry, "artifactregistry.googleapis.com", { consumer: this.otherConsumer });
        }
        // A package is the image's path in the repository, one segment of the resource name: an image path's '/' is
        // escaped there, in the request as in the answer's names ("If the package part contains slashes, the slashes
        // are escaped": googleapis/googleapis google/devtools/artifactregistry/v1/tag.proto, Tag.name and Tag.version;
        // version.proto, Version.name). An unescaped '/' makes a path no method maps.
        const imagePath = decodeURIComponent(pkg);
        const packageId = encodeURIComponent(imagePath);
        const repository = `${location}-docker.pkg.dev/${project}/${repositoryId}/${imagePath}`;
        const name = `projects/${project}/locations/${location}/repositories/${repositoryId}/packages/${packageId}`;
        if (collection === "versions") {
            // packages.versions.get: the Version resource (name, createTime, updateTime), by digest.
            // A version stays when its tag moves on: Artifact Registry keeps untagged versions until deleted, which its
            // cleanup policies do by the condition tagState UNTAGGED (Artifact Registry docs, "Configure cleanup policies").
            const pushed = this.registry.holds(repository, id) ? this.registry.pushedAt.get(id) : undefined;
            request.status = pushed ? 200 : 404;
            if (!pushed) return notFound();
            // With it, in the default (BASIC) view, `metadata`: the version's DockerImage fields (googleapis/googleapis
            // google/devtools/artifactregistry/v1/version.proto, Version.metadata; artifact.proto, DockerImage: "This
            // field is returned as the 'metadata.mediaType' field in the Version resource"), as a real answer to this
            // GET prints them: buildTime, name (`.../dockerImages/<image>@sha256:...`), imageSizeBytes (an int64, so a
            // JSON string) and mediaType (influxdata/sedg cvelib/gar.py). The image's name in it escapes '/' as the
            // package's does (hashicorp/terraform-provider-google data_source_artifact_registry_docker_image.go reads
            // `dockerImages/<url.QueryEscape(image)>@<digest>`). The stand-in gives mediaType only for a manifest it
            // stores (a test's pushArtifact), and leaves out buildTime and imageSizeBytes, which it does not compute.
            const manifest = this.registry.manifest(repository, id);
            const mediaType = manifest && declaredMediaType(manifest);
            const image = `projects/${project}/locations/${location}/repositories/${repositoryId}/dockerImages/${packageId}@${id}`;
            return Response.json({
                name: `${name}/versions/${id}`,
                createTime: pushed.toISOString(),
                updateTime: pushed.toISOString(),
                metadata: { name: image, ...(mediaType ? { mediaType } : {}) },
            });
        }
        const digest = this.registry.find(repository, id);
        if (!digest) {
            request.status = 404;
            return notFound();
        }
        request.status = 200;
        return Response.json({ name: `${name}/tags/${id}`, version: `${name}/versions/${digest}` });
    }

    /**
     * `getRepositoryIamPolicy`'s `policyData` as the provider writes it: the policy's bindings and audit configs
     * marshalled without etag or version, `{}` when it has none (magic-modules tpgiamresource marshalIamPolicy).
     */
    repositoryPolicyData(project: string, location: string, repository: string): string {
        const bindings = this.repositoryBindings.get(`projects/${project}/locations/${location}/repositories/${repository}`) ?? [];
        // A Binding's fields in the order Go marshals them (google.golang.org/api Binding: Condition, Members, Role).
        return JSON.stringify(bindings.length ? { bindings: bindings.map(({ role, members, condition }) => ({ ...(condition ? { condition } : {}), members, role })) } : {});
    }

    /** What a `RepositoryIamMember` makes hold: its member in its role's binding (of that condition, when one is given). */
    grant(project: string, location: string, repository: string, role: string, member: string, condition?: { expression: string; title: string }): void {
        const key = `projects/${project}/locations/${location}/repositories/${repository}`;
        const bindings = this.repositoryBindings.get(key) ?? [];
        const sameCondition = (b: { condition?: object }) => JSON.stringify(b.condition) === JSON.stringify(condition);
        const binding = bindings.find((b) => b.role === role && sameCondition(b)) ?? bindings[bindings.push({ role, members: [], ...(condition ? { condition } : {}) }) - 1];
        if (!binding.members.includes(member)) binding.members.push(member);
        this.repositoryBindings.set(key, bindings);
    }
}
