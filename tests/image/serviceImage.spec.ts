import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ServiceImage, contentTag } from "../../components/image";
import { ServiceImageArgs } from "../../components/image/types";
import { runUnderMocks, valueOf } from "../../scripts/offline/mockCloud";

const REPO = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/svc";
const registry = { server: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com", username: "AWS", password: "pw" };

function context(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "service-image-"));
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY main.js /\n");
    fs.writeFileSync(path.join(dir, "main.js"), "console.log(1)\n");
    return dir;
}

async function build(args: ServiceImageArgs) {
    const { cloud, result } = await runUnderMocks({ stack: "dev" }, () => new ServiceImage("image", args));
    return { cloud, ref: await valueOf(result.ref), digest: await valueOf(result.digest), tag: result.tag };
}

describe("ServiceImage", () => {
    it("builds and pushes under the content tag, for the platform asked, and is referenced by digest", async () => {
        const dir = context();
        const { cloud, ref, digest, tag } = await build({ source: { build: { context: dir, platform: "linux/arm64" } }, repositoryUrl: REPO, registry });
        const image = cloud.one("docker:index/image:Image");
        assert.strictEqual(tag, contentTag({ context: dir, platform: "linux/arm64" }));
        assert.strictEqual(image.inputs.imageName, `${REPO}:${tag}`);
        assert.strictEqual(image.inputs.build.platform, "linux/arm64");
        assert.strictEqual(image.inputs.build.context, dir);
        assert.strictEqual(image.inputs.build.dockerfile, path.join(dir, "Dockerfile"));
        assert.deepStrictEqual(image.inputs.registry, registry);
        assert.strictEqual(image.parentUrn, cloud.one("multicloud:image:ServiceImage").urn);
        assert.match(ref, new RegExp(`^${REPO.replace(/\./g, "\\.")}@sha256:[0-9a-f]{64}$`));
        assert.strictEqual(digest, ref.slice(ref.indexOf("@") + 1));
    });

    it("gives the same ref for the same source (no update) and a new one after a code change", async () => {
        const dir = context();
        const args: ServiceImageArgs = { source: { build: { context: dir, platform: "linux/amd64" } }, repositoryUrl: REPO, registry };
        const first = await build(args);
        const again = await build(args);
        fs.appendFileSync(path.join(dir, "main.js"), "console.log(2)\n");
        const changed = await build(args);
        assert.strictEqual(again.ref, first.ref);
        assert.notStrictEqual(changed.ref, first.ref);
    });

    it("uses a prebuilt image as it is and builds nothing", async () => {
        const prebuilt = `${REPO}@sha256:${"b".repeat(64)}`;
        const { cloud, ref, digest, tag } = await build({ source: { prebuilt }, repositoryUrl: REPO, registry });
        assert.deepStrictEqual(cloud.ofType("docker:index/image:Image"), []);
        assert.strictEqual(ref, prebuilt);
        assert.strictEqual(digest, `sha256:${"b".repeat(64)}`);
        assert.strictEqual(tag, "prebuilt");
    });

    for (const bad of [`${REPO}:latest`, `${REPO}@sha256:abc`, `${REPO}@sha256:${"B".repeat(64)}`, ""]) {
        it(`rejects the prebuilt ref ${JSON.stringify(bad)}, quoting it`, async () => {
            await assert.rejects(
                build({ source: { prebuilt: bad }, repositoryUrl: REPO, registry }),
                new RegExp(`prebuilt image "${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" must be pinned by digest`),
            );
        });
    }
});
