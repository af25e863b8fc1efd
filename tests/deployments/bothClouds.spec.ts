import * as assert from "assert";
import { checkBothClouds } from "../../deployments/bothClouds";
import { stackDisabledClouds } from "../../deployments/stackTargets";

describe("deployments/: every stack it manages runs both clouds", () => {
    it("the committed stack files turn neither off", () => {
        const disabled = Object.fromEntries(["dev", "prod", "review"].map((stack) => [stack, stackDisabledClouds(stack, "multicloud-service")]));
        assert.deepStrictEqual(disabled, { dev: [], prod: [], review: [] });
        assert.doesNotThrow(() => checkBothClouds(disabled, "multicloud-service"));
    });

    it("a stack with a cloud off is refused before anything is deployed, naming the file and the way to deploy it", () => {
        // Before: gcp off failed on its missing gcp:project ("its deployer has no project"), and aws off passed here
        // while image.yml could not sign its Artifact Registry image (its AWS credentials follow the ECR repository).
        assert.throws(
            () => checkBothClouds({ dev: ["aws"], prod: [] }, "multicloud-service"),
            /^Error: a stack has one cloud only; nothing was deployed:\n {2}- Pulumi\.dev\.yaml turns aws off \(multicloud-service:aws\.enabled: false\): deployments\/ and the workflows deploy, sign and release both clouds of every stack they manage, so deploy a one-cloud stack by hand \(pulumi up\) and leave it out of settings\.stacks$/,
        );
    });
});
