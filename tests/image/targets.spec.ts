import * as assert from "assert";
import { githubOutputLines, imageTargets } from "../../scripts/image/targets";
import { buildxArguments } from "../../scripts/image/build";
import { repositoryTargets } from "../../scripts/image/registries";
import { LAMBDA_PLATFORMS } from "../../components/aws/ecrImages";
import { readStackFile } from "../../config/stackFile";
import { committedStackRun } from "../harness/committedStackRun";

/** The image workflow pushes exactly where, and under exactly the tag, `pulumi up` looks for the image. */
describe("image targets (what the image workflow pushes) match what the program looks up", function () {
    this.timeout(60_000);

    for (const stack of ["dev", "prod"] as const) {
        it(stack, async () => {
            const targets = imageTargets(stack);
            const run = await committedStackRun(stack);
            const { ecr, ar } = run.cloud.imageLookups();
            assert.deepStrictEqual([targets.aws?.repositoryName, targets.aws?.tag], [ecr?.repositoryName, ecr?.tag]);
            assert.strictEqual(targets.gcp?.repository, `${ar?.location}-docker.pkg.dev/${ar?.project}/${ar?.repositoryId}/${ar?.packageName}`);
            assert.strictEqual(targets.gcp?.tag, ar?.tag);
            assert.strictEqual(run.cloud.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image.split("@")[0], targets.gcp?.repository);
            const ecrUrl = run.cloud.one("aws:ecr/repository:Repository").outputs.repositoryUrl;
            assert.ok(ecrUrl.endsWith(`/${targets.aws?.repositoryName}`), `${ecrUrl} is not the repository the workflow pushes to`);
        });
    }

    // Pulumi.review.yaml's image.registriesOf: dev. A review stack creates no registry and runs dev's images, so its
    // targets (`npm run image -- build review`) are where review's program looks: dev's repositories.
    it("review (image.registriesOf: dev) pushes to, and looks in, dev's repositories", async () => {
        const targets = imageTargets("review");
        const { ecr, ar } = (await committedStackRun("review")).cloud.imageLookups();
        assert.deepStrictEqual([targets.aws?.repositoryName, targets.aws?.tag], [ecr?.repositoryName, ecr?.tag]);
        assert.strictEqual(targets.gcp?.repository, `${ar?.location}-docker.pkg.dev/${ar?.project}/${ar?.repositoryId}/${ar?.packageName}`);
        const dev = imageTargets("dev");
        assert.deepStrictEqual([targets.aws?.repositoryName, targets.gcp?.repository], [dev.aws?.repositoryName, dev.gcp?.repository]);
    });

    // Lambda runs only an image for the function's architecture (arm64 here), Cloud Run only linux/amd64: the local
    // build must build each cloud's tag for that cloud's platform, the one its content tag was hashed with.
    it("npm run image -- build builds each cloud's tag for that cloud's own platform (Lambda's architecture, Cloud Run's amd64)", () => {
        const dev = imageTargets("dev");
        const { architecture } = JSON.parse(readStackFile("dev").config["multicloud-service:aws"]) as { architecture: keyof typeof LAMBDA_PLATFORMS };
        const platformOf = (cloud: string) => {
            const args = buildxArguments("app", repositoryTargets(dev, "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com").find((t) => t.cloud === cloud)!);
            return args[args.indexOf("--platform") + 1];
        };
        assert.strictEqual(platformOf("aws"), LAMBDA_PLATFORMS[architecture]);
        assert.strictEqual(platformOf("gcp"), "linux/amd64");
    });

    it("prints one key=value line per field for $GITHUB_OUTPUT, empty where there is nothing to push", () => {
        const gcp = { project: "p", region: "asia-northeast1", repositoryId: "r", repository: "asia-northeast1-docker.pkg.dev/p/r/service", platform: "linux/amd64", tag: "c-1" };
        const lines = githubOutputLines({ stack: "x", gcp, signingKeyRegion: "ap-northeast-1" });
        assert.deepStrictEqual(lines, ["signing_key_region=ap-northeast-1", "aws_region=", "aws_repository_name=", "aws_platform=", "aws_tag=", `gcp_repository=${gcp.repository}`, "gcp_platform=linux/amd64", "gcp_tag=c-1"]);
    });

    // The promotion reads the signing key (an AWS KMS alias) in the region prod's `pulumi up` reads it: the stack's
    // aws:region. An alias exists per account and Region (KMS API reference, CreateAlias: "unique in the account and
    // Region"); the loopback KMS answers any region, so only this pins it.
    it("the promotion checks prod's images with the signing key of prod's own AWS region", () => {
        assert.strictEqual(imageTargets("prod").verify?.keyRegion, readStackFile("prod").config["aws:region"]);
    });

    it("builds nothing for a stack whose images are promoted (prod): every line is empty", () => {
        const prod = imageTargets("prod");
        assert.strictEqual(prod.promoteFrom, "dev");
        assert.ok(githubOutputLines(prod).every((line) => line.endsWith("=")), githubOutputLines(prod).join("\n"));
        assert.ok(githubOutputLines(imageTargets("dev")).every((line) => !line.endsWith("=")), "dev's image is built");
    });
});
