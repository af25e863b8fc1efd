import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runCommand } from "../../scripts/image/commands";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { withCapturedConsole } from "../harness/capturedConsole";
import { apiAlreadyOn } from "../harness/enabledApis";
import { scratchDir } from "../harness/tempDirs";

/** `npm run image -- <argv>` as main.ts runs it, in this process: what it prints and the exit code it answers. */
async function image(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { result: code, stdout, stderr } = await withCapturedConsole(() => runCommand(argv));
    return { code, stdout, stderr };
}

/**
 * The tool's commands against the clouds' stand-ins, registries empty: ECR answers RepositoryNotFoundException and
 * dev's Artifact Registry NOT_FOUND (scripts/offline/fakeAwsApis.ts, fakeArtifactRegistryApi.ts).
 */
describe("npm run image -- <stack> and promote: what the tool prints", function () {
    this.timeout(30_000);
    let restore: () => void;
    beforeEach(async () => {
        const cloud = new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, "multicloud-service-dev");
        cloud.registry.mode = "none";
        apiAlreadyOn("artifactregistry.googleapis.com")(cloud);
        cloud.artifactRegistry.enabledApis.add("multicloud-service-prod/artifactregistry.googleapis.com");
        restore = await useCloudApisInProcess(cloud);
    });
    afterEach(() => restore());
    const withGoogleToken = <T>(run: () => Promise<T>) => withProcessEnvironment({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.offline" }, run);

    // prod's images come from the promotion; no workflow asks this of prod, an engineer may. Before (a mutant of it):
    // prod's empty registries were asked and both tags called missing, as if a build were due.
    it("prod --missing and --present name no image and ask no registry: prod is never built, and the note says where its images come from", async () => {
        const note = "note: prod runs images promoted from dev (image.promoteFrom): nothing is built for it, so these lines name no image";
        assert.deepStrictEqual(await withGoogleToken(() => image("prod", "--missing")), { code: 0, stdout: "aws_missing=false\naws_image=\ngcp_missing=false\ngcp_image=", stderr: note });
        assert.deepStrictEqual(await withGoogleToken(() => image("prod", "--present")), { code: 0, stdout: "aws_ref=\ngcp_ref=", stderr: note });
        // dev, built by image.yml, is asked: both tags are missing from its empty registries, and no note.
        const dev = await withGoogleToken(() => image("dev", "--missing"));
        assert.match(dev.stdout, /^aws_missing=true\naws_image=\d{12}\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/multicloud-service-dev:c-[0-9a-f]{24}\ngcp_missing=true\n/);
        assert.strictEqual(dev.stderr, "");
    });

    // A refused promotion is the tool's verdict, printed as it is: deploy-prod's log shows that line alone. Before (a
    // mutant of it): it was printed as an unexpected error, with the `image: ` prefix.
    it("a refused promotion prints the PromotionError's message alone and answers 1", async () => {
        const running = path.join(scratchDir("dev-outputs"), "dev-outputs.json");
        fs.writeFileSync(running, JSON.stringify({ aws: { imageDigest: `sha256:${"a".repeat(64)}` }, gcp: { imageDigest: `sha256:${"b".repeat(64)}` } }));
        const { code, stdout, stderr } = await withGoogleToken(() => image("promote", "dev", "prod", "--running", running));
        assert.deepStrictEqual({ code, stdout }, { code: 1, stdout: "" });
        assert.match(stderr, /^\d{12}\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/multicloud-service-dev:c-[0-9a-f]{24} is not there: dev has not run this checkout's image \(image\.yml builds it on the push to main, then dev deploys it\)$/);
    });
});
