import * as assert from "assert";
import { sdkIdentity } from "../../components/aws/sdkIdentity";
import { readStackFile } from "../../config/stackFile";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { FAKE_CALLER } from "../../scripts/offline/fakeIds";
import { mockCloudFor } from "../../scripts/offline/mockCloud";

// Before: an answer without an Account read as account "", so the check of whose the reads are refused the run as
// ReadsOfAnotherAccount, "of account ," — a false accusation that sent one to change credentials that were right.
describe("an STS answer that names no caller is refused quoting it, not read as another account", function () {
    this.timeout(30_000);

    it("GetCallerIdentity without an Account: refused naming the region, the answer and the endpoint variables", async () => {
        const cloud = mockCloudFor(readStackFile("prod").config);
        cloud.awsApis.caller = { arn: FAKE_CALLER.arn, userId: FAKE_CALLER.userId };
        const restore = await useCloudApisInProcess(cloud);
        try {
            // A region no other spec asks in: the identity is kept once a run, per region (sdkIdentity).
            await assert.rejects(sdkIdentity("ap-south-2"), (err: Error) => {
                assert.strictEqual(
                    err.message,
                    `STS in ap-south-2 answered GetCallerIdentity without an Account ({"Arn":"${FAKE_CALLER.arn}","UserId":"${FAKE_CALLER.userId}"}), ` +
                        "so whose the AWS SDK's default credentials are is unknown: check that AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL, if set, name STS itself, then run this again",
                );
                return true;
            });
        } finally {
            restore();
        }
    });

    it("GetCallerIdentity without an Arn: refused saying the Arn is what it lacked", async () => {
        const cloud = mockCloudFor(readStackFile("prod").config);
        cloud.awsApis.caller = { account: FAKE_CALLER.account, userId: FAKE_CALLER.userId };
        const restore = await useCloudApisInProcess(cloud);
        try {
            // A region of its own, as above: the identity is kept once a run, per region.
            await assert.rejects(sdkIdentity("ap-southeast-5"), {
                message:
                    `STS in ap-southeast-5 answered GetCallerIdentity without an Arn ({"Account":"${FAKE_CALLER.account}","UserId":"${FAKE_CALLER.userId}"}), ` +
                    "so whose the AWS SDK's default credentials are is unknown: check that AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL, if set, name STS itself, then run this again",
            });
        } finally {
            restore();
        }
    });
});
