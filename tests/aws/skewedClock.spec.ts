import * as assert from "assert";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { checkReservedConcurrency } from "../../components/aws/accountConcurrency";
import { describeEcrImage } from "../../components/aws/ecrImages";
import { ecrLogin } from "../../components/aws/ecrLogin";
import { publishedVersionOf } from "../../components/aws/lambdaVersions";
import { sdkIdentity } from "../../components/aws/sdkIdentity";
import { signingPublicKey } from "../../components/image/signingKey";
import { cloudApiEnvironment, serveCloudApis } from "../../scripts/offline/cloudApiServer";
import { changeProcessEnvironment } from "../../scripts/offline/environment";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { SIGNING_KEY_ALIAS } from "../../scripts/offline/fakeKms";
import { MockCloud, mockCloudFor } from "../../scripts/offline/mockCloud";

const TEN_MINUTES = 10 * 60_000;

/**
 * A laptop whose clock is 10 minutes off AWS's: AWS refuses a request signed more than 5 minutes from its time (15 for
 * STS), and the AWS SDK corrects its signing time from the refusal's Date header and asks again (@aws-sdk/core
 * AwsSdkSigV4Signer errorHandler sets $metadata.clockSkewCorrected; @smithy/core retry isTransientError retries it). The
 * stand-in's AWS clock is moved rather than this process's: the SDK sees the same difference, and mocha's timers
 * stay true. Each region is a case of its own, since reads are kept per process outside a run (perRun.ts).
 */
describe("the program's AWS reads with this machine's clock 10 minutes off AWS's", function () {
    this.timeout(20_000);
    for (const [clock, aheadMs, region] of [["behind", TEN_MINUTES, "eu-central-2"], ["ahead of", -TEN_MINUTES, "eu-south-2"]] as const) {
        describe(`a clock 10 minutes ${clock} AWS's`, () => {
            let cloud: MockCloud;
            let restore: () => void;
            before(async () => {
                cloud = mockCloudFor({ "aws:region": region });
                cloud.awsApis.clockAheadMs = aheadMs;
                cloud.awsApis.repositories.add("multicloud-service-dev");
                restore = changeProcessEnvironment({ ...cloudApiEnvironment(await serveCloudApis(cloud), { preload: false }), AWS_EC2_METADATA_DISABLED: "true" });
            });
            after(() => restore?.());
            beforeEach(() => void cloud.awsApis.skewRefusals.splice(0));

            it("the stand-in refuses a request signed so, in AWS's words, and sends AWS's time", async () => {
                const ecr = new ECRClient({ region, maxAttempts: 1 });
                try {
                    await assert.rejects(ecr.send(new GetAuthorizationTokenCommand({})), (err: Error & { $metadata?: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } }) => {
                        const words = clock === "behind" ? /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/ : /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/;
                        assert.strictEqual(err.name, "InvalidSignatureException");
                        assert.match(err.message, words);
                        assert.strictEqual(err.$metadata?.httpStatusCode, 400);
                        return true;
                    });
                } finally {
                    ecr.destroy();
                }
                // STS allows 15 minutes: ten off is answered.
                const sts = new STSClient({ region, maxAttempts: 1 });
                try {
                    assert.strictEqual((await sts.send(new GetCallerIdentityCommand({}))).Account, FAKE_ACCOUNT_ID);
                } finally {
                    sts.destroy();
                }
                assert.deepStrictEqual(cloud.awsApis.skewRefusals, ["awsJson1_1"]);
            });

            it("each read is answered: the SDK corrects its clock from AWS's Date header and asks again", async () => {
                assert.strictEqual((await sdkIdentity(region)).account, FAKE_ACCOUNT_ID);
                assert.strictEqual(await checkReservedConcurrency(region, 5), 5);
                assert.strictEqual(await describeEcrImage(region, "multicloud-service-dev", { imageDigest: `sha256:${"c".repeat(64)}` }), undefined);
                assert.match((await ecrLogin(region)).host, /\.dkr\.ecr\./);
                assert.ok(await publishedVersionOf(region, "api", "7"));
                assert.strictEqual((await signingPublicKey(`awskms:///${SIGNING_KEY_ALIAS}`, region)).asymmetricKeyType, "ec");
                // Each client is new, so each first attempt was refused (STS's excepted), and the second answered.
                assert.deepStrictEqual(cloud.awsApis.skewRefusals, ["restJson1", "awsJson1_1", "awsJson1_1", "restJson1", "awsJson1_1"]);
            });
        });
    }
});
