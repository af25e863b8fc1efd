import * as assert from "assert";
import { LambdaEcrPipeline, LambdaEcrPipelineArgs } from "../../components/aws";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { messagesOf } from "../../scripts/offline/programMessages";
import { failedUpdate } from "../harness/failedUpdate";
import { deployPipeline, pipelineArgs } from "./fixtures";

/**
 * An `up` that stopped after putting a new image on $LATEST and before publishing it (the provider publishes last,
 * and only when the code or settings change: terraform-provider-aws lambda/function.go resourceFunctionUpdate). The
 * next `up` with the same settings sends Lambda nothing; the mock cloud answers GetFunction as Lambda would then
 * (scripts/offline/fakeAwsApis.ts, unpublishedUpdate).
 */
describe("a Lambda image on $LATEST that no version runs: the next up says so instead of pointing the alias at the old code", () => {
    const deploy = (setup: (cloud: MockCloud) => void, preview = false) =>
        runUnderMocks({ stack: "dev", preview, setup }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev")));

    it("$LATEST updated, never published: the up fails before the alias, naming both images and the commands that publish it", async () => {
        const { cloud } = await failedUpdate(
            deploy((c) => (c.awsApis.unpublishedUpdate = {})),
            /Lambda's newest published version of pipeline-(api|worker)-[0-9a-f]+, 1, runs \S+@sha256:[0-9a-f]{64}, not this stack's \S+@sha256:[0-9a-f]{64}: an earlier `up` stopped before publishing it, .*running `pulumi up` again does not\. \$LATEST holds it: publish it with aws lambda publish-version --region ap-northeast-1 --function-name pipeline-(api|worker)-[0-9a-f]+; then `pulumi up --refresh` points the live alias at it\./,
        );
        assert.deepStrictEqual(cloud.ofType("aws:lambda/alias:Alias"), [], "no alias is pointed at the old version");
    });

    it("$LATEST's own update failed: the message gives Lambda's reason code and puts the image back before publishing", async () => {
        await failedUpdate(
            deploy((c) => (c.awsApis.unpublishedUpdate = { failedWith: "ImageAccessDenied" })),
            /Lambda's last update of \$LATEST failed \(ImageAccessDenied\)\. Fix that, then put the image on it and publish it: aws lambda update-function-code --region ap-northeast-1 --function-name \S+ --image-uri \S+@sha256:[0-9a-f]{64}, then aws lambda publish-version/,
        );
    });

    it("Lambda refused the code update itself ($LATEST on the earlier image too): the message says a refresh alone sends it again", async () => {
        await failedUpdate(
            deploy((c) => (c.awsApis.unpublishedUpdate = { codeRefused: true })),
            /\$LATEST does not hold it either \(Lambda did not take the code update\): `pulumi up --refresh` reads the old image back and sends this one again, then publishes it\./,
        );
    });

    // Before: an answer without Code.ImageUri was taken as "$LATEST holds it: publish it", which would publish whatever
    // $LATEST runs, perhaps the old image, as the new.
    it("$LATEST answered without an image: the message says what it holds is unknown and how to see it, not that it holds this one", async () => {
        const { message } = await failedUpdate(
            deploy((c) => (c.awsApis.unpublishedUpdate = { latestWithoutImage: true })),
            /Lambda's GetFunction answered \$LATEST with no Code\.ImageUri, so whether \$LATEST holds it is unknown: check that AWS_ENDPOINT_URL_LAMBDA .* aws lambda get-function --region ap-northeast-1 --function-name pipeline-(api|worker)-[0-9a-f]+ --query Code\.ImageUri; if that is this image, publish it with aws lambda publish-version/,
        );
        assert.doesNotMatch(message, /\$LATEST holds it: publish/);
    });

    it("traffic on an older stable version alone (held at 0 %, a rollback): a warning, and the alias goes there; the newest as the stable version, or a canary weight on it: the up fails before the alias", async () => {
        const upUnpublished = (settings: Partial<LambdaEcrPipelineArgs>) =>
            runUnderMocks({ stack: "prod", setup: (c) => ((c.awsApis.unpublishedUpdate = {}), c.awsApis.sameImageAs.set("3", "7")) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", settings)));
        // The worker's version 3 was published beside the API's 7, from one image (components/aws/publishedVersion.ts).
        const held = { canary: { stableVersion: "7", weightPercent: 0, workerStableVersion: "3" } };
        const { cloud } = await upUnpublished(held);
        assert.deepStrictEqual(cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api")?.inputs.functionVersion, "7");
        const warnings = messagesOf(cloud, "warning");
        assert.ok(warnings.some((w) => /^Lambda's newest published version of pipeline-api-[0-9a-f]+, 1, runs .* No traffic goes to version 1 now: the live alias sends it to 7\.$/.test(w)), warnings.join("\n"));
        // Between releases the stable version is the newest (a promotion records it): the old code would be served as the new.
        const promoted = { canary: { stableVersion: "1", weightPercent: 0, workerStableVersion: "1" } };
        await failedUpdate(
            upUnpublished(promoted),
            /Lambda's newest published version of pipeline-(api|worker)-[0-9a-f]+, 1, runs /,
        );
        const canary = { canary: { stableVersion: "7", weightPercent: 10 } };
        const failed = await failedUpdate(
            upUnpublished(canary),
            /Lambda's newest published version of pipeline-(api|worker)-[0-9a-f]+, 1, runs /,
        );
        assert.strictEqual(failed.cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "no alias sends 10 % to the old code");
    });

    it("a canary weight on the newest version from the API's alias alone (the worker held on its stable version): the up fails before the API's alias", async () => {
        // The weight rides in the alias's routing config (additionalVersionWeights), not its functionVersion: the newest
        // version gets 10 % of requests (components/aws/canary.ts, aliasWeights). A worker candidate equal to its stable
        // version keeps all of the worker on it, so only the API's weight reaches the old code.
        const canary = { canary: { stableVersion: "7", weightPercent: 10, workerStableVersion: "3", workerCandidateVersion: "3" } };
        const failed = await failedUpdate(
            runUnderMocks(
                { stack: "prod", setup: (c) => ((c.awsApis.unpublishedUpdate = {}), c.awsApis.sameImageAs.set("3", "7")) },
                () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", canary)),
            ),
            /Lambda's newest published version of pipeline-api-[0-9a-f]+, 1, runs /,
        );
        assert.strictEqual(failed.cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "no alias sends 10 % to the old code");
    });

    it("no failure when the newest version runs the image, or in a preview", async () => {
        const { cloud } = await deploy(() => {});
        assert.strictEqual(cloud.ofType("aws:lambda/alias:Alias").length, 2);
        assert.ok(cloud.awsApis.requests.some((r) => r.action === "GetFunction" && r.body.qualifier === "1"), "Lambda is asked what version 1 runs");
        const preview = await deploy((c) => (c.awsApis.unpublishedUpdate = {}), true);
        assert.strictEqual(preview.cloud.ofType("aws:lambda/alias:Alias").length, 2);
    });
});

/**
 * A first `up` whose function Lambda made and then set Failed (an image Lambda may not pull: StateReasonCode
 * ImageAccessDenied, one of botocore lambda 2015-03-31 service-2.json's StateReasonCode values). The provider stored
 * the ID before waiting (terraform-provider-aws lambda/function.go, resourceFunctionCreate, waitFunctionCreated), the
 * bridge returns that state with the error (pulumi-terraform-bridge pkg/tfbridge/provider.go, initializationError), and
 * the next `up` with the same settings only updates it with nothing to send (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go, "generate an empty update step"): resourceFunctionUpdate reads the function
 * back, its newest version "1". The mock cloud answers that `up` as Lambda then would: GetFunction of version 1 reports
 * State Failed (scripts/offline/fakeAwsApis.ts, versionStates). Lambda developer guide, "Lambda function states": "When
 * function creation fails, Lambda sets the function state to failed, and you must delete and recreate the function."
 */
describe("a Lambda function whose create ended Failed: the next up says so instead of pointing the live alias at it", () => {
    const failedOn = (name: string) => (c: MockCloud) => c.awsApis.versionStates.set(`${name}:1`, { State: "Failed", StateReasonCode: "ImageAccessDenied" });

    it("the alias would send it every request: the up fails before the alias, with Lambda's reason and the replace that makes the function again", async () => {
        const apiName = (await deployPipeline("dev")).fn("api").outputs.name;
        const { cloud } = await failedUpdate(
            runUnderMocks({ stack: "dev", setup: failedOn(apiName) }, () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev"))),
            new RegExp(
                `Lambda reports ${apiName}'s newest published version, 1, as Failed \\(ImageAccessDenied\\): it fails every invocation, .*` +
                    "Running `pulumi up` again with the same settings sends Lambda nothing\\. Fix what failed it, then have Pulumi make the function again: " +
                    "pulumi up --replace 'urn:pulumi:dev::[^']*aws:lambda/function:Function::pipeline-api'\\.",
            ),
        );
        assert.strictEqual(cloud.ofType("aws:lambda/alias:Alias").find((a) => a.name === "pipeline-api"), undefined, "the API's alias is not pointed at the Failed version");
    });

    it("a canary held at 0 % on an older stable version: a warning, and the alias stays there", async () => {
        const settings = { canary: { stableVersion: "7", weightPercent: 0, workerStableVersion: "3" } };
        // The API's name does not depend on the canary: the plain deploy names it.
        const apiName = (await deployPipeline("prod")).fn("api").outputs.name;
        const { cloud } = await runUnderMocks(
            { stack: "prod", setup: (c) => (failedOn(apiName)(c), c.awsApis.sameImageAs.set("3", "7")) },
            () => new LambdaEcrPipeline("pipeline", pipelineArgs("prod", settings)),
        );
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias", "pipeline-api").inputs.functionVersion, "7");
        assert.ok(messagesOf(cloud, "warning").some((w) => /as Failed \(ImageAccessDenied\).* No traffic goes to version 1 now: the live alias sends it to 7\.$/.test(w)));
    });

    it("only Failed stops it: a newest version Lambda made Inactive for idling gets the alias, with no warning", async () => {
        // botocore lambda 2015-03-31 service-2.json: State is one of Pending, Active, Inactive, Failed, ...; StateReasonCode
        // Idle. Lambda developer guide, "Lambda function states": Inactive is a function "idle long enough for Lambda to
        // reclaim the external resources"; invoking it sets it Pending "until the function resources are recreated". Not
        // Failed, which must be deleted and recreated: an alias held back from it would hold back a quiet stack's release.
        const apiName = (await deployPipeline("dev")).fn("api").outputs.name;
        const { cloud } = await runUnderMocks(
            { stack: "dev", setup: (c) => c.awsApis.versionStates.set(`${apiName}:1`, { State: "Inactive", StateReasonCode: "Idle" }) },
            () => new LambdaEcrPipeline("pipeline", pipelineArgs("dev")),
        );
        assert.strictEqual(cloud.one("aws:lambda/alias:Alias", "pipeline-api").inputs.functionVersion, "1");
        assert.deepStrictEqual(messagesOf(cloud, "warning").filter((w) => /newest published version/.test(w)), []);
    });
});
