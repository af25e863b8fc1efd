import { FAKE_ACCOUNT_ID } from "./fakeIds";
import { FakeRegistry } from "./fakeRegistry";

/** The password ECR's GetAuthorizationToken gives on loopback (FakeAwsApis answers it), and the token the AR realm gives. */
export const FAKE_ECR_PASSWORD = "offline-ecr-registry-token";
const FAKE_BEARER = "offline-artifact-registry-pull-token";

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

    constructor(private readonly registry: () => FakeRegistry) {}

    /** The fake registry's key of a repository: ECR's by its name, Artifact Registry's by its full path. */
    static repositoryKey(host: string, name: string): string {
        return /\.dkr\.ecr\./.test(host) ? name : `${host}/${name}`;
    }

    answer(url: URL, authorization: string | null): Response {
        const response = this.reply(url, authorization);
        this.requests.push({ url: url.href, status: response.status });
        return response;
    }

    private reply(url: URL, authorization: string | null): Response {
        const host = url.hostname;
        const ecr = /\.dkr\.ecr\./.test(host);
        if (!ecr && url.pathname === "/v2/token") return this.token(url, authorization);
        const route = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
        if (!route) return errors(404, "NAME_UNKNOWN", "repository name not known to registry");
        const [, name, kind, reference] = route;
        const challenge = ecr
            ? `Basic realm="https://${host}/",service="ecr.amazonaws.com"`
            : `Bearer realm="https://${host}/v2/token",service="${host}",scope="repository:${name}:pull"`;
        const expected = ecr ? `Basic ${Buffer.from(`AWS:${FAKE_ECR_PASSWORD}`).toString("base64")}` : `Bearer ${FAKE_BEARER}`;
        if (authorization !== expected) return errors(401, "UNAUTHORIZED", ecr ? "Not Authorized" : "authentication required", { "www-authenticate": challenge });
        const registry = this.registry();
        const key = FakeOciRegistryApi.repositoryKey(host, name);
        if (kind === "manifests") {
            const manifest = registry.manifest(key, reference);
            if (!manifest) return errors(404, "MANIFEST_UNKNOWN", ecr ? "Requested image not found" : "manifest unknown");
            return new Response(new Uint8Array(manifest), { status: 200, headers: { "content-type": JSON.parse(manifest.toString()).mediaType } });
        }
        const bytes = registry.blob(reference);
        if (!bytes) return errors(404, "BLOB_UNKNOWN", "blob unknown to registry");
        return new Response(new Uint8Array(bytes), { status: 200, headers: { "content-type": "application/octet-stream" } });
    }

    private token(url: URL, authorization: string | null): Response {
        const [user, password] = Buffer.from((authorization ?? "").replace(/^Basic /, ""), "base64").toString().split(":");
        if (user !== "oauth2accesstoken" || !password) return errors(401, "UNAUTHORIZED", "authentication failed");
        return Response.json({ token: FAKE_BEARER, access_token: FAKE_BEARER, expires_in: 3600, scope: url.searchParams.get("scope") });
    }
}

function errors(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
    return Response.json({ errors: [{ code, message }] }, { status, headers });
}

/** For messages: the account the fake ECR registry belongs to. */
export const FAKE_ECR_HOST = (region: string) => `${FAKE_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com`;
