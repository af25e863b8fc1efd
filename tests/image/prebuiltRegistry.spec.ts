import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ecrLookup } from "../../components/aws/imageRepository";
import { artifactRegistryLookup } from "../../components/gcp/imageRegistry";
import { manifestByTag } from "../../components/image/ociRegistry";
import { isGoogleRegistry, registryLocation } from "../../components/image/registryLocation";
import { withFakeFetch } from "../harness/fakeFetch";

const GOOGLE_TOKEN = "ya29.deployer-access-token";
const DIGEST = `sha256:${"c".repeat(64)}`;
const SIGNATURE_TAG = `sha256-${"c".repeat(64)}.sig`;

/**
 * Docker Hub as a client meets it, anonymously: the registry API on registry-1.docker.io challenges with a Bearer
 * realm on auth.docker.io, which hands out a pull token for a public repository to a request without credentials
 * (Docker's token authentication specification, distribution/distribution docs/spec/auth/token.md, whose example is
 * this realm and service), and a manifest that is not there is MANIFEST_UNKNOWN (OCI distribution spec, "Error Codes").
 * Any other host is a request the real flow would not make, recorded for the test to refuse.
 */
function dockerHub() {
    const requests: { url: string; authorization: string | undefined }[] = [];
    const fetch = async (input: string | URL, init?: RequestInit) => {
        const url = new URL(String(input));
        const authorization = new Headers(init?.headers).get("authorization") ?? undefined;
        requests.push({ url: url.href, authorization });
        if (url.host === "auth.docker.io" && url.pathname === "/token") {
            // auth.docker.io's refusal of a login: 401 and a bare JSON body, not the distribution error shape, as clients print
            // it ("GET https://auth.docker.io/token?...: unexpected status code 401 Unauthorized: {"details":"incorrect username
            // or password"}"; google/go-containerregistry pkg/v1/remote/transport/error_test.go keeps that body as is).
            if (authorization) return new Response(JSON.stringify({ details: "incorrect username or password" }), { status: 401 });
            return Response.json({ token: "anonymous-pull-token", access_token: "anonymous-pull-token" });
        }
        if (url.host === "registry-1.docker.io" && url.pathname.startsWith("/v2/library/nginx/")) {
            if (authorization !== "Bearer anonymous-pull-token") {
                return new Response(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }), {
                    status: 401,
                    headers: { "www-authenticate": 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"' },
                });
            }
            return new Response(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }] }), { status: 404 });
        }
        return new Response("not a registry this test serves", { status: 599 });
    };
    return { requests, fetch };
}

describe("a prebuilt Cloud Run image outside Google's registries (gcp.image on Docker Hub, with image.verify)", () => {
    it("is read where Docker Hub serves it: registry-1.docker.io, official images under library/", () => {
        assert.deepStrictEqual(registryLocation("docker.io/library/nginx"), { host: "registry-1.docker.io", name: "library/nginx" });
        assert.deepStrictEqual(registryLocation("docker.io/nginx"), { host: "registry-1.docker.io", name: "library/nginx" });
        assert.deepStrictEqual(registryLocation("index.docker.io/bitnami/nginx"), { host: "registry-1.docker.io", name: "bitnami/nginx" });
        assert.deepStrictEqual(registryLocation("asia-northeast1-docker.pkg.dev/my-project/images/service"), {
            host: "asia-northeast1-docker.pkg.dev",
            name: "my-project/images/service",
        });
        assert.deepStrictEqual(registryLocation("gcr.io/my-project/service"), { host: "gcr.io", name: "my-project/service" });
    });

    it("never gets the deployer's Google token: its signature is looked up anonymously, and its absence is an answer", async () => {
        const hub = dockerHub();
        await withFakeFetch(hub.fetch, async () => {
            const lookup = artifactRegistryLookup({ project: "multicloud-service-prod", region: "asia-northeast1", repositoryId: "service-registry-prod" }, pulumi.output(GOOGLE_TOKEN));
            const { host, name } = registryLocation("docker.io/library/nginx");
            const repository = await lookup.prebuiltRepository!(host, name);
            assert.strictEqual(await manifestByTag(repository, SIGNATURE_TAG), undefined, `unsigned: no ${SIGNATURE_TAG} for ${DIGEST}`);
        });
        assert.deepStrictEqual([...new Set(hub.requests.map((r) => new URL(r.url).host))].sort(), ["auth.docker.io", "registry-1.docker.io"]);
        const withGoogleToken = hub.requests.filter((r) => r.authorization && Buffer.from(r.authorization.replace(/^Basic /, ""), "base64").toString().includes(GOOGLE_TOKEN));
        assert.deepStrictEqual(withGoogleToken, [], "the Google access token went to a host that is not Google's");
    });

    it("still logs in to Google's own registries with the token (oauth2accesstoken)", async () => {
        const lookup = artifactRegistryLookup({ project: "multicloud-service-prod", region: "asia-northeast1", repositoryId: "service-registry-prod" }, pulumi.output(GOOGLE_TOKEN));
        for (const host of ["asia-northeast1-docker.pkg.dev", "us-docker.pkg.dev", "gcr.io", "asia.gcr.io"]) {
            assert.ok(isGoogleRegistry(host), host);
            const repository = await lookup.prebuiltRepository!(host, "other-project/images/service");
            assert.deepStrictEqual(await repository.credentials?.(), { user: "oauth2accesstoken", password: GOOGLE_TOKEN }, host);
        }
        for (const host of ["registry-1.docker.io", "docker.pkg.dev.example.com", "ghcr.io", "evil-gcr.io"]) assert.ok(!isGoogleRegistry(host), host);
    });
    // A host is Google's only when it ends where Google's names end: a name that merely starts like one
    // (`<location>-docker.pkg.dev.<someone else's domain>`) is that domain's, and anyone can serve a registry there.
    it("never gets the Google token on a host that only starts like one of Google's", async () => {
        const lookup = artifactRegistryLookup({ project: "multicloud-service-prod", region: "asia-northeast1", repositoryId: "service-registry-prod" }, pulumi.output(GOOGLE_TOKEN));
        for (const host of ["asia-northeast1-docker.pkg.dev.attacker.example", "gcr.io.attacker.example", "asia.gcr.io.attacker.example"]) {
            assert.ok(!isGoogleRegistry(host), host);
            const repository = await lookup.prebuiltRepository!(host, "other-project/images/service");
            assert.strictEqual(repository.credentials, undefined, host);
        }
    });

});

describe("a prebuilt Lambda image outside ECR (the component's image.prebuilt, with verification)", () => {
    it("is refused before ECR's login is asked for or sent anywhere: Lambda runs images from ECR only", async () => {
        const hub = dockerHub();
        await withFakeFetch(hub.fetch, async () => {
            const lookup = ecrLookup("multicloud-service-prod", "ap-northeast-1");
            for (const ref of ["docker.io/library/nginx", "ghcr.io/someone/service", "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com.evil.example/service"]) {
                const { host, name } = registryLocation(ref);
                await assert.rejects(lookup.prebuiltRepository!(host, name), new RegExp(`^Error: prebuilt image ${host.replace(/\./g, "\\.")}/${name} is not in Amazon ECR .*the only registry Lambda runs images from`));
            }
        });
        assert.deepStrictEqual(hub.requests, [], "no registry was asked anything");
    });
});
