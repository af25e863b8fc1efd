import * as assert from "assert";
import { REGISTRY_RETRY } from "../../components/image/ociRegistry";
import { ECR_SERVER_ERROR } from "../../scripts/offline/fakeIds";
import { errors } from "../../scripts/offline/fakeOciRegistryApi";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { artifactDigest, imageArtifact, imageIndex } from "../../scripts/offline/fakeRegistry";
import { messagesOf } from "../../scripts/offline/programMessages";
import { runProgram } from "../../scripts/offline/runProgram";
import { regExpText } from "../harness/regExpText";
import { registeredTypes } from "../harness/registeredTypes";
import { sharedPerArgs } from "../harness/shared";
import { withAwsSettings, withSettings } from "../harness/stackConfig";

/** dev's stack file with a prebuilt Lambda image set. */
const devWithImage = (image: string) => withAwsSettings("dev", { image });

/** dev on x86_64 with a prebuilt aws.image of `architecture` (linux), pushed to ECR's built-in-ci. */
const pushedForX86 = (architecture: string) => {
    const artifact = imageArtifact({ os: "linux", architecture });
    const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@${artifactDigest(artifact)}`;
    return { config: withAwsSettings("dev", { image, architecture: "x86_64" }), setup: (c: MockCloud) => void c.registry.pushArtifact("built-in-ci", "ci-7", artifact) };
};

/** That run with a linux/amd64 image, once for the tests that read it (it registers the functions; one counts its reads). */
const amd64OnX86 = sharedPerArgs(() => runProgram("dev", pushedForX86("amd64")));

/**
 * dev with a prebuilt image that cannot be read, once per cloud and kind of run for the tests that read it: gcp.image in
 * a repository Artifact Registry refuses the deployer a pull token for, or aws.image with ECR refusing (denyEcr).
 */
const unreadableImage = sharedPerArgs((cloud: "gcp" | "aws", preview: boolean) =>
    cloud === "gcp"
        ? runProgram("dev", { config: withSettings("dev", "gcp", { image: `europe-west1-docker.pkg.dev/ci-images-project/private/service@sha256:${"e".repeat(64)}` }), preview })
        : runProgram("dev", { config: devWithImage(`123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`), preview, setup: (c) => void (c.awsApis.denyEcr = true) }),
);

describe("a prebuilt Lambda image must be in the stack's own AWS account (checked before anything is created)", function () {
    this.timeout(60_000);
    const digest = "a".repeat(64);

    it("an image in another account fails, naming the key and both accounts", async () => {
        await assert.rejects(
            runProgram("dev", { config: devWithImage(`111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${digest}`) }),
            /multicloud-service:aws\.image: must be in this stack's AWS account 123456789012 \(got an image in account 111111111111\)/,
        );
    });

    it("an image in the stack's account is run as it is, with no lookup or build", async () => {
        const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${digest}`;
        const run = await runProgram("dev", { config: devWithImage(image) });
        const functions = run.cloud.ofType("aws:lambda/function:Function");
        assert.strictEqual(functions.length, 2, "the api and worker functions");
        for (const fn of functions) assert.strictEqual(fn.inputs.imageUri, image);
        // ECR is asked about this digest only (DescribeImages by digest: is it one manifest Lambda runs), never for a
        // content tag. Before, this looked for an aws:ecr/getImage invoke, which nothing has made since the lookups went
        // through the AWS SDK, so a tag lookup passed unseen.
        const tagLookups = run.cloud.awsApis.requests.filter((r) => r.action === "DescribeImages" && r.body.imageIds.some((id: object) => "imageTag" in id));
        assert.deepStrictEqual(tagLookups, [], "no lookup of a content tag");
        const digestLookups = run.cloud.awsApis.requests.filter((r) => r.action === "DescribeImages").map((r) => r.body.imageIds);
        assert.ok(digestLookups.length > 0, "ECR is asked about the image");
        for (const ids of digestLookups) assert.deepStrictEqual(ids, [{ imageDigest: `sha256:${digest}` }]);
        // The account the check asked of the provider is the component's too (it asked again before).
        assert.strictEqual(run.cloud.calls.filter((c) => c.token === "aws:index/getCallerIdentity:getCallerIdentity").length, 1);
    });
});

// Before, each component refused the image itself: the other cloud's resources, and on GCP the project's APIs, had
// started registering, and the refusal came among the errors of everything that waited for it ("error serializing
// property ..." before it, an unhandled exception with its stack).
describe("a prebuilt image its platform cannot run is a settings error, before anything of either cloud is registered", function () {
    this.timeout(60_000);

    it("gcp.image built for linux/arm64", async () => {
        const repository = "europe-west1-docker.pkg.dev/ci-images-project/releases/service";
        const arm64 = imageArtifact({ os: "linux", architecture: "arm64" });
        const image = `${repository}@${artifactDigest(arm64)}`;
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), c.registry.pushArtifact(repository, "ci-7", arm64));
        await assert.rejects(runProgram("dev", { config: withSettings("dev", "gcp", { image }), setup }), (err: Error) => {
            assert.match(err.message, /^Stack "dev" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:gcp\.image: prebuilt image \S+ is built for linux\/arm64, and Cloud Run runs linux\/amd64 only/);
            assert.doesNotMatch(err.message, /error serializing/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("aws.image that ECR describes as an index", async () => {
        const index = imageIndex([{ os: "linux", architecture: "arm64" }, { os: "linux", architecture: "amd64" }]);
        const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/built-in-ci@${artifactDigest(index)}`;
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), void c.registry.pushArtifact("built-in-ci", "ci-7", index));
        await assert.rejects(
            runProgram("dev", { config: devWithImage(image), setup }),
            /Stack "dev" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:aws\.image: prebuilt image \S+ is an image index \(application\/vnd\.oci\.image\.index\.v1\+json\), which Lambda does not run/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("aws.image is judged against aws.architecture: on x86_64 a linux/amd64 image runs, a linux/arm64 one is refused", async () => {
        const run = await amd64OnX86();
        assert.strictEqual(run.cloud.ofType("aws:lambda/function:Function").length, 2);
        await assert.rejects(
            runProgram("dev", pushedForX86("arm64")),
            /multicloud-service:aws\.image: prebuilt image \S+ is built for linux\/arm64, and the functions run on linux\/amd64 \(architecture x86_64\)/,
        );
    });

    it("a failure other than a refusal (ECR answering another error) stops the run as it is, not as a setting", async () => {
        const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`;
        // ECR's server-side failure of DescribeImages (fakeAwsApis.ts, failDescribeImages).
        const setup = (c: MockCloud) => void (c.awsApis.failDescribeImages = true);
        await assert.rejects(runProgram("dev", { config: devWithImage(image), setup }), (err: Error) => {
            assert.doesNotMatch(err.message, /invalid setting/);
            assert.match(err.message, new RegExp(regExpText(ECR_SERVER_ERROR)));
            return true;
        });
    });

    // The program's check gives none: the components check again, and each warns once where it cannot read.
    for (const preview of [false, true]) {
        it(`an image that cannot be read is one warning in a whole ${preview ? "preview" : "up"}, on either cloud`, async () => {
            const gcp = await unreadableImage("gcp", preview);
            const aws = await unreadableImage("aws", preview);
            for (const run of [gcp, aws]) {
                const warnings = messagesOf(run.cloud, "warning").filter((m) => m.startsWith("prebuilt image"));
                assert.strictEqual(warnings.length, 1, warnings.join("\n"));
            }
        });
    }
});

// Before: the program's check and the component's each read the image (ECR's DescribeImages, the manifest, the config).
describe("a prebuilt image's registry is read once a run, for the program's check and the component's", function () {
    this.timeout(60_000);

    it("gcp.image: its config once", async () => {
        const repository = "europe-west1-docker.pkg.dev/ci-images-project/releases/service";
        const amd64 = imageArtifact({ os: "linux", architecture: "amd64" });
        const setup = (c: MockCloud) => void c.registry.pushArtifact(repository, "ci-7", amd64);
        const { cloud } = await runProgram("dev", { config: withSettings("dev", "gcp", { image: `${repository}@${artifactDigest(amd64)}` }), setup });
        // How often Artifact Registry served the image's config, the blob that says its platform (the stand-in's log of its answers).
        const configDigest = [...amd64.blobs.keys()][0];
        assert.strictEqual(cloud.ociRegistry.requests.filter((r) => r.status === 200 && r.url.endsWith(`/blobs/${configDigest}`)).length, 1);
    });

    it("aws.image: DescribeImages and its config once", async () => {
        // The run of "aws.image is judged against aws.architecture" above, shared.
        const amd64 = imageArtifact({ os: "linux", architecture: "amd64" });
        const { cloud } = await amd64OnX86();
        assert.strictEqual(cloud.awsApis.requests.filter((r) => r.action === "DescribeImages").length, 1);
        // ECR serves a blob at the presigned S3 address it redirects to.
        const configDigest = [...amd64.blobs.keys()][0];
        assert.strictEqual(cloud.ociRegistry.layerRequests.filter((r) => r.digest === configDigest).length, 1);
    });

    // A refusal is the answer for the whole run, as a value is (components/lastingRefusal.ts). Before, a failed read was
    // not kept, so the component asked again what the program's check had been refused: two DescribeImages with denyEcr,
    // and on GCP the manifest and the pull token twice each.
    for (const preview of [false, true]) {
        it(`aws.image ECR refuses (AccessDeniedException): DescribeImages once in a whole ${preview ? "preview" : "up"}`, async () => {
            // The run of "an image that cannot be read is one warning" above, shared.
            const { cloud } = await unreadableImage("aws", preview);
            assert.deepStrictEqual(
                cloud.awsApis.requests.filter((r) => r.service === "ecr").map((r) => r.action),
                ["DescribeImages"],
            );
            assert.strictEqual(messagesOf(cloud, "warning").filter((m) => m.startsWith("prebuilt image")).length, 1);
        });

        it(`gcp.image its registry refuses (403 DENIED): the manifest and the pull token once each in a whole ${preview ? "preview" : "up"}`, async () => {
            // The run of "an image that cannot be read is one warning" above, shared.
            const digest = `sha256:${"e".repeat(64)}`;
            const { cloud } = await unreadableImage("gcp", preview);
            const asked = cloud.ociRegistry.requests.filter((r) => r.url.includes("ci-images-project"));
            assert.deepStrictEqual(
                asked.map((r) => `${r.status} ${new URL(r.url).pathname}`),
                [`401 /v2/ci-images-project/private/service/manifests/${digest}`, "403 /v2/token"],
            );
            assert.strictEqual(messagesOf(cloud, "warning").filter((m) => m.startsWith("prebuilt image")).length, 1);
        });
    }
});

describe("a prebuilt image's registry busy once is waited out on the run's clock", function () {
    this.timeout(60_000);

    it("gcp.image: Artifact Registry's 429 TOOMANYREQUESTS to the manifest read, once: one backoff in the run's waits, and the image is read", async () => {
        const repository = "europe-west1-docker.pkg.dev/ci-images-project/releases/service";
        const amd64 = imageArtifact({ os: "linux", architecture: "amd64" });
        let tokenManifestReads = 0;
        const setup = (c: MockCloud) => {
            c.registry.pushArtifact(repository, "ci-7", amd64);
            const answer = c.ociRegistry.answer.bind(c.ociRegistry);
            // The distribution spec's "not now", in its words (distribution/distribution registry/api/errcode register.go:
            // TOOMANYREQUESTS "too many requests", 429), to the first manifest read that carries the pull token.
            c.ociRegistry.answer = (url, authorization, ...rest) =>
                authorization && url.pathname.includes("/manifests/") && tokenManifestReads++ === 0 ? errors(429, "TOOMANYREQUESTS", "too many requests") : answer(url, authorization, ...rest);
        };
        const { cloud } = await runProgram("dev", { config: withSettings("dev", "gcp", { image: `${repository}@${artifactDigest(amd64)}` }), setup });
        assert.ok(tokenManifestReads >= 2, "the manifest was asked again after the busy answer");
        assert.strictEqual(cloud.ofType("gcp:cloudrunv2/service:Service").length, 1, "the service is registered with the image");
        // ociRegistry.ts registryFetch sleeps on the wait clock: 1 s and up to as much again, no Retry-After. Before, on
        // a real timer, unseen here, and the run was that much later.
        const backoffs = cloud.waits.filter((ms) => ms >= REGISTRY_RETRY.firstDelayMs && ms < 2 * REGISTRY_RETRY.firstDelayMs);
        assert.strictEqual(backoffs.length, 1, `the run's waits: ${cloud.waits}`);
    });
});
