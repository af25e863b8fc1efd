import * as assert from "assert";
import { regExpText } from "../harness/regExpText";
import { LambdaEcrPipeline } from "../../components/aws";
import { CloudRunGcsService } from "../../components/gcp";
import { artifactDigest, imageArtifact, imageIndex } from "../../scripts/offline/fakeRegistry";
import { OciArtifact } from "../../scripts/offline/fakeCosign";
import { MockCloud, runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { failedUpdate } from "../harness/failedUpdate";
import { pipelineArgs } from "../aws/fixtures";
import { serviceArgs } from "./fixtures";

/** Where CI pushed the image: another project's Artifact Registry repository, read with the deployer's token. */
const REPOSITORY = "europe-west1-docker.pkg.dev/ci-images-project/releases/service";

const linux = (architecture: string) => ({ os: "linux", architecture });

/** The component running `prebuilt`, with `artifacts` pushed to REPOSITORY's tag ci-7 first, in turn (CI's pushes). */
function deploy(prebuilt: string, ...artifacts: OciArtifact[]) {
    return runUnderMocks(
        { stack: "dev", setup: (c) => artifacts.forEach((artifact) => c.registry.pushArtifact(REPOSITORY, "ci-7", artifact)) },
        () => new CloudRunGcsService("service", serviceArgs("dev", { image: { prebuilt } })),
    );
}

const cloudResources = (cloud: MockCloud) => cloud.resources.filter((r) => r.custom).map((r) => r.type);

// Cloud Run's container runtime contract (cloud.google.com/run/docs/container-contract) runs linux/amd64 only. Before,
// a prebuilt image of another platform got the APIs, the service account, the bucket and the secrets created, and
// then the service failed: Cloud Run refuses an index without linux/amd64 at deploy, and takes a single arm64
// manifest whose revision then fails to start (pulumi/templates#490).
describe("CloudRunGcsService: a prebuilt image Cloud Run cannot run (another platform than linux/amd64)", () => {
    it("a single linux/arm64 manifest is refused before the service or anything else is registered, saying what to do", async () => {
        const arm64 = imageArtifact(linux("arm64"));
        const { cloud } = await failedUpdate(
            deploy(`${REPOSITORY}@${artifactDigest(arm64)}`, arm64),
            new RegExp(
                `prebuilt image ${regExpText(REPOSITORY)}@${artifactDigest(arm64)} is built for linux/arm64, and Cloud Run runs linux/amd64 only: it would take the image and the revision would fail to start\\. ` +
                    "Name an image built for linux/amd64",
            ),
        );
        assert.deepStrictEqual(cloud.ofType("gcp:cloudrunv2/service:Service"), []);
        assert.deepStrictEqual(cloudResources(cloud), []);
    });

    // Artifact Registry keeps a version when its tag moves on (its repositories here are mutable), and serves it by digest.
    it("an arm64 image whose tag has since moved to another image is still read by its digest, and refused", async () => {
        const arm64 = imageArtifact(linux("arm64"));
        const { cloud } = await failedUpdate(deploy(`${REPOSITORY}@${artifactDigest(arm64)}`, arm64, imageArtifact(linux("amd64"))), /is built for linux\/arm64, and Cloud Run runs linux\/amd64 only/);
        assert.deepStrictEqual(cloudResources(cloud), []);
    });

    // The contract's "compiled for Linux 64-bit" holds for a single manifest too: its config's os, not its architecture alone.
    it("a single windows/amd64 manifest is refused too, named by its OS", async () => {
        const windows = imageArtifact({ os: "windows", architecture: "amd64" });
        const { cloud } = await failedUpdate(deploy(`${REPOSITORY}@${artifactDigest(windows)}`, windows), /is built for windows\/amd64, and Cloud Run runs linux\/amd64 only/);
        assert.deepStrictEqual(cloudResources(cloud), []);
    });

    it("a single linux/amd64 manifest is deployed as given", async () => {
        const amd64 = imageArtifact(linux("amd64"));
        const { cloud, result } = await deploy(`${REPOSITORY}@${artifactDigest(amd64)}`, amd64);
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image, `${REPOSITORY}@${artifactDigest(amd64)}`);
        assert.strictEqual(await valueOf(result.imageDigest), artifactDigest(amd64));
        assert.deepStrictEqual(messagesOf(cloud, "warning"), []);
    });

    it("an index without linux/amd64 is refused before anything is registered, naming the platforms it has", async () => {
        const index = imageIndex([linux("arm64"), { os: "linux", architecture: "arm", variant: "v7" }]);
        const { cloud } = await failedUpdate(
            deploy(`${REPOSITORY}@${artifactDigest(index)}`, index),
            new RegExp(
                `prebuilt image ${regExpText(REPOSITORY)}@${artifactDigest(index)} is an image index without a linux/amd64 image \\(it has linux/arm64, linux/arm/v7\\), and Cloud Run runs linux/amd64 only: ` +
                    "it would refuse the image at deploy\\. Name an image built for linux/amd64",
            ),
        );
        assert.deepStrictEqual(cloudResources(cloud), []);
    });

    // The contract names the OS as well as the architecture ("compiled for Linux 64-bit", container-contract): an index
    // whose only amd64 image is a Windows one (an index may list windows/amd64 entries: OCI image-index.md, platform.os) has none Cloud Run runs.
    it("an index whose only amd64 image is windows/amd64 is refused too: the OS counts, not the architecture alone", async () => {
        const index = imageIndex([linux("arm64"), { os: "windows", architecture: "amd64" }]);
        const { cloud } = await failedUpdate(
            deploy(`${REPOSITORY}@${artifactDigest(index)}`, index),
            /is an image index without a linux\/amd64 image \(it has linux\/arm64, windows\/amd64\), and Cloud Run runs linux\/amd64 only/,
        );
        assert.deepStrictEqual(cloudResources(cloud), []);
    });

    // An index need not say what it is: OCI image-spec image-index.md, mediaType: "This property SHOULD be used and
    // remain compatible with earlier versions of this specification and with other similar external formats. When
    // used, this field MUST contain the media type application/vnd.oci.image.index.v1+json" (and the spec's own
    // "Example Image Index" has none); its manifests array is REQUIRED ("While this property MUST be present, the
    // size of the array MAY be zero").
    it("an index without a mediaType field is still read as an index, and refused without linux/amd64", async () => {
        const typed = imageIndex([linux("arm64"), { os: "linux", architecture: "arm", variant: "v7" }]);
        const { mediaType, ...untyped } = JSON.parse(typed.manifest.toString());
        assert.strictEqual(mediaType, "application/vnd.oci.image.index.v1+json");
        const index: OciArtifact = { manifest: Buffer.from(JSON.stringify(untyped)), blobs: typed.blobs };
        const { cloud } = await failedUpdate(
            deploy(`${REPOSITORY}@${artifactDigest(index)}`, index),
            /is an image index without a linux\/amd64 image \(it has linux\/arm64, linux\/arm\/v7\), and Cloud Run runs linux\/amd64 only/,
        );
        assert.deepStrictEqual(cloudResources(cloud), []);
    });

    it("an index that includes linux/amd64 is deployed as given", async () => {
        const index = imageIndex([linux("arm64"), linux("amd64")]);
        const { cloud } = await deploy(`${REPOSITORY}@${artifactDigest(index)}`, index);
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image, `${REPOSITORY}@${artifactDigest(index)}`);
        assert.deepStrictEqual(messagesOf(cloud, "warning"), []);
    });

    it("an image the registry does not hold, or refuses to serve, is left to Cloud Run with a warning naming it and why", async () => {
        // The repository holds another image; this digest is not there: MANIFEST_UNKNOWN.
        const missing = `${REPOSITORY}@sha256:${"e".repeat(64)}`;
        const held = await deploy(missing, imageArtifact(linux("amd64")));
        assert.strictEqual(held.cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image, missing);
        assert.deepStrictEqual(messagesOf(held.cloud, "warning"), [
            `prebuilt image ${missing}: its registry does not hold it (MANIFEST_UNKNOWN), so whether it is built for linux/amd64 is left to Cloud Run`,
        ]);
        // A repository the deployer may not read (or that is not there): Artifact Registry refuses the pull token.
        const denied = `europe-west1-docker.pkg.dev/ci-images-project/private/service@sha256:${"e".repeat(64)}`;
        const refused = await deploy(denied);
        assert.strictEqual(refused.cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image, denied);
        const warnings = messagesOf(refused.cloud, "warning");
        assert.strictEqual(warnings.length, 1, warnings.join("\n"));
        assert.match(
            warnings[0],
            new RegExp(
                `^prebuilt image ${regExpText(denied)}: it could not be read from its registry \\(europe-west1-docker\\.pkg\\.dev refused a pull token for ci-images-project/private/service: HTTP 403 DENIED: ` +
                    `Permission "artifactregistry\\.repositories\\.downloadArtifacts" denied .*\\), so whether it is built for linux/amd64 is left to Cloud Run$`,
            ),
        );
    });

    // Before, an offline run sent these to the real gcr.io and Docker Hub (only ECR and Artifact Registry's hosts went to
    // the stand-ins): the specs read the network wherever they had one.
    it("a Docker Hub or gcr.io image offline is read from the stand-ins, in those registries' words, never from the network", async () => {
        for (const [prebuilt, why] of [
            [`docker.io/library/service@sha256:${"d".repeat(64)}`, /^prebuilt image docker\.io\/library\/service@sha256:d{64}: it could not be read from its registry \(registry-1\.docker\.io\/library\/service:sha256:d{64}: HTTP 401 UNAUTHORIZED: authentication required\)/],
            [`eu.gcr.io/ci-images/service@sha256:${"d".repeat(64)}`, /^prebuilt image eu\.gcr\.io\/ci-images\/service@sha256:d{64}: it could not be read from its registry \(eu\.gcr\.io refused a pull token for ci-images\/service: HTTP 403 DENIED: Permission "artifactregistry\.repositories\.downloadArtifacts" denied on resource "projects\/ci-images\/locations\/europe\/repositories\/eu\.gcr\.io"/],
        ] as const) {
            const { cloud } = await deploy(prebuilt);
            assert.ok(cloud.ociRegistry.requests.length > 0, `${prebuilt}: the stand-in was not asked`);
            const warnings = messagesOf(cloud, "warning");
            assert.strictEqual(warnings.length, 1, warnings.join("\n"));
            assert.match(warnings[0], why);
        }
    });
});

// Before, a tag instead of a digest passed the components' own argument checks and was refused later, by the image:
// on GCP after the project's APIs had started registering, which then waited for a check that never came.
describe("a prebuilt image not pinned by digest (the package path, without stack settings)", () => {
    const components = {
        CloudRunGcsService: (prebuilt: string) => new CloudRunGcsService("service", serviceArgs("dev", { image: { prebuilt } })),
        LambdaEcrPipeline: (prebuilt: string) => new LambdaEcrPipeline("pipeline", pipelineArgs("dev", { image: { prebuilt } })),
    };
    for (const [component, construct] of Object.entries(components)) {
        it(`${component}: refused as a bad arg before anything is registered`, async () => {
            let cloud: MockCloud | undefined;
            const run = runUnderMocks({ stack: "dev", setup: (c) => (cloud = c) }, () => construct(`${REPOSITORY}:latest`));
            await assert.rejects(run, (err: Error) => {
                assert.match(err.message, new RegExp(`^${component} "\\w+" has bad args: image\\.prebuilt must be pinned by digest: <repository>@sha256:<64 hex digits> \\(got "${regExpText(REPOSITORY)}:latest"\\)$`));
                return true;
            });
            assert.deepStrictEqual(cloud?.resources.map((r) => r.type), []);
        });
    }
});

