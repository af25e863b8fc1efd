import * as assert from "assert";
import { describeEcrImage, ecrDigestOfTag, refuseUnrunnableEcrImage } from "../../components/aws/ecrImages";
import { ecrLogin } from "../../components/aws/ecrLogin";
import { isLastingRefusal } from "../../components/lastingRefusal";
import { latestUpdateOf, publishedVersionOf } from "../../components/aws/lambdaVersions";
import { Refusal } from "../../components/refusal";
import { digestOfTag, versionCreateTime } from "../../components/gcp/artifactRegistryTags";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { GOOGLE_API_TITLES, accessTokenExpired, frontEndNotFound, perimeterRefused, permissionDenied, quotaExceeded, scopeInsufficient, serviceDisabled, unavailable } from "../../scripts/offline/googleApiAnswers";
import { imageArtifact, imageIndex, indexEntries } from "../../scripts/offline/fakeRegistry";
import { FAKE_ECR_HOST } from "../../scripts/offline/fakeOciRegistryApi";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { cloudRegistries } from "../../scripts/image/registries";

const REGION = "ap-northeast-1";
const AR = { project: "multicloud-service-dev", region: "asia-northeast1", repositoryId: "service-registry-dev" };

/**
 * The registries' real answers, decided by code (issue 19 #1, #2): the bridged providers' data sources say "couldn't
 * find resource" for a missing image or version, prose that the old matcher did not recognise; the program asks
 * the APIs themselves (on loopback stand-ins that answer in the services' words) and reads their error codes.
 */
describe("registry answers: missing is decided by the API's error code, anything else stops the deployment", () => {
    let cloud: MockCloud;
    let restore: () => void;
    beforeEach(async () => {
        cloud = new MockCloud({ aws: REGION, gcp: AR.region }, AR.project);
        cloud.registry.mode = "none";
        restore = await useCloudApisInProcess(cloud);
    });
    afterEach(() => restore());
    /** The cloud of a test that needs a region of its own (ECR logins are kept for the process, by region), in place of beforeEach's. */
    const useCloudOfItsOwn = async (region: string) => {
        restore();
        cloud = new MockCloud({ aws: region, gcp: AR.region }, AR.project);
        restore = await useCloudApisInProcess(cloud);
    };

    it("ECR: a missing repository (RepositoryNotFoundException) and a missing tag (ImageNotFoundException) are 'not there'", async () => {
        assert.strictEqual(await ecrDigestOfTag(REGION, "multicloud-service-dev", "c-1"), undefined);
        cloud.awsApis.repositories.add("multicloud-service-dev");
        assert.strictEqual(await ecrDigestOfTag(REGION, "multicloud-service-dev", "c-1"), undefined);
        const digest = cloud.registry.push("multicloud-service-dev", "c-1");
        assert.strictEqual(await ecrDigestOfTag(REGION, "multicloud-service-dev", "c-1"), digest);
    });

    // Before: each read as 'not there', so the promotion copied and the build built over an image ECR may hold.
    it("ECR: an answer without an image, or an image without its digest, is neither a digest nor 'not there': it fails naming the answer", async () => {
        cloud.awsApis.repositories.add("multicloud-service-dev");
        const registries = cloudRegistries();
        const target = { cloud: "aws" as const, repository: `${FAKE_ECR_HOST(REGION)}/multicloud-service-dev`, tag: "c-1", platform: "linux/arm64" };
        cloud.awsApis.describeImagesBody = { imageDetails: [] };
        await assert.rejects(registries.digestOf(target), /^Error: ECR's DescribeImages answered multicloud-service-dev:c-1 \(ap-northeast-1\) with no image \(imageDetails: \[\]\), neither the image asked for nor ImageNotFoundException, so whether the registry holds it is unknown: check that AWS_ENDPOINT_URL_ECR/);
        cloud.awsApis.describeImagesBody = { imageDetails: [{ repositoryName: "multicloud-service-dev", imageTags: ["c-1"] }] };
        await assert.rejects(registries.digestOf(target), /^Error: ECR's DescribeImages answered multicloud-service-dev:c-1 \(ap-northeast-1\) with no sha256 imageDigest \(imageDetails: \[\{"repositoryName":"multicloud-service-dev","imageTags":\["c-1"\]\}\]\)/);
    });

    // Before: the first image of the answer was taken whatever it was, its digest deployed or promoted as the tag's, and
    // its tags kept by the lifecycle policy for a stable version's image.
    it("ECR: an answer describing another image than the tag or digest asked for is refused, naming the image asked and the answer", async () => {
        cloud.awsApis.repositories.add("multicloud-service-dev");
        const other = { repositoryName: "multicloud-service-dev", imageDigest: `sha256:${"b".repeat(64)}`, imageTags: ["c-0"] };
        cloud.awsApis.describeImagesBody = { imageDetails: [other] };
        const unreadable = (image: string, under: string) =>
            `ECR's DescribeImages answered multicloud-service-dev${image} (ap-northeast-1) with an image not under that ${under} (imageDetails: [${JSON.stringify(other)}]), ` +
            "neither the image asked for nor ImageNotFoundException, so whether the registry holds it is unknown: " +
            "check that AWS_ENDPOINT_URL_ECR and AWS_ENDPOINT_URL, if set, name ECR itself, then run this again";
        await assert.rejects(ecrDigestOfTag(REGION, "multicloud-service-dev", "c-1"), { message: unreadable(":c-1", "tag") });
        const asked = `sha256:${"a".repeat(64)}`;
        await assert.rejects(describeEcrImage(REGION, "multicloud-service-dev", { imageDigest: asked }), { message: unreadable(`@${asked}`, "digest") });
        // An image carries all its tags (ECR API reference, ImageDetail's imageTags), the one asked for anywhere among them.
        cloud.awsApis.describeImagesBody = { imageDetails: [{ ...other, imageTags: ["c-0", "c-1"] }] };
        assert.strictEqual(await ecrDigestOfTag(REGION, "multicloud-service-dev", "c-1"), other.imageDigest);
    });

    it("ECR: access denied is not 'not there': it fails with IAM's message", async () => {
        cloud.awsApis.denyEcr = true;
        await assert.rejects(ecrDigestOfTag(REGION, "multicloud-service-dev", "c-1"), (err: Error) => (
            assert.ok(isLastingRefusal(err), `${err.name}: ${err.message}`),
            assert.match(err.message, /^could not describe multicloud-service-dev:c-1 in ECR \(ap-northeast-1, DescribeImages\): AccessDeniedException: User: .* is not authorized to perform: ecr:DescribeImages .*\(the deploying identity needs ecr:DescribeImages on the repository multicloud-service-dev\)$/),
            true
        ));
    });

    it("ECR: a role that may not log in to the registry fails with IAM's words, and a later login is asked again", async () => {
        // A region of its own, served by a cloud of its own: logins are kept for the process, and another spec may have
        // logged in to REGION.
        const region = "eu-central-1";
        await useCloudOfItsOwn(region);
        cloud.awsApis.denyEcr = true;
        await assert.rejects(ecrLogin(region), (err: Error) => (
            assert.ok(isLastingRefusal(err), `${err.name}: ${err.message}`),
            assert.match(err.message, /^could not get ECR's registry login in eu-central-1 \(GetAuthorizationToken\): AccessDeniedException: User: .* is not authorized to perform: ecr:GetAuthorizationToken on resource: \* .*\(the deploying identity needs ecr:GetAuthorizationToken\)$/),
            true
        ));
        cloud.awsApis.denyEcr = false;
        assert.match((await ecrLogin(region)).password, /.+/);
    });

    // Before: no authorizationData logged in to host "unknown" with an empty password, and the registry's refusal of that
    // login was what one read, far from its cause.
    it("ECR: a login answer without authorizationData, or without its password, is refused naming what it lacked, the token withheld", async () => {
        const region = "ap-southeast-4"; // a region of its own: logins are kept for the process (ecrLogin)
        await useCloudOfItsOwn(region);
        cloud.awsApis.authorizationTokenBody = { authorizationData: [] };
        await assert.rejects(ecrLogin(region), {
            message:
                "ECR's GetAuthorizationToken in ap-southeast-4 answered with no authorizationData (authorizationData: []), so there is no registry login: " +
                "check that AWS_ENDPOINT_URL_ECR and AWS_ENDPOINT_URL, if set, name ECR itself, then run this again",
        });
        const proxyEndpoint = `https://${FAKE_ECR_HOST(region)}`;
        cloud.awsApis.authorizationTokenBody = { authorizationData: [{ authorizationToken: Buffer.from("AWS:").toString("base64"), expiresAt: 1764590400, proxyEndpoint }] };
        await assert.rejects(ecrLogin(region), /^Error: ECR's GetAuthorizationToken in ap-southeast-4 answered with no password in its authorizationToken \(authorizationData: \[\{"expiresAt":"[^"]+","proxyEndpoint":"https:\/\/[^"]+","authorizationToken":"<withheld>"\}\]\)/);
        // No token at all is said so, not as a token of another form.
        cloud.awsApis.authorizationTokenBody = { authorizationData: [{ expiresAt: 1764590400, proxyEndpoint }] };
        await assert.rejects(ecrLogin(region), /^Error: ECR's GetAuthorizationToken in ap-southeast-4 answered with no password in its authorizationToken \(authorizationData: \[\{"expiresAt":"[^"]+","proxyEndpoint":"https:\/\/[^"]+"\}\]\)/);
        // Before: a token whose decoded form does not start `AWS:` went whole to the registry as the password.
        cloud.awsApis.authorizationTokenBody = { authorizationData: [{ authorizationToken: Buffer.from("not-a-login").toString("base64"), expiresAt: 1764590400, proxyEndpoint }] };
        await assert.rejects(ecrLogin(region), (err: Error) => (
            assert.ok(err instanceof Refusal, `${err.name}: ${err.message}`),
            assert.match(err.message, /^ECR's GetAuthorizationToken in ap-southeast-4 answered an authorizationToken that is not base64 of `AWS:<password>` \(authorizationData: \[\{"expiresAt":"[^"]+","proxyEndpoint":"https:\/\/[^"]+","authorizationToken":"<withheld>"\}\]\), so there is no registry login: check that AWS_ENDPOINT_URL_ECR/),
            assert.ok(!err.message.includes("not-a-login") && !err.message.includes(Buffer.from("not-a-login").toString("base64")), "the token is withheld"),
            true
        ));
        cloud.awsApis.authorizationTokenBody = undefined;
        assert.match((await ecrLogin(region)).password, /.+/);
    });

    // Before: a proxyEndpoint without its scheme threw new URL's bare "TypeError: Invalid URL", naming no call; one of
    // another scheme (`registry:5000`) logged in to host "".
    it("ECR: a login answer whose proxyEndpoint is not an https URL of a host is refused naming the call and the answer", async () => {
        const region = "me-south-1"; // a region of its own: logins are kept for the process (ecrLogin)
        await useCloudOfItsOwn(region);
        const token = Buffer.from("AWS:secret-password").toString("base64");
        for (const proxyEndpoint of [FAKE_ECR_HOST(region), "registry:5000"]) {
            cloud.awsApis.authorizationTokenBody = { authorizationData: [{ authorizationToken: token, expiresAt: 1764590400, proxyEndpoint }] };
            await assert.rejects(ecrLogin(region), (err: Error) => (
                assert.ok(err instanceof Refusal, `${err.name}: ${err.message}`),
                assert.strictEqual(
                    err.message,
                    `ECR's GetAuthorizationToken in me-south-1 answered a proxyEndpoint that is not an https URL of a registry host (authorizationData: [{"expiresAt":"2025-12-01T12:00:00.000Z","proxyEndpoint":"${proxyEndpoint}","authorizationToken":"<withheld>"}]), ` +
                        "so there is no registry login: check that AWS_ENDPOINT_URL_ECR and AWS_ENDPOINT_URL, if set, name ECR itself, then run this again",
                ),
                true
            ));
        }
        // A port the endpoint names is where the registry listens: it stays in the host images are pushed to.
        cloud.awsApis.authorizationTokenBody = { authorizationData: [{ authorizationToken: token, expiresAt: 1764590400, proxyEndpoint: `https://${FAKE_ECR_HOST(region)}:8443` }] };
        assert.strictEqual((await ecrLogin(region)).host, `${FAKE_ECR_HOST(region)}:8443`);
    });

    it("ECR: an image index under the tag (a multi-platform or attested build) is refused: Lambda runs one manifest", async () => {
        cloud.awsApis.repositories.add("multicloud-service-dev");
        cloud.registry.pushArtifact("multicloud-service-dev", "c-2", imageIndex([{ os: "linux", architecture: "arm64" }]));
        await assert.rejects(ecrDigestOfTag(REGION, "multicloud-service-dev", "c-2"), /is an image index \(application\/vnd\.oci\.image\.index\.v1\+json\), which Lambda does not run: delete it \(aws ecr batch-delete-image --region \S+ --repository-name multicloud-service-dev --image-ids imageTag=c-2\), then build it again as one manifest .*--provenance=false --sbom=false/);
    });

    it("ECR: a Docker manifest list under the tag (docker buildx's multi-platform push with Docker media types) is refused as an OCI index is", async () => {
        cloud.awsApis.repositories.add("multicloud-service-dev");
        // A manifest list is Docker's image index (distribution/distribution docs/spec/manifest-v2-2.md, "Manifest List").
        const list = imageIndex([{ os: "linux", architecture: "arm64" }, { os: "linux", architecture: "amd64" }]);
        const manifest = Buffer.from(JSON.stringify({ ...JSON.parse(list.manifest.toString()), mediaType: "application/vnd.docker.distribution.manifest.list.v2+json" }));
        cloud.registry.pushArtifact("multicloud-service-dev", "c-3", { ...list, manifest });
        await assert.rejects(ecrDigestOfTag(REGION, "multicloud-service-dev", "c-3"), /is an image index \(application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json\), which Lambda does not run: delete it/);
    });

    // `docker build` and buildx's docker driver push Docker's media types; ECR serves a manifest asked for by digest only
    // in the form it was pushed, so a read that does not accept Docker's skipped the platform check with a warning.
    it("ECR: a prebuilt image pushed with Docker's media types is read for its platform, and refused for the other architecture", async () => {
        cloud.awsApis.repositories.add("built-with-docker");
        const oci = imageArtifact({ os: "linux", architecture: "amd64" });
        const written = JSON.parse(oci.manifest.toString());
        const docker = {
            ...written,
            mediaType: "application/vnd.docker.distribution.manifest.v2+json",
            config: { ...written.config, mediaType: "application/vnd.docker.container.image.v1+json" },
        };
        const digest = cloud.registry.pushArtifact("built-with-docker", "d-1", { ...oci, manifest: Buffer.from(JSON.stringify(docker)) });
        const warnings: string[] = [];
        await assert.rejects(
            refuseUnrunnableEcrImage(`${FAKE_ECR_HOST(REGION)}/built-with-docker`, digest, "arm64", (w) => warnings.push(w)),
            /is built for linux\/amd64, and the functions run on linux\/arm64 \(architecture arm64\)/,
        );
        assert.deepStrictEqual(warnings, []);
    });

    it("Lambda: a version that is not there (ResourceNotFoundException) is 'not there'; one that is gives its image", async () => {
        cloud.awsApis.deletedVersions.add("api:7");
        assert.strictEqual(await publishedVersionOf(REGION, "api", "7"), undefined);
        assert.match(String((await publishedVersionOf(REGION, "api", "8"))?.image), /\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/.+@sha256:[0-9a-f]{64}$/);
    });

    // Before: a version answered without Code's image read as no image, which the stable-version check called a version
    // the function "does not have (Lambda answers ResourceNotFoundException)", and the other readers passed over.
    it("Lambda: a version that is there but answered with no image is refused quoting the answer, not called 'not there'", async () => {
        const answer = { Configuration: { FunctionName: "api", Version: "9", PackageType: "Image", State: "Active" }, Code: { RepositoryType: "ECR" } };
        cloud.awsApis.getFunctionBodies.set("api:9", answer);
        await assert.rejects(publishedVersionOf(REGION, "api", "9"), {
            message:
                `Lambda's GetFunction answered api:9 (ap-northeast-1) with no image (Code: {"RepositoryType":"ECR"}, PackageType: Image), so which image that version runs is unknown: ` +
                "check that api is an image function and that AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL, if set, name Lambda itself, then run this again",
        });
    });

    // Before: a plain Error ("the function is not there"), printed with its stack and no remedy.
    it("Lambda: $LATEST answered ResourceNotFoundException (the function deleted since its version was read) is refused with what to check and run", async () => {
        cloud.awsApis.deletedVersions.add("api:$LATEST");
        await assert.rejects(latestUpdateOf(REGION, "api"), (err: Error) => (
            assert.ok(err instanceof Refusal, `${err.name}: ${err.message}`),
            assert.strictEqual(
                err.message,
                "Lambda's GetFunction answered api ($LATEST, ap-northeast-1) with ResourceNotFoundException, so what $LATEST holds is unknown: " +
                    "check whether api is still there (aws lambda get-function --region ap-northeast-1 --function-name api); if it was deleted, `pulumi up --refresh` makes it again; " +
                    "if it is there, check that AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL, if set, name Lambda itself, then run this again",
            ),
            true
        ));
    });

    it("Artifact Registry: NOT_FOUND is 'not there', a tag that is there gives its version's digest", async () => {
        cloud.artifactRegistry.allApisEnabled = true;
        assert.strictEqual(await digestOfTag(AR, "c-1", "token"), undefined);
        const digest = cloud.registry.push(`${AR.region}-docker.pkg.dev/${AR.project}/${AR.repositoryId}/service`, "c-1");
        assert.strictEqual(await digestOfTag(AR, "c-1", "token"), digest);
    });

    // Before: a 200 answer of `null` read as NOT_FOUND, so the promotion copied and the build built over a tag that may be there.
    it("Artifact Registry: a 200 answer that is no Tag is neither a digest nor NOT_FOUND: it fails naming the answer", async () => {
        // A long answer is quoted by its first 297 characters and "...".
        const long = { version: "v".repeat(400) };
        for (const [body, shown] of [[null, "null"], [{}, "{}"], [{ version: 7 }, '{"version":7}'], [long, `${JSON.stringify(long).slice(0, 297)}...`]] as const) {
            const answered = async () => Response.json(body);
            await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: answered }), (err: Error) => {
                assert.strictEqual(
                    err.message,
                    `Artifact Registry answered tag c-1 of asia-northeast1-docker.pkg.dev/multicloud-service-dev/service-registry-dev/service with no version of the form .../versions/sha256:<digest> (${shown}), ` +
                        "neither a tag nor NOT_FOUND, so whether the tag is there is unknown: run this again, and if it stays, see its tags with gcloud artifacts docker tags list asia-northeast1-docker.pkg.dev/multicloud-service-dev/service-registry-dev/service",
                );
                return true;
            });
        }
    });

    // Before: a 200 that is not JSON threw res.json()'s bare SyntaxError ("Unexpected token '<', \"<!DOCTYPE \"... is not
    // valid JSON", "Unexpected end of JSON input"), naming neither the call nor what to do.
    it("Artifact Registry: a 200 whose body is not JSON (a proxy's page, an empty body) fails naming the call and the body, not a SyntaxError", async () => {
        // A stand-in for a proxy's or captive portal's sign-in page: no product's words, only its shape (HTML under 200) matters.
        const page = "<!DOCTYPE html><html><head><title>Sign in to continue</title></head><body>This network requires you to sign in.</body></html>";
        for (const [body, shown] of [[page, JSON.stringify(page)], ["", '""']] as const) {
            const answered = async () => new Response(body, { status: 200, headers: { "content-type": "text/html" } });
            await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: answered }), (err: Error) => {
                assert.ok(err instanceof Refusal, `${err.name}: ${err.message}`);
                assert.strictEqual(
                    err.message,
                    `could not read tag c-1 of asia-northeast1-docker.pkg.dev/multicloud-service-dev/service-registry-dev/service: Google answered HTTP 200 with a body that is not JSON (${shown}), ` +
                        "not an API's answer: something between this machine and googleapis.com answered in its place (a proxy, HTTPS_PROXY, a captive portal). Run this again, and if it stays, check the network path to googleapis.com",
                );
                return true;
            });
        }
    });

    // Before: each read as NOT_FOUND, so the scan of an image pushed long ago waited for a DISCOVERY occurrence that will not come.
    it("Artifact Registry: a 200 answer that is no Version with its createTime is neither a push time nor NOT_FOUND: it fails naming the answer", async () => {
        const digest = `sha256:${"e".repeat(64)}`;
        const image = "asia-northeast1-docker.pkg.dev/multicloud-service-dev/service-registry-dev/service";
        for (const [body, shown] of [[null, "null"], [{ name: "v" }, '{"name":"v"}'], [{ createTime: 7 }, '{"createTime":7}'], [{ createTime: "yesterday" }, '{"createTime":"yesterday"}']] as const) {
            const answered = async () => Response.json(body);
            await assert.rejects(versionCreateTime(AR, "service", digest, "token", { fetch: answered }), (err: Error) => {
                assert.strictEqual(
                    err.message,
                    `Artifact Registry answered version ${digest} of ${image} with no createTime of the form <RFC 3339 time> (${shown}), neither a version nor NOT_FOUND, ` +
                        `so when it was pushed is unknown: run this again, and if it stays, see the version with gcloud artifacts docker images describe ${image}@${digest}`,
                );
                return true;
            });
        }
    });

    // Artifact Registry keeps a version whose tag went or moved on, until a cleanup policy deletes it; ECR deletes an
    // image with its last tag (BatchDeleteImage). The stand-ins answered both "not there", and every version pushed
    // as an artifact with the time of the question as its createTime.
    it("an untagged Artifact Registry version is still there with the time it was pushed; an ECR image goes with its last tag", async () => {
        cloud.artifactRegistry.allApisEnabled = true;
        const repository = `${AR.region}-docker.pkg.dev/${AR.project}/${AR.repositoryId}/service`;
        const digest = cloud.registry.pushArtifact(repository, "c-3", imageArtifact({ os: "linux", architecture: "amd64" }));
        const pushed = cloud.registry.pushedAt.get(digest)!;
        pushed.setTime(Date.now() - 3_600_000);
        cloud.registry.untag(repository, "c-3");
        assert.strictEqual((await versionCreateTime(AR, "service", digest, "token"))?.getTime(), pushed.getTime());
        // The version as the API answers it: its DockerImage fields in `metadata` (version.proto, Version.metadata).
        const version = (await cloud.artifactRegistry.answer(cloud.artifactRegistry.requests.at(-1)!.url, "Bearer token")!.json()) as { metadata?: unknown };
        assert.deepStrictEqual(version.metadata, { name: `projects/${AR.project}/locations/${AR.region}/repositories/${AR.repositoryId}/dockerImages/service@${digest}`, mediaType: "application/vnd.oci.image.manifest.v1+json" });
        // The images of an index come with it, pushed when it was (one not pushed before: the amd64 image above was).
        const index = imageIndex([{ os: "linux", architecture: "s390x" }]);
        const indexDigest = cloud.registry.pushArtifact(repository, "c-5", index);
        const [image] = indexEntries(index);
        assert.strictEqual((await versionCreateTime(AR, "service", image.digest, "token"))?.getTime(), cloud.registry.pushedAt.get(indexDigest)!.getTime());
        cloud.awsApis.repositories.add("multicloud-service-dev");
        const ecrDigest = cloud.registry.pushArtifact("multicloud-service-dev", "c-4", imageArtifact({ os: "linux", architecture: "arm64" }));
        cloud.registry.untag("multicloud-service-dev", "c-4");
        assert.strictEqual(cloud.registry.holds("multicloud-service-dev", ecrDigest), false);
        assert.strictEqual(await describeEcrImage(REGION, "multicloud-service-dev", { imageDigest: ecrDigest }), undefined);
    });

    // An image path with '/' is one package whose ID escapes it as %2F (googleapis/googleapis
    // google/devtools/artifactregistry/v1/version.proto, Version.name: "If the package or version ID parts contain
    // slashes, the slashes are escaped"); unescaped, the URL names a path no method maps.
    it("Artifact Registry: a version of an image whose path has '/' is asked of its package, the '/' escaped", async () => {
        cloud.artifactRegistry.allApisEnabled = true;
        const repository = `${AR.region}-docker.pkg.dev/${AR.project}/${AR.repositoryId}/team/service`;
        const digest = cloud.registry.pushArtifact(repository, "c-6", imageArtifact({ os: "linux", architecture: "arm64" }));
        assert.strictEqual((await versionCreateTime(AR, "team/service", digest, "token"))?.getTime(), cloud.registry.pushedAt.get(digest)!.getTime());
        assert.match(cloud.artifactRegistry.requests.at(-1)!.url, /\/packages\/team%2Fservice\/versions\/sha256:[0-9a-f]{64}$/);
    });

    // A Docker image's package is its path in the repository (tags.get names `.../packages/<package>/tags/<tag>`,
    // googleapis/googleapis google/devtools/artifactregistry/v1/tag.proto): the image tools ask the tag of the image
    // their target names, not of the service image whatever the target.
    it("Artifact Registry: the image tools ask the tag of the target's own image", async () => {
        cloud.artifactRegistry.allApisEnabled = true;
        const path = `${AR.region}-docker.pkg.dev/${AR.project}/${AR.repositoryId}`;
        cloud.registry.pushArtifact(`${path}/service`, "c-7", imageArtifact({ os: "linux", architecture: "amd64" }));
        const api = cloud.registry.pushArtifact(`${path}/api`, "c-7", imageArtifact({ os: "linux", architecture: "arm64" }));
        const token = process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
        process.env.GOOGLE_OAUTH_ACCESS_TOKEN = "ya29.test";
        try {
            assert.strictEqual(await cloudRegistries().digestOf({ cloud: "gcp", repository: `${path}/api`, tag: "c-7", platform: "linux/amd64" }), api);
        } finally {
            if (token === undefined) delete process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
            else process.env.GOOGLE_OAUTH_ACCESS_TOKEN = token;
        }
    });

    it("Artifact Registry: SERVICE_DISABLED right after the API was enabled is asked again; once it propagated, the answer counts", async () => {
        const slept: number[] = [];
        const sleep = async (ms: number) => {
            slept.push(ms);
            if (slept.length === 2) cloud.artifactRegistry.enabledApis.add(`${AR.project}/artifactregistry.googleapis.com`);
        };
        assert.strictEqual(await digestOfTag(AR, "c-1", "token", { sleep }), undefined);
        assert.deepStrictEqual(slept, [10_000, 10_000]);
        assert.deepStrictEqual(cloud.artifactRegistry.requests.map((r) => r.reason ?? r.status), ["SERVICE_DISABLED", "SERVICE_DISABLED", 404]);
    });

    it("Artifact Registry: an API that stays disabled fails after about a minute, naming the API and the project", async () => {
        await assert.rejects(digestOfTag(AR, "c-1", "token", { sleep: async () => {} }), (err: Error) => {
            assert.match(err.message, /could not read tag c-1 of asia-northeast1-docker\.pkg\.dev\/multicloud-service-dev\/service-registry-dev\/service: HTTP 403 PERMISSION_DENIED \(SERVICE_DISABLED\); the Artifact Registry API is still disabled/);
            return true;
        });
        assert.strictEqual(cloud.artifactRegistry.requests.length, 6);
    });

    /**
     * Google's error model for "not now" (cloud.google.com/apis/design/errors: 429 RESOURCE_EXHAUSTED, "Either out of
     * resource quota or reaching rate limiting", its details a google.rpc.RetryInfo whose retryDelay is a Duration
     * ("30s"); 503 UNAVAILABLE, "Service unavailable", retried per Service Usage's "How do I perform a retry on API
     * errors?": 30 s after a 429, 1 s after a 500 or 503).
     */
    it("Artifact Registry: a quota or server answer (429 with RetryInfo, 503) is asked again after Google's delay, and one that stays is not blamed on IAM", async () => {
        const digest = `sha256:${"d".repeat(64)}`;
        const tag = () => Response.json({ name: "t", version: `projects/p/locations/l/repositories/r/packages/service/versions/${digest}` });
        const quota = () => quotaExceeded("artifactregistry.googleapis.com", "45s");
        const answering = (answers: (() => Response)[]) => {
            const slept: number[] = [];
            return { slept, options: { fetch: async () => (answers.length > 1 ? answers.shift()! : answers[0])(), sleep: async (ms: number) => void slept.push(ms) } };
        };
        const server = answering([unavailable, unavailable, tag]);
        assert.strictEqual(await digestOfTag(AR, "c-1", "token", server.options), digest);
        assert.deepStrictEqual(server.slept, [1000, 2000]);
        const limited = answering([quota, tag]);
        assert.strictEqual(await digestOfTag(AR, "c-1", "token", limited.options), digest);
        assert.deepStrictEqual(limited.slept, [45_000], "RetryInfo's delay");
        // A quota freed within the second: Google's retryDelay is whole seconds, "0s" (Gemini API 429s: "Please retry in
        // 8.386476ms." with RetryInfo retryDelay "0s"). Before: [0, 0], every try spent at once.
        const withinTheSecond = () => quotaExceeded("artifactregistry.googleapis.com", "0s");
        const freeing = answering([withinTheSecond, withinTheSecond, tag]);
        assert.strictEqual(await digestOfTag(AR, "c-1", "token", freeing.options), digest);
        assert.deepStrictEqual(freeing.slept, [1000, 2000], "RetryInfo's 0s is a floor over the backoff");

        const down = answering([unavailable]);
        await assert.rejects(digestOfTag(AR, "c-1", "token", down.options), (err: Error) => {
            assert.match(err.message, /could not read tag c-1 of .*: HTTP 503 UNAVAILABLE; Google answered 5 tries in a row this way \(quota or Google's own trouble, not a permission\): run pulumi up again/);
            assert.doesNotMatch(err.message, /artifactregistry\.tags\.get/);
            return true;
        });
        assert.deepStrictEqual(down.slept, [1000, 2000, 4000, 8000]);
    });

    // Google's SERVICE_DISABLED names the consumer by number in ErrorInfo's metadata (consumer: "projects/<number>"): the
    // project billed for the call, which with user credentials is their quota project, not necessarily this one.
    it("Artifact Registry: with the project's number known, a SERVICE_DISABLED about another project fails at once, naming it; one about this project is waited out", async () => {
        const disabledIn = (consumer: string) => async () => serviceDisabled(GOOGLE_API_TITLES.artifactregistry, "artifactregistry.googleapis.com", { consumer });
        const slept: number[] = [];
        const sleep = async (ms: number) => void slept.push(ms);
        const ours = { ...AR, projectNumber: "123456789012" };
        await assert.rejects(digestOfTag(ours, "c-1", "token", { fetch: disabledIn("projects/111111111111"), sleep }), /the API is disabled in projects\/111111111111, the project the call was billed to \(the deploying identity's quota project\), not in multicloud-service-dev: enable it there/);
        assert.deepStrictEqual(slept, [], "another project's API is not waited for");
        await assert.rejects(digestOfTag(ours, "c-1", "token", { fetch: disabledIn("projects/123456789012"), sleep }), /the Artifact Registry API is still disabled in that project/);
        assert.deepStrictEqual(slept, Array(5).fill(10_000), "this project's API, enabled moments ago, is asked again");
    });

    it("Artifact Registry: PERMISSION_DENIED without a reason is not 'not there': it names the permission", async () => {
        // Google's IAM refusal in its own words (as Cloud Quotas' in quota.spec.ts): the permission, the full resource name
        // it was checked on, "(or it may not exist)"; no ErrorInfo reason, which is what this test is about.
        const message = "Permission 'artifactregistry.tags.get' denied on resource '//artifactregistry.googleapis.com/projects/multicloud-service-dev/locations/asia-northeast1/repositories/service-registry-dev' (or it may not exist).";
        const denied = async () => Response.json({ error: { code: 403, message, status: "PERMISSION_DENIED" } }, { status: 403 });
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: denied }), /HTTP 403 PERMISSION_DENIED; the identity asking needs artifactregistry\.tags\.get on the repository/);
    });

    // Google checks the permission first and, for a repository that is not there, on the project: NOT_FOUND only to an
    // identity that holds it there (AIP-211, "Authorization checks"). image.yml's account holds writer on dev's
    // repository alone, so its look-up before dev's first `pulumi up` is IAM's refusal (permissionDenied: its words).
    // Before: a 403 in no words of Google's error model got the permission hint ("the identity asking needs
    // artifactregistry.tags.get on the repository ..."), sending the engineer to IAM for a proxy's refusal.
    it("Artifact Registry: a 403 that is a proxy's page, not Google's error JSON, is not blamed on IAM", async () => {
        // Squid's ERR_ACCESS_DENIED page, cut (squid-cache/squid errors/templates/ERR_ACCESS_DENIED), as a proxy that inspects HTTPS answers a denied call.
        const page =
            '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<html><head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n' +
            "<title>ERROR: The requested URL could not be retrieved</title>\n</head><body id=ERR_ACCESS_DENIED>\n<div id=\"titles\">\n<h1>ERROR</h1>\n<h2>The requested URL could not be retrieved</h2>\n</div>\n" +
            "<p><b>Access Denied.</b></p>\n<p>Access control configuration prevents your request from being allowed at this time.</p></body></html>";
        const answered = async () => new Response(page, { status: 403, headers: { "content-type": "text/html" } });
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: answered }), (err: Error) => {
            assert.match(err.message, /^could not read tag c-1 of \S+: HTTP 403; the answer is no Google API error \(no \{"error": \{\.\.\.\}\} JSON\), so something other than the API refused the call/);
            assert.match(err.message, /not IAM: no role mends it\. Check that this machine reaches googleapis\.com directly or through a proxy that lets it through, then run this again\. <!DOCTYPE html/);
            assert.doesNotMatch(err.message, /artifactregistry\.tags\.get/);
            return true;
        });
    });

    // A gateway that answers JSON, but not Google's error model: Kong's key-auth 401 and ACL 403 (Kong/kong
    // kong/plugins/key-auth/handler.lua "No API key found in request", kong/plugins/acl/handler.lua
    // kong.response.exit(403, { message = "You cannot consume this service" })). Neither is the token's nor IAM's.
    it("Artifact Registry: a 401 or 403 in JSON that is not Google's {\"error\": {...}} is not blamed on the token or IAM", async () => {
        for (const [status, message] of [
            [401, "No API key found in request"],
            [403, "You cannot consume this service"],
        ] as const) {
            const gateway = async () => Response.json({ message }, { status });
            await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: gateway }), (err: Error) => {
                assert.match(err.message, new RegExp(`^could not read tag c-1 of \\S+: HTTP ${status}; the answer is no Google API error .*not IAM: no role mends it\\..*${message}`));
                assert.doesNotMatch(err.message, /artifactregistry\.tags\.get|did not accept the access token/);
                return true;
            });
        }
    });

    // googleapis.com's own front end answers a path no API maps with its HTML 404 page (frontEndNotFound): Google's
    // answer to a wrong URL, not a proxy's refusal.
    it("Artifact Registry: Google's HTML 404 for a URL no API maps is not said to be a proxy's refusal", async () => {
        const answered = async () => frontEndNotFound("/v1/projects/multicloud-service-dev/locations/asia-northeast1/repositories/service-registry-dev/packages/service/tags/c-1");
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: answered }), (err: Error) => {
            assert.match(err.message, /^could not read tag c-1 of \S+: HTTP 404\. <!DOCTYPE html>/);
            assert.doesNotMatch(err.message, /no Google API error|artifactregistry\.tags\.get/);
            return true;
        });
    });

    // A busy answer in no words of Google's (a proxy's or the front end's HTML 503) is waited out as its Retry-After asks (RFC 9110 §10.2.3).
    it("Artifact Registry: a 503 that is no Google JSON is asked again after its Retry-After", async () => {
        const digest = `sha256:${"e".repeat(64)}`;
        const answers = [
            () => new Response("<html><body>Service Unavailable</body></html>", { status: 503, headers: { "content-type": "text/html", "retry-after": "20" } }),
            () => Response.json({ name: "t", version: `projects/p/locations/l/repositories/r/packages/service/versions/${digest}` }),
        ];
        const slept: number[] = [];
        assert.strictEqual(await digestOfTag(AR, "c-1", "token", { fetch: async () => answers.shift()!(), sleep: async (ms: number) => void slept.push(ms) }), digest);
        assert.deepStrictEqual(slept, [20_000]);
    });

    it("Artifact Registry: image.yml's look-up before the stack's first `pulumi up` made the repository says it may not exist yet and what to run", async () => {
        const repository = `projects/${AR.project}/locations/${AR.region}/repositories/${AR.repositoryId}`;
        const beforeFirstUp = async () => permissionDenied("artifactregistry.googleapis.com", "artifactregistry.tags.get", repository);
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: beforeFirstUp }), (err: Error) => {
            assert.match(err.message, /HTTP 403 PERMISSION_DENIED \(IAM_PERMISSION_DENIED\); .*or the repository does not exist yet.*run the stack's first `pulumi up`, which creates the repository and grants gcp\.registryAccess/);
            assert.doesNotMatch(err.message, /the deploying identity/, "image.yml's account is not the deployer");
            assert.match(err.message, /\(or it may not exist\)\.$/, "Google's own words close the message");
            return true;
        });
    });

    // A VPC Service Controls perimeter around the stack's project, whose ingress rules leave out GitHub's runners (or the
    // API): Google answers 403 PERMISSION_DENIED too, but no role the look-up's account could be granted lets it through.
    it("Artifact Registry: a look-up a VPC Service Controls perimeter refused names the perimeter, not a permission or a missing repository", async () => {
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: async () => perimeterRefused("artifactregistry.googleapis.com") }), (err: Error) => {
            assert.match(err.message, /HTTP 403 PERMISSION_DENIED \(SECURITY_POLICY_VIOLATED\); a VPC Service Controls perimeter refused the call, not IAM: no role lets it through\. Its ingress rules must admit the identity asking, from where it runs .*, to artifactregistry\.googleapis\.com/);
            assert.doesNotMatch(err.message, /needs artifactregistry\.tags\.get|does not exist yet/);
            assert.match(err.message, /vpcServiceControlsUniqueIdentifier: \S+$/, "Google's words, with the id the perimeter's audit log holds, close the message");
            return true;
        });
    });

    // An access token past its hour (a run that outlived the token it was handed) is refused 401 before any permission is checked.
    it("Artifact Registry: a look-up with an expired access token says so, not that a permission is missing", async () => {
        const expired = async () => accessTokenExpired("artifactregistry.googleapis.com", "google.devtools.artifactregistry.v1.ArtifactRegistry.GetTag");
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: expired }), (err: Error) => {
            assert.match(err.message, /HTTP 401 UNAUTHENTICATED \(ACCESS_TOKEN_EXPIRED\); Google did not accept the access token \(expired, or not one\), not a missing permission: run again with fresh credentials/);
            assert.doesNotMatch(err.message, /needs artifactregistry\.tags\.get|does not exist yet/);
            return true;
        });
    });

    // A 400 is about the request, before any permission: INVALID_ARGUMENT "Request contains an invalid argument." (Google's
    // API error model, cloud.google.com/apis/design/errors; Artifact Registry's words in pulumi/pulumi-google-native#259).
    it("Artifact Registry: an answer that is neither 401 nor 403 names no permission and no missing repository", async () => {
        const invalid = async () => Response.json({ error: { code: 400, message: "Request contains an invalid argument.", status: "INVALID_ARGUMENT" } }, { status: 400 });
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: invalid }), (err: Error) => {
            assert.match(err.message, /: HTTP 400 INVALID_ARGUMENT\. Request contains an invalid argument\.$/);
            assert.doesNotMatch(err.message, /artifactregistry\.tags\.get|does not exist yet/);
            return true;
        });
    });

    // Any other reason but IAM's (google/api/error_reason.proto) is no role to grant: here a token without the
    // cloud-platform scope (a VM's default scopes), in Google's words (scopeInsufficient, its source).
    it("Artifact Registry: a refusal for a reason other than IAM's names the reason, not the permission", async () => {
        const narrow = async () => scopeInsufficient("artifactregistry.googleapis.com", "google.devtools.artifactregistry.v1.ArtifactRegistry.GetTag");
        await assert.rejects(digestOfTag(AR, "c-1", "token", { fetch: narrow }), (err: Error) => {
            assert.match(err.message, /\(ACCESS_TOKEN_SCOPE_INSUFFICIENT\); Google's reason is ACCESS_TOKEN_SCOPE_INSUFFICIENT, which no role on the resource mends: its message says what does\. Request had insufficient authentication scopes\.$/);
            assert.doesNotMatch(err.message, /needs artifactregistry\.tags\.get/);
            return true;
        });
    });
});
