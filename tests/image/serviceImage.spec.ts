import * as assert from "assert";
import { regExpText } from "../harness/regExpText";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ImageLookup, ServiceImage, contentTag, imagePusher } from "../../components/image";
import { ServiceImageArgs } from "../../components/image/types";
import { runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";
import { PROJECT_ROOT } from "../../config/stackFile";
import { fakeDockerEngine } from "../harness/fakeDockerEngine";
import { failedUpdate } from "../harness/failedUpdate";
import { withProcessEnvironment } from "../../scripts/offline/environment";

const REPO = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc";
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
    declare readonly repositoryUrl: pulumi.Output<string>;
    constructor(name: string) {
        super("aws:ecr/repository:Repository", name, { repositoryUrl: undefined });
    }
}

async function resolveImage(source: ServiceImageArgs["source"], lookup: ImageLookup, options: { preview?: boolean; freshAccount?: boolean; waitMinutes?: number } = {}) {
    const { cloud, result } = await runUnderMocks({ stack: "dev", preview: options.preview, setup: (c) => (c.freshAccount = options.freshAccount ?? false) }, () => {
        const repository = new FakeRepository("svc");
        return new ServiceImage("image", { source, repositoryUrl: REPO, lookup, ready: [repository.repositoryUrl], waitMinutes: options.waitMinutes ?? 0, pushedBy: imagePusher({}) });
    });
    const known = await (result.ref as any).isKnown;
    return { cloud, tag: result.tag, ref: known ? await valueOf(result.ref) : undefined, digest: known ? await valueOf(result.digest) : undefined };
}

const build = { build: { context: APP, platform: "linux/arm64" as const } };

describe("ServiceImage: what runs, by digest; pulumi up never builds", function () {
    this.timeout(30_000);

    it("runs the image the registry holds under the content tag, by digest, with or without a Docker engine", async () => {
        const tag = contentTag(build.build);
        const engine = await fakeDockerEngine();
        try {
            const withDocker = await withProcessEnvironment({ DOCKER_HOST: engine.host }, () => resolveImage(build, fakeLookup({ has: [tag] })));
            const without = await withProcessEnvironment({ DOCKER_HOST: "unix:///nonexistent/docker.sock" }, () => resolveImage(build, fakeLookup({ has: [tag] })));
            for (const run of [withDocker, without]) {
                assert.strictEqual(run.ref, `${REPO}@${digestOf(tag)}`);
                assert.strictEqual(run.digest, digestOf(tag));
                assert.deepStrictEqual(run.cloud.resources.map((r) => r.type).sort(), ["aws:ecr/repository:Repository", "multicloud:image:ServiceImage"]);
            }
        } finally {
            await engine.close();
        }
    });

    it("a missing tag, even where a Docker engine answers: waits for the push and then runs it; nothing is built", async () => {
        const engine = await fakeDockerEngine();
        try {
            const lookup = fakeLookup({ pushAfter: 1 });
            const run = await withProcessEnvironment({ DOCKER_HOST: engine.host }, () => resolveImage(build, lookup, { waitMinutes: 1 }));
            assert.strictEqual(lookup.asked.length, 2);
            assert.strictEqual(run.ref, `${REPO}@${digestOf(run.tag)}`);
            assert.ok(!run.cloud.resources.some((r) => r.type.startsWith("docker:")), "no Docker provider resource");
        } finally {
            await engine.close();
        }
    });

    // The wait is on the program's wait clock (components/waitClock.ts), which a run under mocks makes virtual: every
    // poll's sleep is noted and spent at once. Before, it slept on the machine's clock, 15 s a poll here, and a wait of
    // seconds for image.waitMinutes (a unit off by 60) passed every spec.
    it("a missing tag is polled every 15 s for image.waitMinutes, then the update fails", async () => {
        const { cloud } = await failedUpdate(runUnderMocks({ stack: "dev" }, () => {
            const repository = new FakeRepository("svc");
            return new ServiceImage("image", { source: build, repositoryUrl: REPO, lookup: fakeLookup(), ready: [repository.repositoryUrl], waitMinutes: 1, pushedBy: imagePusher({}) });
        }), /is not in ECR repository svc \(ap-northeast-1\) after waiting 1 min/);
        assert.deepStrictEqual(cloud.waits, [15_000, 15_000, 15_000, 15_000]);
    });

    it("no push in time: fails naming the tag, the registry and who pushes it", async () => {
        await assert.rejects(resolveImage(build, fakeLookup(), { waitMinutes: 0 }), (err: Error) => {
            const tag = contentTag(build.build);
            assert.match(err.message, new RegExp(`image tag ${tag} is not in ECR repository svc \\(ap-northeast-1\\)`));
            assert.match(err.message, /`pulumi up` never builds images: push it with \.github\/workflows\/image\.yml/);
            return true;
        });
    });

    it("in a preview with the tag missing: the digest is not known yet; nothing waits or fails", async () => {
        const run = await resolveImage(build, fakeLookup(), { preview: true, waitMinutes: 20 });
        assert.strictEqual(run.ref, undefined);
    });

    it("in a preview of a new stack (the repository does not exist yet): the registry is not even asked", async () => {
        const lookup = fakeLookup();
        const run = await resolveImage(build, lookup, { preview: true, freshAccount: true });
        assert.strictEqual(run.ref, undefined);
        assert.deepStrictEqual(lookup.asked, []);
    });

    it("uses a prebuilt image as it is and looks nothing up", async () => {
        const prebuilt = `${REPO}@sha256:${"b".repeat(64)}`;
        const lookup = fakeLookup();
        const run = await resolveImage({ prebuilt }, lookup);
        assert.deepStrictEqual(lookup.asked, []);
        assert.strictEqual(run.ref, prebuilt);
        assert.strictEqual(run.digest, `sha256:${"b".repeat(64)}`);
        assert.strictEqual(run.tag, "prebuilt");
    });

    for (const bad of [`${REPO}:latest`, `${REPO}@sha256:abc`, `${REPO}@sha256:${"B".repeat(64)}`, ""]) {
        it(`rejects the prebuilt ref ${JSON.stringify(bad)}, quoting it`, async () => {
            await assert.rejects(
                resolveImage({ prebuilt: bad }, fakeLookup()),
                new RegExp(`prebuilt image "${regExpText(bad)}" must be pinned by digest`),
            );
        });
    }
});
