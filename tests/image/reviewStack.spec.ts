import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { imageTargets } from "../../scripts/image/targets";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";

/**
 * A review stack as Pulumi Deployments creates one per pull request, from Pulumi.review.yaml (the template's file is
 * copied into every review stack: Pulumi's "Review Stacks" docs). image.yml builds only main's images, into dev's
 * registries: that is all a registry holds here, as on the first pull request.
 */
const REVIEW_STACK = "pr-pulumi-my-github-org-multicloud-service-42";

/** The review template's settings, with `image` changed (merged into the file's own image settings). */
function reviewConfig(image: Record<string, unknown>) {
    const file = readStackFile("review");
    const own = JSON.parse(file.config["multicloud-service:image"] ?? "{}");
    return { config: { ...file.config, "multicloud-service:image": JSON.stringify({ ...own, ...image }) }, secretKeys: file.secretKeys };
}

/** What image.yml has pushed after main's last build: dev's ECR repository and Artifact Registry package, nothing else. */
function mainBuilt(cloud: MockCloud) {
    const dev = imageTargets("dev");
    cloud.registry.mode = "none";
    cloud.awsApis.repositories.add(dev.aws!.repositoryName);
    return { aws: cloud.registry.push(dev.aws!.repositoryName, dev.aws!.tag), gcp: cloud.registry.push(dev.gcp!.repository, dev.gcp!.tag), dev };
}

describe("a review stack's first `pulumi up` (one per pull request, from the review template)", function () {
    this.timeout(120_000);

    it("runs the images image.yml built for main, from dev's registries, and creates no registry of its own", async () => {
        let pushed: ReturnType<typeof mainBuilt> | undefined;
        // No wait: a review stack whose registry is its own would find nothing and fail at once instead of after 20 min.
        const run = await runProgram(REVIEW_STACK, { ...reviewConfig({ waitMinutes: 0 }), setup: (cloud) => (pushed = mainBuilt(cloud)) });
        const { aws, gcp, dev } = pushed!;
        assert.strictEqual(run.outputs["aws.imageDigest"], aws);
        assert.strictEqual(run.outputs["gcp.imageDigest"], gcp);
        for (const fn of run.cloud.ofType("aws:lambda/function:Function")) assert.strictEqual(fn.inputs.imageUri, `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/${dev.aws!.repositoryName}@${aws}`, fn.name);
        const [service] = run.cloud.ofType("gcp:cloudrunv2/service:Service");
        assert.strictEqual(service.inputs.template.containers[0].image, `${dev.gcp!.repository}@${gcp}`);
        for (const type of ["aws:ecr/repository:Repository", "aws:ecr/lifecyclePolicy:LifecyclePolicy", "gcp:artifactregistry/repository:Repository"]) {
            assert.deepStrictEqual(run.cloud.ofType(type).map((r) => r.name), [], `${type}: dev's registries and their cleanup rules stay dev's`);
        }
        assert.strictEqual(run.outputs["aws.repositoryUrl"], `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/${dev.aws!.repositoryName}`);
    });

    it("a pull request whose app/ main has not built: refused at once, naming dev's registry and when it will have one", async () => {
        await assert.rejects(
            runProgram(REVIEW_STACK, {
                ...reviewConfig({ waitMinutes: 0 }),
                setup: (cloud) => ((cloud.registry.mode = "none"), cloud.awsApis.repositories.add(imageTargets("dev").aws!.repositoryName)),
            }),
            /image tag c-[0-9a-f]+ is not in ECR repository multicloud-service-dev.*which this stack runs its images from: a change to app\/ has one once it is merged.*after a rebase on main/s,
        );
    });

    it("image.registriesOf is refused beside image.promoteFrom and in a production stack, before anything is registered", async () => {
        await assert.rejects(runProgram(REVIEW_STACK, reviewConfig({ promoteFrom: "dev" })), /multicloud-service:image\.registriesOf: cannot be set with image\.promoteFrom/);
        const prod = readStackFile("prod");
        const image = { ...JSON.parse(prod.config["multicloud-service:image"]), promoteFrom: undefined, registriesOf: "dev" };
        await assert.rejects(
            runProgram("prod", { config: { ...prod.config, "multicloud-service:image": JSON.stringify(image) }, secretKeys: prod.secretKeys }),
            /multicloud-service:image\.registriesOf: must be unset in a production stack/,
        );
    });

    it("the review template and dev agree on everything a shared image depends on: account region, project, region, architecture, tag", () => {
        // Each cloud's target: the registry (by region and project), the platform (aws.architecture) and the content
        // tag; a difference would make review stacks wait for an image main never builds.
        const [review, dev] = [imageTargets("review"), imageTargets("dev")];
        assert.ok(dev.aws && dev.gcp);
        assert.deepStrictEqual({ aws: review.aws, gcp: review.gcp }, { aws: dev.aws, gcp: dev.gcp });
    });
});
