import * as assert from "assert";
import { checkSigningKeyRegions } from "../../deployments/signingKeyRegion";
import { stackSigningKey, stackTarget } from "../../deployments/stackTargets";
import * as path from "path";
import { PROJECT_ROOT, readStackFileAt } from "../../config/stackFile";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { DEPLOYMENTS_PROJECT, deploymentsPlan, parsedCommittedSettings } from "./deploymentsPlan";

describe("deployments/: the image signing key is found where image.yml signs and the stacks verify", function () {
    this.timeout(30_000);
    const settings = parsedCommittedSettings();
    const committed = () => ({ dev: stackTarget("dev"), prod: stackTarget("prod"), review: stackTarget("review") });
    const keys = () => ({ dev: stackSigningKey("dev", "multicloud-service"), prod: stackSigningKey("prod", "multicloud-service"), review: undefined });

    it("the committed stacks are in the key's region (deployments/' aws:region), prod verifying by its alias", async () => {
        assert.strictEqual(keys().prod, "awskms:///alias/multicloud-service-image-signing");
        assert.doesNotThrow(() => checkSigningKeyRegions(settings, "ap-northeast-1", committed(), keys()));
        await deploymentsPlan(); // runs the check with Pulumi.main.yaml's aws:region
    });

    it("deployments/ runs the check before registering anything: planned in eu-west-1, with the stacks in ap-northeast-1, it refuses", async () => {
        const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
        const program = require("../../deployments/index");
        const run = runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, config: { ...config, "aws:region": "eu-west-1" } }, () => program());
        await assert.rejects(run, (err: Error) => {
            assert.match(err.message, /the image signing key would not be found where it is used; nothing was deployed/);
            return true;
        });
    });

    it("deployments/ in a region outside the commercial partition is refused before anything is registered", async () => {
        // Its key policy and trusts are arn:aws: ARNs; in aws-cn or aws-us-gov PutKeyPolicy would name principals that
        // are not there. Before: the plan went ahead.
        const { config } = readStackFileAt(path.join(PROJECT_ROOT, "deployments", "Pulumi.main.yaml"));
        const program = require("../../deployments/index");
        for (const [region, partition] of [["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"], ["eusc-de-east-1", "aws-eusc"], ["us-iso-east-1", "an isolated partition"]]) {
            let cloud: MockCloud | undefined;
            const run = runUnderMocks({ stack: "main", project: DEPLOYMENTS_PROJECT, config: { ...config, "aws:region": region }, setup: (c) => (cloud = c) }, () => program());
            await assert.rejects(run, (err: Error) => {
                assert.match(err.message, new RegExp(`^deployments/ cannot deploy to its aws:region; nothing was deployed:\\n {2}- aws:region ${region} is in ${partition}: `));
                return true;
            });
            assert.deepStrictEqual(cloud?.resources.map((r) => r.type), [], `${region}: registered before the refusal`);
        }
    });

    it("dev built in another region, or prod verifying an alias from another region, is refused, naming the fix", () => {
        // KMS finds an alias only in the region asked (GetPublicKey, cosign's awskms:// signer). Before: image.yml failed
        // to sign dev's images, and prod's up refused every image (NotFoundException reading the key).
        const elsewhere = (stack: "dev" | "prod") => ({ ...committed(), [stack]: { ...committed()[stack], awsRegion: "eu-west-1" } });
        assert.throws(
            () => checkSigningKeyRegions(settings, "ap-northeast-1", elsewhere("dev"), keys()),
            /^Error: the image signing key would not be found where it is used; nothing was deployed:\n {2}- image\.yml signs dev's images in its aws:region eu-west-1, where KMS has no alias\/multicloud-service-image-signing: deployments\/ creates the key in ap-northeast-1; deploy dev there$/,
        );
        assert.throws(
            () => checkSigningKeyRegions(settings, "ap-northeast-1", elsewhere("prod"), keys()),
            /- Pulumi\.prod\.yaml verifies images with awskms:\/\/\/alias\/multicloud-service-image-signing, which KMS looks up in its aws:region eu-west-1; the key is in ap-northeast-1: name it by ARN, awskms:\/\/\/arn:aws:kms:ap-northeast-1:<account>:alias\/multicloud-service-image-signing$/,
        );
        // A bare key ID is looked up in the region asked too.
        const byId = { ...keys(), prod: "awskms:///1234abcd-12ab-34cd-56ef-1234567890ab" };
        assert.throws(() => checkSigningKeyRegions(settings, "ap-northeast-1", elsewhere("prod"), byId), /name it by ARN, awskms:\/\/\/arn:aws:kms:ap-northeast-1:<account>:key\/1234abcd-12ab-34cd-56ef-1234567890ab$/);
        const byArn = { ...keys(), prod: "awskms:///arn:aws:kms:ap-northeast-1:123456789012:alias/multicloud-service-image-signing" };
        assert.doesNotThrow(() => checkSigningKeyRegions(settings, "ap-northeast-1", elsewhere("prod"), byArn));
    });
});
