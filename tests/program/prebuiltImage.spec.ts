import * as assert from "assert";
import { runProgram } from "../../scripts/offline/runProgram";
import { withAwsSettings } from "../harness/stackConfig";

/** dev's stack file with a prebuilt Lambda image set. */
const devWithImage = (image: string) => withAwsSettings("dev", { image });

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
    });
});
