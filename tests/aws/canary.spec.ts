import * as assert from "assert";
import * as lambda from "@pulumi/aws/lambda";
import { LambdaEcrPipeline } from "../../components/aws";
import { AliasCanary, aliasRouting } from "../../components/aws/canary";
import type { LambdaEcrPipelineArgs } from "../../components/aws/args";
import { MockCloud, UnhandledProgramErrors, runUnderMocks } from "../../scripts/offline/mockCloud";
import { ecrExpiredBy as expiredBy, newerImages } from "../harness/registryCleanup";
import { deployPipeline, pipelineArgs } from "./fixtures";
import { FAKE_ACCOUNT_ID, fakeDigest } from "../../scripts/offline/fakeIds";
import { imageIndex, indexEntries } from "../../scripts/offline/fakeRegistry";
import { messagesOf } from "../../scripts/offline/programMessages";
import { isUnknownInput } from "../../scripts/offline/registeredInputs";
import { failedUpdate } from "../harness/failedUpdate";
import { sharedPerArgs } from "../harness/shared";

/** The live alias of the API: where a canary setting sends its traffic. The mock publishes version "1". */
async function apiAlias(canary?: { stableVersion?: string; weightPercent: number; candidateVersion?: string }) {
    const { cloud } = await deployPipeline("prod", { canary });
    const worker = cloud.one("aws:lambda/alias:Alias", "pipeline-worker").inputs;
    const api = cloud.one("aws:lambda/alias:Alias", "pipeline-api").inputs;
    return { version: api.functionVersion, weights: api.routingConfig?.additionalVersionWeights, worker };
}

describe("canary and rollback on the API's live alias", () => {
    it("no canary: everything to the version just published", async () => {
        const a = await apiAlias();
        assert.strictEqual(a.version, "1");
        assert.strictEqual(a.weights, undefined);
    });

    it("0 %: everything stays on the stable version (hold)", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 0 });
        assert.strictEqual(a.version, "7");
        assert.strictEqual(a.weights, undefined);
    });

    it("10 %: 10 % to the new version, 90 % to the stable one", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 10 });
        assert.strictEqual(a.version, "7");
        assert.deepStrictEqual(a.weights, { "1": 0.1 });
    });

    it("a recorded candidate that is the stable version (a release that did not change it) keeps every request there, with no routing block", async () => {
        // AdditionalVersionWeights name the alias's other version (Lambda's AliasRoutingConfiguration); a weight on its own
        // version would send the share nowhere new, and read back absent (components/aws/canary.ts, aliasRouting).
        const a = await apiAlias({ stableVersion: "7", weightPercent: 10, candidateVersion: "7" });
        assert.strictEqual(a.version, "7");
        assert.strictEqual(a.weights, undefined);
    });

    it("100 %: the new version takes all traffic (promotion)", async () => {
        const a = await apiAlias({ stableVersion: "7", weightPercent: 100 });
        assert.strictEqual(a.version, "1");
        assert.strictEqual(a.weights, undefined);
    });

    it("rollback: a canary at 10 % set back to 0 % returns all traffic to the stable version", async () => {
        const during = await apiAlias({ stableVersion: "7", weightPercent: 10 });
        const after = await apiAlias({ stableVersion: "7", weightPercent: 0 });
        assert.deepStrictEqual(during.weights, { "1": 0.1 });
        assert.strictEqual(after.version, "7");
        assert.strictEqual(after.weights, undefined);
    });

    it("a release's recorded candidate keeps the weight: the version this update publishes gets none (a rerun from a newer checkout)", async () => {
        const step = await apiAlias({ stableVersion: "7", weightPercent: 10, candidateVersion: "8" });
        assert.deepStrictEqual([step.version, step.weights], ["7", { "8": 0.1 }], "10 % to 8, none to the 1 just published");
        const promoted = await apiAlias({ stableVersion: "7", weightPercent: 100, candidateVersion: "8" });
        assert.deepStrictEqual([promoted.version, promoted.weights], ["8", undefined]);
        const held = await apiAlias({ stableVersion: "7", weightPercent: 0, candidateVersion: "8" });
        assert.deepStrictEqual([held.version, held.weights], ["7", undefined], "0 % is the stable version, whatever is recorded");
        const worker = (await workerBesideApi7({ stableVersion: "7", weightPercent: 50, candidateVersion: "8", workerStableVersion: "4", workerCandidateVersion: "5" })).cloud.one("aws:lambda/alias:Alias", "pipeline-worker").inputs;
        assert.deepStrictEqual([worker.functionVersion, worker.routingConfig?.additionalVersionWeights], ["4", { "5": 0.5 }], "the worker's own recorded candidate");
    });

    it("the worker follows the API's canary weight between its own stable version and the one just published", async () => {
        const { cloud: noStable } = await deployPipeline("prod", { canary: { stableVersion: "7", weightPercent: 10 } });
        assert.strictEqual(noStable.one("aws:lambda/alias:Alias", "pipeline-worker").inputs.functionVersion, "1", "no worker stable version recorded yet: its newest");
        const worker = async (weightPercent: number) => (await workerBesideApi7({ stableVersion: "7", weightPercent, workerStableVersion: "4" })).cloud.one("aws:lambda/alias:Alias", "pipeline-worker").inputs;
        const [held, step, promoted] = [await worker(0), await worker(10), await worker(100)];
        assert.deepStrictEqual([held.functionVersion, held.routingConfig], ["4", undefined], "0 % (and a rollback): the state machine runs the stable worker");
        assert.deepStrictEqual([step.functionVersion, step.routingConfig?.additionalVersionWeights], ["4", { "1": 0.1 }]);
        assert.deepStrictEqual([promoted.functionVersion, promoted.routingConfig], ["1", undefined]);
    });
});

describe("a preview of an update that publishes a new version shows where the live alias goes, when that does not depend on it", () => {
    // In a preview the number of the version an update publishes is unknown (publish = true: the provider publishes it
    // in the update), so an alias routed by it shows `output<string>`. A hold or rollback (0 %) and a release's
    // recorded candidate do not route by it (aliasRouting): a pull request's preview must show the versions they go to.
    const previewAlias = (canary: AliasCanary) =>
        runUnderMocks({ stack: "prod", preview: true, setup: (c) => (c.newInThisPreview = (type) => type === "aws:lambda/function:Function") }, () => {
            const fn = new lambda.Function("api", { name: "api", packageType: "Image", imageUri: `${FAKE_ACCOUNT_ID}.dkr.ecr.ap-northeast-1.amazonaws.com/app@${fakeDigest("api")}`, role: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/api`, publish: true });
            const routing = aliasRouting(fn.version, canary);
            new lambda.Alias("api", { name: "live", functionName: fn.name, functionVersion: routing.functionVersion, routingConfig: routing.routingConfig });
        }).then(({ cloud }) => cloud.one("aws:lambda/alias:Alias").inputs);

    it("0 % (a hold or a rollback): the stable version, no routing", async () => {
        const alias = await previewAlias({ stableVersion: "7", weightPercent: 0 });
        assert.deepStrictEqual([alias.functionVersion, alias.routingConfig], ["7", undefined]);
    });

    it("a release's recorded candidate at 10 %: the stable version, and the weight on that candidate", async () => {
        const alias = await previewAlias({ stableVersion: "7", weightPercent: 10, candidateVersion: "8" });
        assert.deepStrictEqual([alias.functionVersion, alias.routingConfig?.additionalVersionWeights], ["7", { "8": 0.1 }]);
    });

    it("100 % (a promotion): no routing block, though the version it goes to is not known yet", async () => {
        const alias = await previewAlias({ stableVersion: "7", weightPercent: 100 });
        assert.deepStrictEqual([isUnknownInput(alias.functionVersion), alias.routingConfig], [true, undefined]);
    });

    it("the check can fail: a canary on the version being published is unknown in the preview", async () => {
        const alias = await previewAlias({ stableVersion: "7", weightPercent: 10 });
        assert.ok(isUnknownInput(alias.routingConfig), JSON.stringify(alias.routingConfig));
    });
});

describe("the live aliases read back as they were sent (no change on the next preview or drift run)", () => {
    const canaries: Record<string, LambdaEcrPipelineArgs["canary"]> = {
        "no canary": undefined,
        "10 %": { stableVersion: "7", weightPercent: 10 },
        "10 %, the worker's recorded candidate its stable version (a release that did not change the worker)": { stableVersion: "7", weightPercent: 10, workerStableVersion: "4", workerCandidateVersion: "4" },
        "10 %, the API's recorded candidate its stable version": { stableVersion: "7", weightPercent: 10, candidateVersion: "7" },
        "10 %, the version just published is the stable one": { stableVersion: "1", weightPercent: 10 },
    };
    for (const [title, canary] of Object.entries(canaries)) {
        it(title, async () => {
            // Only a worker's stable version 4 needs it run on the API's image; the others are the deploys the tests above share.
            const { cloud } = await (canary?.workerStableVersion ? workerBesideApi7(canary) : deployPipeline("prod", { canary }));
            for (const alias of cloud.ofType("aws:lambda/alias:Alias")) {
                assert.deepStrictEqual(alias.inputs.routingConfig, alias.outputs.routingConfig, `${alias.name}: the routing sent is the routing GetAlias answers`);
            }
        });
    }
});

describe("ECR keeps the rollback target's image (lifecycle rules, evaluated as ECR does)", () => {
    const rulesOf = async (canary?: { stableVersion?: string; weightPercent: number }) => {
        const { cloud } = await deployPipeline("prod", { canary });
        return { cloud, rules: JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules };
    };

    const CANARY_AT_7 = { stableVersion: "7", weightPercent: 10 };
    /**
     * The first rule's tagPatternList in prod at stable version 7, 10 %, with `tagsInPushOrder` pushed in that order to
     * the versions' repository on one image (fakeDigest of `image`); `more` adds to the mock cloud's setup.
     */
    const firstRuleWithTags = async (tagsInPushOrder: string[], image: string, more?: (c: MockCloud, repository: string, digest: string) => void) => {
        const { cloud } = await runUnderMocks(
            {
                stack: "prod",
                setup: (c) => {
                    c.registry.mode = "all";
                    const [repository, digest] = [c.awsApis.versionRepository, fakeDigest(image)];
                    for (const tag of tagsInPushOrder) c.registry.push(repository, tag, digest);
                    more?.(c, repository, digest);
                },
            },
            () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary: CANARY_AT_7 })),
        );
        return JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules[1].selection.tagPatternList;
    };

    it("no canary: keep the running image (and its cosign .sig/.att), cosign's artifacts by count, untagged after a day, then keep the newest N content-tagged builds", async () => {
        const { rules } = await rulesOf();
        assert.deepStrictEqual(rules.map((r: any) => [r.rulePriority, r.selection.tagStatus]), [
            [1, "tagged"],
            [2, "tagged"],
            [3, "tagged"],
            [4, "untagged"],
            [5, "tagged"],
        ]);
        assert.deepStrictEqual(rules[4].selection.tagPatternList, ["c-*"], "builds by their content tag: a tagStatus any rule would count cosign's .sig and .att too");
        assert.strictEqual(rules[4].selection.countNumber, 20);
    });

    for (const weightPercent of [0, 10, 100]) {
        it(`stable version 7 at ${weightPercent} %: the first rule selects the image version 7 runs and never expires it`, async () => {
            const { cloud, rules } = await rulesOf({ stableVersion: "7", weightPercent });
            // Lambda is asked for version 7's image (and for the newest version's, publishedVersion.ts).
            assert.ok(cloud.awsApis.requests.some((r) => r.action === "GetFunction" && r.body.qualifier === "7"));
            assert.deepStrictEqual(rules[1].selection, { tagStatus: "tagged", tagPatternList: ["c-version-7"], countType: "imageCountMoreThan", countNumber: 1 });
            assert.deepStrictEqual(
                rules.map((r: any) => r.rulePriority),
                [1, 2, 3, 4, 5, 6],
            );
            assert.deepStrictEqual(rules[rules.length - 1].selection.tagPatternList, ["c-*"]);
            assert.strictEqual(expiredBy(rules, [{ tags: ["c-version-7"], pushedDaysAgo: 400 }, ...newerImages(30)]).includes("c-version-7"), false);
        });
    }

    it("an image with another tag beside its content tag: the first rule names the content tag, whatever order ECR lists the tags in", async () => {
        // DescribeImages promises no order for an image's imageTags (ECR API reference, ImageDetail); the fake lists
        // them in the order they were pushed.
        const firstRule = (tagsInPushOrder: string[]) => firstRuleWithTags(tagsInPushOrder, "the image version 7 runs");
        assert.deepStrictEqual(await firstRule(["c-version-7", "release-2026-12"]), ["c-version-7"]);
        assert.deepStrictEqual(await firstRule(["release-2026-12", "c-version-7"]), ["c-version-7"], "the same policy, so no replacement on the next run");
    });

    it("an image with several tags and no content tag (a prebuilt one): the first rule names the same one of them, whatever order ECR lists them in", async () => {
        // No content tag to prefer: the tag is taken in a steady order, or the policy's text, and with it the policy
        // (replaced on any change: terraform-provider-aws ecr/lifecycle_policy.go, `policy` ForceNew), would change
        // with ECR's listing. The fake lists an image's tags in the order they were pushed.
        const apiName = (await deployPipeline("prod", { canary: CANARY_AT_7 })).fn("api").outputs.name;
        const firstRule = (tagsInPushOrder: string[]) =>
            firstRuleWithTags(tagsInPushOrder, "a prebuilt image version 7 runs", (c, repository, digest) =>
                c.awsApis.functionDeployed(apiName, "7", `${FAKE_ACCOUNT_ID}.dkr.ecr.${c.awsApis.region}.amazonaws.com/${repository}@${digest}`),
            );
        const [pushedOneWay, pushedTheOther] = [await firstRule(["v2.3.0", "release-2026-12"]), await firstRule(["release-2026-12", "v2.3.0"])];
        assert.ok(["v2.3.0", "release-2026-12"].includes(pushedOneWay[0]), `a tag of the image: ${pushedOneWay}`);
        assert.deepStrictEqual(pushedTheOther, pushedOneWay, "the same policy, so no replacement on the next run");
    });

    it("a new policy replaces the old one delete-first: ECR deletes a repository's one policy by the repository's name, so a create-first replacement would delete the new one", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const { cloud } = await deployPipeline(stack);
            assert.strictEqual(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").deleteBeforeReplace, true, stack);
        }
    });

    it("the evaluation can fail: without the first rule the stable image is the first to go", () => {
        const { rules } = { rules: [
            { rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 } },
            { rulePriority: 2, selection: { tagStatus: "tagged", tagPatternList: ["c-*"], countType: "imageCountMoreThan", countNumber: 20 } },
        ] };
        assert.ok(expiredBy(rules, [{ tags: ["c-version-7"], pushedDaysAgo: 400 }, ...newerImages(30)]).includes("c-version-7"));
    });
});

describe("a stable version whose image its repository holds untagged", () => {
    // The image of an index (what the index refusal says to name) is untagged in ECR, which describes it by digest
    // without imageTags (ECR API reference, ImageDetail; DescribeImagesFilter tagStatus). Before, the warning said the
    // image was not in the repository.
    it("deploys, and the warning says the image has no tag for a keep rule to select, not that it is gone", async () => {
        const canary = { stableVersion: "7", weightPercent: 10 };
        const first = await deployPipeline("prod", { canary });
        const [apiName, repository] = [first.fn("api").outputs.name, first.cloud.awsApis.versionRepository];
        const index = imageIndex([{ os: "linux", architecture: "arm64" }]);
        const [{ digest: child }] = indexEntries(index);
        const { cloud } = await runUnderMocks(
            {
                stack: "prod",
                setup: (c) => {
                    c.registry.pushArtifact(repository, "c-release-7", index);
                    c.awsApis.functionDeployed(apiName, "7", `${FAKE_ACCOUNT_ID}.dkr.ecr.${c.awsApis.region}.amazonaws.com/${repository}@${child}`);
                },
            },
            () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary })),
        );
        const warnings = messagesOf(cloud, "warning").filter((w) => w.includes("stable version 7"));
        assert.strictEqual(warnings.length, 1, warnings.join("\n"));
        assert.match(warnings[0], new RegExp(`the image of stable version 7 of ${apiName} \\(${child}\\) has no tag in ${repository}`));
        assert.doesNotMatch(warnings[0], /is not in/);
        assert.strictEqual(JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules.length, 5, "no keep rule for a tag it does not have");
    });
});

describe("a stable version the function does not have", () => {
    // Lambda refuses an alias to it: CreateAlias/UpdateAlias answer ResourceNotFoundException "Function not found:
    // <function ARN>:<version>" (the same answer GetFunction gives, which the fake API returns for a deleted version).
    it("stops the deployment, naming aws.canary.stableVersion, before the repository's lifecycle policy is written", async () => {
        const canary = { stableVersion: "7", weightPercent: 0 };
        const apiName = (await deployPipeline("prod", { canary })).fn("api").outputs.name;
        const missing = (c: MockCloud) => c.awsApis.deletedVersions.add(`${apiName}:7`);
        const { cloud } = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: missing }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary }))),
            new RegExp(`aws\\.canary\\.stableVersion is 7, which ${apiName} does not have \\(Lambda answers ResourceNotFoundException\\), so the live alias cannot point at it`),
        );
        assert.deepStrictEqual(cloud.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy"), [], "the policy that would drop the rollback image's keep rule is never registered");
        assert.strictEqual(cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "the API's alias is not sent");
        assert.ok(cloud.awsApis.requests.some((r) => r.action === "GetFunction" && r.body.qualifier === "7"));
    });
});

describe("a stable version Lambda reports Failed (its image deleted from ECR)", () => {
    // Lambda marks a version whose image ECR no longer has as State Failed, StateReasonCode ImageDeleted (GetFunction's
    // Configuration; the values are botocore's lambda 2015-03-31 service-2.json, shapes State and StateReasonCode), and
    // such a version fails every invocation: the alias could point at it, but a rollback to it would serve nothing.
    it("stops the deployment, naming aws.canary.stableVersion and Lambda's reason, before the repository's lifecycle policy is written", async () => {
        const canary = { stableVersion: "7", weightPercent: 0 };
        const apiName = (await deployPipeline("prod", { canary })).fn("api").outputs.name;
        const failed = (c: MockCloud) => c.awsApis.versionStates.set(`${apiName}:7`, { State: "Failed", StateReasonCode: "ImageDeleted" });
        const { cloud } = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: failed }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary }))),
            /aws\.canary\.stableVersion is 7, whose state Lambda reports as Failed \(ImageDeleted\)/,
        );
        assert.deepStrictEqual(cloud.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy"), []);
        // The alias is not moved onto it in the update the refusal fails: before, it went to version 7 beside the refusal.
        assert.strictEqual(cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "the API's alias is not sent");
        assert.ok(cloud.awsApis.requests.some((r) => r.action === "GetFunction" && r.body.qualifier === "7"));
    });

    it("in a stack on another stack's registries too (no lifecycle policy of its own to ask it), and refused once", async () => {
        const canary = { stableVersion: "7", weightPercent: 0 };
        const onDevs = { canary, imageRegistriesOf: "dev" };
        // The API's name is the same on either registries: the deploy the test above shares names it.
        const apiName = (await deployPipeline("prod", { canary })).fn("api").outputs.name;
        const failed = (c: MockCloud) => c.awsApis.versionStates.set(`${apiName}:7`, { State: "Failed", StateReasonCode: "ImageDeleted" });
        const refused = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: failed }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", onDevs))),
            /aws\.canary\.stableVersion is 7, whose state Lambda reports as Failed \(ImageDeleted\)/,
        );
        assert.strictEqual(refused.cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "the API's alias is not sent");
        const reasons = (refused as UnhandledProgramErrors).reasons.filter((r) => /reports as Failed/.test(String(r)));
        assert.strictEqual(new Set(reasons).size, 1, "one refusal, whatever asked");
    });

    it("an Inactive stable version (idle, reactivated by its next invocation) is still a rollback target", async () => {
        const canary = { stableVersion: "7", weightPercent: 0 };
        const apiName = (await deployPipeline("prod", { canary })).fn("api").outputs.name;
        const { cloud } = await runUnderMocks(
            { stack: "prod", setup: (c) => c.awsApis.versionStates.set(`${apiName}:7`, { State: "Inactive", StateReasonCode: "Idle" }) },
            () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary })),
        );
        assert.deepStrictEqual(JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules[1].selection.tagPatternList, ["c-version-7"]);
    });
});

/**
 * The pipeline under mocks, with the worker's version 4 published beside the API's version 7: both run the image the fake
 * Lambda gives version 7 (`c-version-7`), as one `up` publishes both functions from one image, numbered on their own.
 */
function upWithWorker4BesideApi7(canary: LambdaEcrPipelineArgs["canary"], setup?: (c: MockCloud) => void) {
    return runUnderMocks(
        {
            stack: "prod",
            setup: (c) => {
                c.awsApis.sameImageAs.set("4", "7");
                setup?.(c);
            },
        },
        () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary })),
    );
}

/** upWithWorker4BesideApi7 with nothing else set up, run once per canary and shared: its tests only read what it registered. */
const workerBesideApi7 = sharedPerArgs((canary: LambdaEcrPipelineArgs["canary"]) => upWithWorker4BesideApi7(canary));

describe("the worker's stable version is a rollback target of its own", () => {
    // release.workerStableVersion is recorded apart from aws.canary.stableVersion (release/firstDeploy.ts records the
    // worker's running version whenever the state has none; docs/releases.md has both set by hand, numbered on their
    // own). The fake Lambda runs each unknown version on an image of its own, `c-version-<n>`, unless told otherwise.
    const canary = { stableVersion: "7", weightPercent: 0, workerStableVersion: "4" };

    it("its image gets a keep rule of its own, so ECR's lifecycle never expires it", async () => {
        // Set alone (the API's stable version unset), nothing else keeps it.
        const { cloud } = await deployPipeline("prod", { canary: { weightPercent: 0, workerStableVersion: "4" } });
        const workerName = cloud.one("aws:lambda/function:Function", "pipeline-worker").outputs.name;
        assert.ok(cloud.awsApis.requests.some((r) => r.action === "GetFunction" && r.body.functionName === workerName && r.body.qualifier === "4"), "Lambda is asked for the worker's version 4");
        const rules = JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
        assert.ok(rules.some((r: any) => r.selection.countType === "imageCountMoreThan" && r.selection.countNumber === 1 && r.selection.tagPatternList?.[0] === "c-version-4"), JSON.stringify(rules));
        const images = [{ tags: ["c-version-4"], pushedDaysAgo: 300 }, ...newerImages(30)];
        assert.deepStrictEqual(expiredBy(rules, images).filter((t) => t === "c-version-4"), []);
    });

    it("one the worker's stable version shares with the API's is kept by one rule", async () => {
        const { cloud } = await workerBesideApi7(canary);
        const rules = JSON.parse(cloud.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy).rules;
        assert.strictEqual(rules.filter((r: any) => r.selection.tagPatternList?.[0] === "c-version-7").length, 1);
        assert.ok(!rules.some((r: any) => r.selection.tagPatternList?.[0] === "c-version-4"), JSON.stringify(rules));
    });

    // Lambda marks a version whose image ECR no longer has as State Failed, StateReasonCode ImageDeleted (botocore lambda
    // 2015-03-31 service-2.json, shapes State and StateReasonCode): the state machine's Map would invoke it on a rollback.
    it("one Lambda reports Failed (ImageDeleted) stops the deployment, naming release.workerStableVersion, before the lifecycle policy is written", async () => {
        const workerName = (await workerBesideApi7(canary)).cloud.one("aws:lambda/function:Function", "pipeline-worker").outputs.name;
        const { cloud } = await failedUpdate(
            upWithWorker4BesideApi7(canary, (c) => c.awsApis.versionStates.set(`${workerName}:4`, { State: "Failed", StateReasonCode: "ImageDeleted" })),
            /release\.workerStableVersion is 4, whose state Lambda reports as Failed \(ImageDeleted\)/,
        );
        assert.deepStrictEqual(cloud.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy"), []);
        assert.strictEqual(cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-worker"), undefined, "the worker's alias is not sent");
    });

    // Numbered on their own, the two functions can both have a version 7, each its own (Lambda's GetFunction answers
    // per function and qualifier): the run's one read of each (lambdaVersions.ts publishedVersionOf) is the function's own.
    it("the same number as the API's stable version: each function's version is asked of Lambda, and the worker's missing one is refused", async () => {
        const same = { stableVersion: "7", weightPercent: 0, workerStableVersion: "7" };
        const first = (await deployPipeline("prod", { canary: same })).cloud;
        const [apiName, workerName] = [first.one("aws:lambda/function:Function", "pipeline-api").outputs.name, first.one("aws:lambda/function:Function", "pipeline-worker").outputs.name];
        const reads = first.awsApis.requests.filter((r) => r.action === "GetFunction" && r.body.qualifier === "7").map((r) => r.body.functionName);
        assert.deepStrictEqual([...new Set(reads)].sort(), [apiName, workerName].sort());
        await failedUpdate(
            runUnderMocks({ stack: "prod", setup: (c) => c.awsApis.deletedVersions.add(`${workerName}:7`) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary: same }))),
            new RegExp(`release\\.workerStableVersion is 7, which ${workerName} does not have \\(Lambda answers ResourceNotFoundException\\)`),
        );
    });

    it("one the worker does not have stops the deployment, naming release.workerStableVersion", async () => {
        const workerName = (await workerBesideApi7(canary)).cloud.one("aws:lambda/function:Function", "pipeline-worker").outputs.name;
        await failedUpdate(
            upWithWorker4BesideApi7(canary, (c) => c.awsApis.deletedVersions.add(`${workerName}:4`)),
            new RegExp(`release\\.workerStableVersion is 4, which ${workerName} does not have \\(Lambda answers ResourceNotFoundException\\)`),
        );
    });
});

describe("the API's and the worker's stable versions run one image", () => {
    // A weight of 0 (a hold, a rollback) puts the API's alias on aws.canary.stableVersion and the worker's on
    // release.workerStableVersion (components/aws/canary.ts aliasWeights). Recorded apart, they can run different
    // builds: the API would start executions whose input the stable worker was not built for. The fake Lambda answers
    // GetFunction's Code.ResolvedImageUri per version (botocore lambda 2015-03-31 service-2.json, FunctionCodeLocation):
    // versions 7 and 4 run different images unless told otherwise.
    const canary = { stableVersion: "7", weightPercent: 0, workerStableVersion: "4" };
    /** The refusal, in full: both settings and their images, and how to find the worker version that runs the API's image. */
    const mismatchRefusal = (workerName: string) =>
        new RegExp(
            `aws\\.canary\\.stableVersion is 7, which runs \\S+@sha256:[0-9a-f]{64}, but release\\.workerStableVersion is 4, which runs \\S+@sha256:[0-9a-f]{64}: ` +
                `the API and the worker run one image.*Set release\\.workerStableVersion to the version of ${workerName} that runs sha256:[0-9a-f]{64} ` +
                `\\(for v in \\$\\(aws lambda list-versions-by-function --region ap-northeast-1 --function-name ${workerName} .*aws lambda get-function .*--qualifier \\$v --query Code\\.ResolvedImageUri`,
        );

    it("different images stop the up before the API's alias moves, naming both settings and how to find the worker version of the API's image", async () => {
        const first = await workerBesideApi7(canary);
        const [apiName, workerName] = [first.cloud.one("aws:lambda/function:Function", "pipeline-api").outputs.name, first.cloud.one("aws:lambda/function:Function", "pipeline-worker").outputs.name];
        const { cloud } = await failedUpdate(
            runUnderMocks({ stack: "prod" }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary }))),
            mismatchRefusal(workerName),
        );
        assert.ok(cloud.awsApis.requests.some((r) => r.action === "GetFunction" && r.body.functionName === apiName && r.body.qualifier === "7"));
        assert.strictEqual(cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "the API's alias is not sent");
    });

    it("a pull request's preview shows it too: the preview fails with the same message", async () => {
        const first = await workerBesideApi7(canary);
        const workerName = first.cloud.one("aws:lambda/function:Function", "pipeline-worker").outputs.name;
        await failedUpdate(
            runUnderMocks({ stack: "prod", preview: true }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", { canary }))),
            mismatchRefusal(workerName),
        );
    });

    it("the same image under the two functions' own numbers: both aliases go to their stable versions", async () => {
        const { cloud } = await workerBesideApi7(canary);
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias", "pipeline-api").inputs.functionVersion, "7");
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias", "pipeline-worker").inputs.functionVersion, "4");
        // Each stable version is asked of Lambda once, though its image is read for its keep rule and for this comparison.
        const reads = cloud.awsApis.requests.filter((r) => r.action === "GetFunction").map((r) => `${r.body.functionName}:${r.body.qualifier}`);
        assert.deepStrictEqual(reads.filter((read) => /:(7|4)$/.test(read)).length, 2, reads.join(", "));
    });

    // Published by hand from `<repository>:c-version-7`, the worker's version 4 has GetFunction answer its Code.ImageUri
    // by that tag and its Code.ResolvedImageUri by digest (botocore lambda 2015-03-31 service-2.json,
    // FunctionCodeLocation): it runs the API's image all the same, so nothing may read the tag as another image.
    it("a worker version published by hand from the image's tag runs the API's image: both aliases go to their stable versions", async () => {
        const workerName = (await workerBesideApi7(canary)).cloud.one("aws:lambda/function:Function", "pipeline-worker").outputs.name;
        const { cloud } = await upWithWorker4BesideApi7(canary, (c) => c.awsApis.publishedFromTag.add(`${workerName}:4`));
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias", "pipeline-api").inputs.functionVersion, "7");
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias", "pipeline-worker").inputs.functionVersion, "4");
    });

    it("their one image is described by ECR once for both keep rules", async () => {
        const { cloud } = await workerBesideApi7(canary);
        const byDigest = cloud.awsApis.requests
            .filter((r) => r.action === "DescribeImages" && r.body.imageIds?.[0]?.imageDigest)
            .map((r) => r.body.imageIds[0].imageDigest as string);
        assert.ok(byDigest.length > 0, "ECR is asked for the stable image by digest");
        assert.strictEqual(new Set(byDigest).size, byDigest.length, byDigest.join(", "));
    });
});
