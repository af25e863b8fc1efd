import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { imageTargets } from "../../scripts/image/targets";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { committedStackRun } from "../harness/committedStackRun";
import { failedUpdate } from "../harness/failedUpdate";

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

    it("each open review stack adds to dev's project and account what docs/delivery.md counts, so its stack limit holds", async () => {
        // Quotas that grow with the number of open review stacks (they share dev's GCP project and AWS account): IAM's
        // "By default, each project can have up to 100 service accounts" (Google Cloud, "Create service accounts") and
        // Cloud Monitoring's uptime checks per metrics scope (100, "Cloud Monitoring quotas and limits"). The delivery
        // guide's "How many can be open at once" derives its limit (the 100th open review stack beside dev) and its
        // per-stack figures from these counts: a change that adds such a resource to every stack must change it too.
        const review = await runProgram(REVIEW_STACK, { ...reviewConfig({ waitMinutes: 0 }), setup: (cloud) => void mainBuilt(cloud) });
        const dev = await committedStackRun("dev");
        const count = (run: typeof dev, type: string) => run.cloud.ofType(type).length;
        const SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account";
        const UPTIME_CHECK = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";
        const projectOf = (run: typeof dev) => run.cloud.ofType(SERVICE_ACCOUNT).map((a) => a.inputs.project);
        assert.deepStrictEqual(projectOf(review), projectOf(dev), "review stacks create their service account in dev's project");
        const quota = 100;
        for (const type of [SERVICE_ACCOUNT, UPTIME_CHECK]) {
            assert.strictEqual(count(review, type), 1, `${type}: one a review stack`);
            assert.strictEqual(count(dev, type), 1, `${type}: one in dev`);
        }
        const guide = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "delivery.md"), "utf8").replace(/\s+/g, " ");
        const paragraph = /How many can be open at once:(.*?)\*\*Drift\.\*\*/.exec(guide)?.[1] ?? "";
        const firstRefused = quota - count(dev, SERVICE_ACCOUNT) + 1; // dev holds one of each, every review stack one more
        assert.match(paragraph, /adds a service account and an uptime check to dev's project/);
        assert.match(paragraph, new RegExp(`allows ${quota} of each by default`));
        assert.match(paragraph, new RegExp(`the ${firstRefused}th open review stack beside dev fails`));
        const figures: [string, string][] = [
            ["aws:iam/role:Role", "roles"],
            ["aws:lambda/function:Function", "functions"],
            ["aws:sfn/stateMachine:StateMachine", "state machines"],
            ["aws:cloudwatch/metricAlarm:MetricAlarm", "alarms"],
            ["gcp:monitoring/alertPolicy:AlertPolicy", "alert policies"],
        ];
        for (const [type, words] of figures) {
            const n = count(review, type);
            assert.ok(paragraph.includes(`${n} ${words}`), `a review stack makes ${n} ${type}, and the guide's "How many can be open at once" should say "${n} ${words}"`);
        }
        for (const type of ["aws:scheduler/scheduleGroup:ScheduleGroup", "aws:cloudwatch/dashboard:Dashboard", "aws:s3/bucket:Bucket", "aws:kms/key:Key"]) {
            assert.strictEqual(count(review, type), 1, `${type}: the guide counts one a review stack`);
        }
        const policies = count(review, "gcp:monitoring/alertPolicy:AlertPolicy");
        assert.ok(paragraph.includes(`about ${policies * quota} in dev's project with ${quota} review stacks open`), `the guide's alert policies with ${quota} review stacks open: ${policies * quota}`);
    });

    it("the review template and dev agree on everything a shared image depends on: account region, project, region, architecture, tag", () => {
        // Each cloud's target: the registry (by region and project), the platform (aws.architecture) and the content
        // tag; a difference would make review stacks wait for an image main never builds.
        const [review, dev] = [imageTargets("review"), imageTargets("dev")];
        assert.ok(dev.aws && dev.gcp);
        assert.deepStrictEqual({ aws: review.aws, gcp: review.gcp }, { aws: dev.aws, gcp: dev.gcp });
    });
});

describe("a review stack's `pulumi destroy --run-program` (or `refresh --run-program`), once dev's registries are gone", function () {
    this.timeout(120_000);

    // The engine tells the program only whether it previews (pulumi/pulumi proto/pulumi/language.proto, RunRequest:
    // `dryRun`, no operation), and DestroyV2 runs it as an update's source with the operation's DryRun
    // (pkg/engine/destroy.go), deleting only once the program has finished (deployment_executor.go, Execute). So after
    // the destroy's preview the program waits for the image as an `up` does, then fails, and nothing is deleted.
    const devDestroyed = (cloud: MockCloud) => void (cloud.registry.mode = "none");

    it("its preview passes with the image not known", async () => {
        const run = await runProgram(REVIEW_STACK, { ...readStackFile("review"), preview: true, setup: devDestroyed });
        assert.strictEqual(run.outputs["aws.imageDigest"], undefined);
    });

    it("the destroy itself waits image.waitMinutes for the image, then fails saying to run it without --run-program", async () => {
        const { cloud } = await failedUpdate(
            runProgram(REVIEW_STACK, { ...readStackFile("review"), setup: devDestroyed }),
            /is not in ECR repository multicloud-service-dev .*after waiting 5 min.*`pulumi destroy` or `pulumi refresh` needs no image: run it without `--run-program`/s,
        );
        assert.ok(cloud.waits.includes(15_000), `it polled the registry every 15 s, as an \`up\` waits: ${cloud.waits.join(", ")}`);
    });
});
