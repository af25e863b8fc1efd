import { FAKE_ACCOUNT_ID, ecrRepositoryNotFound, iamNotAuthorized } from "./fakeIds";
import { FakeRegistry, declaredMediaType } from "./fakeRegistry";
import { GCR_LOCATIONS } from "../../components/gcp/prebuiltImageAccess";

/** The password ECR's GetAuthorizationToken gives on loopback (FakeAwsApis answers it), and the token the AR realm gives. */
export const FAKE_ECR_PASSWORD = "offline-ecr-registry-token";
export const FAKE_BEARER = "offline-artifact-registry-pull-token";
/** The anonymous pull token Docker Hub's token service gives on loopback. */
const FAKE_DOCKER_HUB_TOKEN = "offline-docker-hub-anonymous-pull-token";
const DOCKER_HUB = "registry-1.docker.io";


/**
 * A registry serves an OCI manifest or index only to a client whose Accept lists its media type, and answers any
 * other MANIFEST_UNKNOWN in these words (distribution/distribution, registry/handlers/manifests.go; GitLab's container
 * registry troubleshooting quotes the first). Docker's own types have older fallbacks, left out here.
 */
const NOT_ACCEPTED: Record<string, string> = {
    "application/vnd.oci.image.manifest.v1+json": "OCI manifest found, but accept header does not support OCI manifests",
    "application/vnd.oci.image.index.v1+json": "OCI index found, but accept header does not support OCI indexes",
};

/** Whether an Accept header lists the media type; a comma-joined list is split, as the registry splits it. */
function accepts(accept: string | null, mediaType: string): boolean {
    return (accept ?? "").split(",").some((entry) => entry.split(";")[0].trim().toLowerCase() === mediaType);
}

/**
 * The registries' OCI distribution API (GET manifests and blobs) on loopback, in the registries' own words: errors as
 * `{"errors":[{"code","message"}]}` with the distribution spec's codes (MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN,
 * UNAUTHORIZED; opencontainers/distribution-spec spec.md "Error Codes"); ECR asks for Basic auth with its
 * GetAuthorizationToken password and says "Requested image not found" for a missing tag (ECR User Guide,
 * "Registry authentication", "Troubleshooting"); Artifact Registry answers a Bearer challenge whose realm is
 * `https://<region>-docker.pkg.dev/v2/token` and takes `oauth2accesstoken` and an access token there (Docker's token
 * authentication specification; Artifact Registry "Configure authentication to Artifact Registry for Docker").
 */
export class FakeOciRegistryApi {
    readonly requests: { url: string; status: number }[] = [];
    /** What ECR's layer bucket was asked: each digest and its answer. */
    readonly layerRequests: { digest: string; status: number }[] = [];
    /** Artifact Registry repositories (`<host>/<project>/<repository>`) that exist though they may hold nothing yet. */
    readonly artifactRegistryRepositories = new Set<string>();
    /**
     * ECR repositories (by name) the login may not read: 403 DENIED in IAM's words for ecr:BatchGetImage, as Docker prints
     * ECR's answer, "denied: User: <arn> is not authorized to perform: ecr:BatchGetImage on resource: <repository ARN>
     * because no identity-based policy allows the ecr:BatchGetImage action" (everything2/everything2#2562,
     * aws/copilot-cli#3518; Docker prints the code, then the message), the caller the deployer's session (fakeIds.ts
     * iamNotAuthorized), the repository the registry host's account's.
     */
    readonly deniedEcrRepositories = new Set<string>();
    /**
     * ECR repositories (by name) whose manifests the login may read (ecr:BatchGetImage) but not their blobs: each blob
     * GET is 403 DENIED in IAM's words for ecr:GetDownloadUrlForLayer, as Docker printed ECR's answer to a pull whose
     * role lacked it, "denied: User: <arn> is not authorized to perform: ecr:GetDownloadUrlForLayer on resource:
     * <repository ARN> because no identity-based policy allows the ecr:GetDownloadUrlForLayer action"
     * (aws-amplify/amplify-category-api#1255).
     */
    readonly blobDeniedEcrRepositories = new Set<string>();

    constructor(private readonly registry: () => FakeRegistry) {}

    /** The fake registry's key of a repository: ECR's by its name, Artifact Registry's by its full path. */
    static repositoryKey(host: string, name: string): string {
        return /\.dkr\.ecr\./.test(host) ? name : `${host}/${name}`;
    }

    /**
     * `layers`: where ECR's blob downloads are redirected, a loopback origin of its own standing for the S3 bucket
     * behind ECR (answerLayer). Without it blobs are answered in place.
     */
    answer(url: URL, authorization: string | null, layers?: string, accept: string | null = null): Response {
        const response = this.reply(url, authorization, layers, accept);
        this.requests.push({ url: url.href, status: response.status });
        return response;
    }

    /** This stand-in as `fetch`, for a read made in-process: each request answered with its Authorization and Accept, blobs in place. */
    readonly fetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
        const headers = new Headers(init?.headers);
        return this.answer(new URL(String(input)), headers.get("authorization"), undefined, headers.get("accept"));
    };

    /**
     * A blob at the presigned URL ECR redirected to. S3 refuses a request that carries both a presigned URL's query
     * signature and an Authorization header, in these words (Amazon S3 API Reference, "Error responses":
     * InvalidArgument); an HTTP client that keeps the registry login across the redirect gets this answer.
     */
    answerLayer(digest: string, authorization: string | null): Response {
        const response = this.layer(digest, authorization);
        this.layerRequests.push({ digest, status: response.status });
        return response;
    }

    private layer(digest: string, authorization: string | null): Response {
        if (authorization) {
            const message = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified";
            return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>${message}</Message><ArgumentName>Authorization</ArgumentName></Error>`, { status: 400, headers: { "content-type": "application/xml" } });
        }
        const bytes = this.registry().blob(digest);
        if (!bytes) return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`, { status: 404, headers: { "content-type": "application/xml" } });
        return new Response(new Uint8Array(bytes), { status: 200, headers: { "content-type": "application/octet-stream" } });
    }

    private reply(url: URL, authorization: string | null, layers: string | undefined, accept: string | null): Response {
        const host = url.hostname;
        const ecr = /\.dkr\.ecr\./.test(host);
        if (host === "auth.docker.io" && url.pathname === "/token") return dockerHubToken();
        if (!ecr && url.pathname === "/v2/token") return this.token(url, authorization);
        const route = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
        if (!route) return errors(404, "NAME_UNKNOWN", "repository name not known to registry");
        const [, name, kind, reference] = route;
        const dockerHub = host === DOCKER_HUB;
        const challenge = ecr
            ? `Basic realm="https://${host}/",service="ecr.amazonaws.com"`
            : dockerHub
              ? `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:${name}:pull"`
              : `Bearer realm="https://${host}/v2/token",service="${host}",scope="repository:${name}:pull"`;
        const expected = ecr ? `Basic ${Buffer.from(`AWS:${FAKE_ECR_PASSWORD}`).toString("base64")}` : `Bearer ${dockerHub ? FAKE_DOCKER_HUB_TOKEN : FAKE_BEARER}`;
        if (authorization !== expected) return ecr ? ecrNotAuthorized(challenge) : errors(401, "UNAUTHORIZED", "authentication required", { "www-authenticate": challenge });
        if (ecr && this.deniedEcrRepositories.has(name)) return errors(403, "DENIED", iamNotAuthorized("ecr:BatchGetImage", ecrRepositoryArn(host, name)));
        const registry = this.registry();
        const key = FakeOciRegistryApi.repositoryKey(host, name);
        // Docker Hub answers a repository that is not there (or private) as it answers a pull without a login, so that
        // a name's existence does not leak; the docker CLI prints it as "pull access denied for <name>, repository does
        // not exist or may require 'docker login'" (distribution/distribution's token auth, docker/cli's pull error).
        if (dockerHub && !registry.hasRepository(key)) return errors(401, "UNAUTHORIZED", "authentication required", { "www-authenticate": `${challenge},error="insufficient_scope"` });
        // ECR names a repository that is not there (the distribution spec's NAME_UNKNOWN) in DescribeImages' words, the
        // registry id the host's account: Docker printed "name unknown: The repository with name 'myartifacts' does not
        // exist in the registry with id 'p8v8e7e5'" for public.ecr.aws/p8v8e7e5/myartifacts
        // (aws-samples/amazon-eks-cdk-blue-green-cicd#24; a private registry's account id in fabric8io/docker-maven-plugin#369).
        if (ecr && !registry.hasRepository(key)) return errors(404, "NAME_UNKNOWN", ecrRepositoryNotFound(name, host.split(".")[0]));
        if (kind === "manifests") {
            const manifest = registry.manifest(key, reference);
            // Artifact Registry's message names the reference: `manifest unknown: Failed to fetch "1"` as Docker prints
            // its answer (code, then message; quoted from a pull of a missing tag in firezone/firezone#10484).
            if (!manifest) return errors(404, "MANIFEST_UNKNOWN", ecr ? "Requested image not found" : `Failed to fetch "${reference}"`);
            const mediaType = declaredMediaType(manifest) ?? "application/octet-stream";
            const refused = Object.prototype.hasOwnProperty.call(NOT_ACCEPTED, mediaType) ? NOT_ACCEPTED[mediaType] : undefined;
            if (refused && !accepts(accept, mediaType)) return errors(404, "MANIFEST_UNKNOWN", refused);
            return new Response(new Uint8Array(manifest), { status: 200, headers: { "content-type": mediaType } });
        }
        if (ecr && this.blobDeniedEcrRepositories.has(name)) return errors(403, "DENIED", iamNotAuthorized("ecr:GetDownloadUrlForLayer", ecrRepositoryArn(host, name)));
        const bytes = registry.blob(reference);
        if (!bytes) return errors(404, "BLOB_UNKNOWN", "blob unknown to registry");
        // ECR answers a blob GET with a redirect to a presigned URL of the S3 bucket that holds the layers (the OCI
        // distribution spec allows a 307 for blob pulls; ECR User Guide, "Amazon ECR interface VPC endpoints": "Amazon
        // ECR uses Amazon S3 to store your image layers"), a different origin, where the registry login must not go.
        if (ecr && layers) {
            const presigned = `${layers}/${reference}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAOFFLINE%2F20261202%2Fap-northeast-1%2Fs3%2Faws4_request&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0ff1`;
            return new Response(null, { status: 307, headers: { location: presigned } });
        }
        return new Response(new Uint8Array(bytes), { status: 200, headers: { "content-type": "application/octet-stream" } });
    }

    /**
     * Artifact Registry's token endpoint refuses a scope whose repository is not there (or not readable) with 403 DENIED,
     * naming the permission and the repository: `GET https://<location>-docker.pkg.dev/v2/token?scope=...: DENIED:
     * Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/<project>/locations/
     * <location>/repositories/<repository>" (or it may not exist)` (Cloud Run functions troubleshooting docs, a build's
     * cache image in gcf-artifacts; crane's output in InfluxData's docs). An image missing from a repository that is
     * there gets its token, then the manifest's MANIFEST_UNKNOWN.
     */
    private token(url: URL, authorization: string | null): Response {
        const [user, password] = Buffer.from((authorization ?? "").replace(/^Basic /, ""), "base64").toString().split(":");
        // Credentials the token endpoint refuses: 401 UNAUTHORIZED "authentication failed", which Docker printed as
        // "Error response from daemon: Get https://europe-west1-docker.pkg.dev/v2/: unauthorized: authentication failed"
        // for a refused docker login (falldamagestudio/UE-Jenkins-Images, a Docker/*/windows/HostBuild.ps1 comment).
        if (user !== "oauth2accesstoken" || !password) return errors(401, "UNAUTHORIZED", "authentication failed");
        const scope = url.searchParams.get("scope") ?? "";
        const gcrLocation = /(^|\.)gcr\.io$/.test(url.hostname) ? GCR_LOCATIONS[url.hostname.replace(/gcr\.io$/, "")] : undefined;
        // gcr.io's path is <project>/<image>: its repository is the host's own, in the host's multi-region (Artifact
        // Registry docs, "gcr.io repositories"), refused in the same DENIED words as any Artifact Registry repository.
        const [project, repository] = gcrLocation ? [/^repository:([^/]+)\//.exec(scope)?.[1], url.hostname] : (/^repository:([^/]+)\/([^/]+)\//.exec(scope)?.slice(1) ?? []);
        const path = gcrLocation ? `${url.hostname}/${project}` : `${url.hostname}/${project}/${repository}`;
        if (!project || !(this.artifactRegistryRepositories.has(path) || this.registry().holdsAnythingUnder(`${path}/`))) {
            const location = gcrLocation ?? url.hostname.replace(/-docker\.pkg\.dev$/, "");
            const resource = `projects/${project}/locations/${location}/repositories/${repository}`;
            return errors(403, "DENIED", `Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "${resource}" (or it may not exist)`);
        }
        return Response.json({ token: FAKE_BEARER, access_token: FAKE_BEARER, expires_in: 3600, scope: url.searchParams.get("scope") });
    }
}

/** Repository `name`'s ARN on ECR registry host `<account>.dkr.ecr.<region>.amazonaws.com`, in that account. */
function ecrRepositoryArn(host: string, name: string): string {
    const [account, , , region] = host.split(".");
    return `arn:aws:ecr:${region}:${account}:repository/${name}`;
}

/**
 * ECR refuses a missing or wrong login with a plain-text body, not the distribution spec's JSON: clients that print
 * a JSON error's code print `unexpected status code 401 Unauthorized: Not Authorized` for it (go-containerregistry's
 * words for a body it could not parse; GitLab's container scanning docs, "unexpected status code 401 Unauthorized:
 * Not Authorized when scanning an image from AWS ECR").
 */
function ecrNotAuthorized(challenge: string): Response {
    return new Response("Not Authorized\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": challenge } });
}

/** Docker Hub's token service gives anyone a pull token (auth.docker.io/token, Docker's token authentication specification). */
function dockerHubToken(): Response {
    return Response.json({ token: FAKE_DOCKER_HUB_TOKEN, access_token: FAKE_DOCKER_HUB_TOKEN, expires_in: 300, issued_at: "2026-12-02T00:00:00Z" });
}

/** A registry's error answer in the distribution spec's shape ("Error Codes": `{"errors": [{"code", "message"}]}`). */
export function errors(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
    return Response.json({ errors: [{ code, message }] }, { status, headers });
}

/** For messages: the account the fake ECR registry belongs to. */
export const FAKE_ECR_HOST = (region: string) => `${FAKE_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`;
