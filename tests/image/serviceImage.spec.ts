import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ImageLookup, ServiceImage, contentTag } from "../../components/image";
import { BUILD_POLICY_VARIABLE } from "../../components/image/imageResolution";
import { ServiceImageArgs } from "../../components/image/types";
import { runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT } from "../../scripts/offline/stackFile";
import { fakeDockerEngine, withEnv } from "../harness/fakeDockerEngine";

const REPO = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc";
const registry = { server: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com", username: "AWS", password: "pw" };
const APP = path.join(PROJECT_ROOT, "app");
const digestOf = (tag: string) => `sha256:${Buffer.from(tag).toString("hex").padEnd(64, "0").slice(0, 64)}`;

/** A registry that holds the tags given, answers after `pushAfter` lookups for any tag, and counts lookups. */
function fakeLookup(options: { has?: string[]; pushAfter?: number } = {}): ImageLookup & { asked: string[] } {
    const asked: string[] = [];
    return {
        asked,
        description: "ECR repository svc (ap-northeast-1)",
        findDigest: async (tag) => {
            asked.push(tag);
            const pushed = options.has?.includes(tag) || (options.pushAfter !== undefined && asked.length > options.pushAfter);
            return pushed ? digestOf(tag) : undefined;
        },
    };
}

class FakeRepository extends pulumi.CustomResource {
    constructor(name: string) {
        super("aws:ecr/repository:Repository", name, {});
    }
}

async function resolveImage(source: ServiceImageArgs["source"], lookup: ImageLookup, options: { preview?: boolean; waitMinutes?: number } = {}) {
    const { cloud, result } = await runUnderMocks({ stack: "dev", preview: options.preview }, () => {
        const repository = new FakeRepository("svc");
        return new ServiceImage("image", { source, repositoryUrl: REPO, registry, lookup, repository, waitMinutes: options.waitMinutes ?? 0 });
    });
    const known = await (result.ref as any).isKnown;
    return { cloud, tag: result.tag, ref: known ? await valueOf(result.ref) : undefined, digest: known ? await valueOf(result.digest) : undefined };
}

const noDaemon = { DOCKER_HOST: "unix:///nonexistent/docker.sock", [BUILD_POLICY_VARIABLE]: undefined };
const build = { build: { context: APP, platform: "linux/arm64" as const } };

describe("ServiceImage: where the image comes from", function () {
    this.timeout(30_000);

    it("takes an image already in the registry under its content tag, by digest, and never builds or pushes it", async () => {
        const tag = contentTag(build.build);
        const lookup = fakeLookup({ has: [tag] });
        const engine = await fakeDockerEngine();
        try {
            // Even with a Docker engine at hand: a tag that is there is never pushed again (ECR tags are immutable).
            const run = await withEnv({ DOCKER_HOST: engine.host }, () => resolveImage(build, lookup));
            assert.deepStrictEqual(lookup.asked, [tag]);
            assert.deepStrictEqual(run.cloud.ofType("docker:index/image:Image"), []);
            assert.strictEqual(run.ref, `${REPO}@${digestOf(tag)}`);
            assert.strictEqual(run.digest, digestOf(tag));
        } finally {
            await engine.close();
        }
    });

    it("builds and pushes a missing tag where a Docker engine answers, with paths relative to the project", async () => {
        const engine = await fakeDockerEngine();
        try {
            const run = await withEnv({ DOCKER_HOST: engine.host }, () => resolveImage(build, fakeLookup()));
            const image = run.cloud.one("docker:index/image:Image");
            assert.strictEqual(image.inputs.imageName, `${REPO}:${run.tag}`);
            assert.strictEqual(image.inputs.build.platform, "linux/arm64");
            // The same inputs from every checkout: an absolute path would rebuild (and re-push) from another folder.
            assert.strictEqual(image.inputs.build.context, "app");
            assert.strictEqual(image.inputs.build.dockerfile, "app/Dockerfile");
            assert.deepStrictEqual(image.inputs.registry, registry);
            assert.match(run.ref!, new RegExp(`^${REPO.replace(/\./g, "\\.")}@sha256:[0-9a-f]{64}$`));
        } finally {
            await engine.close();
        }
    });

    it(`never builds with ${BUILD_POLICY_VARIABLE}=never, even where an engine answers`, async () => {
        const engine = await fakeDockerEngine();
        try {
            const lookup = fakeLookup({ pushAfter: 1 });
            const run = await withEnv({ DOCKER_HOST: engine.host, [BUILD_POLICY_VARIABLE]: "never" }, () => resolveImage(build, lookup));
            assert.deepStrictEqual(run.cloud.ofType("docker:index/image:Image"), []);
            assert.strictEqual(run.ref, `${REPO}@${digestOf(run.tag)}`);
        } finally {
            await engine.close();
        }
    });

    it("without a Docker engine (Pulumi Deployments), waits for the image workflow's push and then uses it", async () => {
        const lookup = fakeLookup({ pushAfter: 1 });
        const run = await withEnv(noDaemon, () => resolveImage(build, lookup, { waitMinutes: 0 }));
        assert.deepStrictEqual(run.cloud.ofType("docker:index/image:Image"), []);
        assert.strictEqual(lookup.asked.length, 2);
        assert.strictEqual(run.ref, `${REPO}@${digestOf(run.tag)}`);
    });

    it("without a Docker engine and with no push in time, fails naming the tag, the registry and the workflow", async () => {
        await assert.rejects(
            withEnv(noDaemon, () => resolveImage(build, fakeLookup(), { waitMinutes: 0 })),
            (err: Error) => {
                const tag = contentTag(build.build);
                assert.match(err.message, new RegExp(`image tag ${tag} is not in ECR repository svc \\(ap-northeast-1\\)`));
                assert.match(err.message, /no Docker engine answers here/);
                assert.match(err.message, /\.github\/workflows\/image\.yml/);
                return true;
            },
        );
    });

    it("in a preview without a Docker engine, shows the image as not known yet instead of waiting or failing", async () => {
        const run = await withEnv(noDaemon, () => resolveImage(build, fakeLookup(), { preview: true, waitMinutes: 20 }));
        assert.strictEqual(run.ref, undefined);
        assert.deepStrictEqual(run.cloud.ofType("docker:index/image:Image"), []);
    });

    it(`refuses an unknown ${BUILD_POLICY_VARIABLE}, naming the variable and the value`, async () => {
        await assert.rejects(withEnv({ [BUILD_POLICY_VARIABLE]: "sometimes" }, () => resolveImage(build, fakeLookup())), /MULTICLOUD_IMAGE_BUILD must be "auto" or "never" \(got "sometimes"\)/);
    });

    it("uses a prebuilt image as it is, looks nothing up and builds nothing", async () => {
        const prebuilt = `${REPO}@sha256:${"b".repeat(64)}`;
        const lookup = fakeLookup();
        const run = await resolveImage({ prebuilt }, lookup);
        assert.deepStrictEqual(run.cloud.ofType("docker:index/image:Image"), []);
        assert.deepStrictEqual(lookup.asked, []);
        assert.strictEqual(run.ref, prebuilt);
        assert.strictEqual(run.digest, `sha256:${"b".repeat(64)}`);
        assert.strictEqual(run.tag, "prebuilt");
    });

    for (const bad of [`${REPO}:latest`, `${REPO}@sha256:abc`, `${REPO}@sha256:${"B".repeat(64)}`, ""]) {
        it(`rejects the prebuilt ref ${JSON.stringify(bad)}, quoting it`, async () => {
            await assert.rejects(
                resolveImage({ prebuilt: bad }, fakeLookup()),
                new RegExp(`prebuilt image "${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" must be pinned by digest`),
            );
        });
    }
});
