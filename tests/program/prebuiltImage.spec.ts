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
        assert.ok(!run.cloud.calls.some((c) => c.token === "aws:ecr/getImage:getImage"));
    });
});
