import * as assert from "assert";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { failedWithAwsServiceUnreachable } from "../harness/closedPort";
import { registeredTypes } from "../harness/registeredTypes";
import { SANDBOX_CALLER } from "../harness/sandboxCaller";
import { committedStackRun } from "../harness/committedStackRun";


// Before: the checks and LambdaEcrPipeline read ECR, Lambda and KMS with the AWS SDK's default credentials whatever
// account the AWS provider deploys to, and nothing compared the two. With another account's credentials ECR answers for
// that account's registry (RepositoryNotFoundException for the deployment's repository), so `pulumi up` waited out
// imageWaitMinutes (20) for an image that was there, then failed saying it was never pushed. STS's answer:
// fakeAwsApis.ts answerCallerIdentity (its source).
describe("the AWS reads are of the account the AWS provider deploys to, or the run stops before anything is registered", function () {
    this.timeout(60_000);

    it("prod with the SDK's credentials of another account: refused naming the SDK's identity and both accounts, nothing of either cloud registered", async () => {
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), (c.awsApis.caller = SANDBOX_CALLER));
        await assert.rejects(runProgram("prod", { setup }), (err: Error) => {
            assert.strictEqual(err.name, "ReadsOfAnotherAccount");
            assert.match(
                err.message,
                new RegExp(
                    "^the AWS SDK's default credentials \\(the environment's keys, AWS_PROFILE or AWS_DEFAULT_PROFILE, the machine's role\\) are arn:aws:sts::210987654321:assumed-role/sandbox-admin/laptop, " +
                        `of account 210987654321, but the AWS provider deploys to account ${FAKE_ACCOUNT_ID}: the reads of ECR, Lambda and KMS .* Run with the provider's identity in the environment`,
                ),
            );
            assert.doesNotMatch(err.message, /error serializing/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("in a preview too", async () => {
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), (c.awsApis.caller = SANDBOX_CALLER));
        await assert.rejects(runProgram("dev", { setup, preview: true }), { name: "ReadsOfAnotherAccount" });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("the SDK's credentials of the provider's account: STS asked once in the run, and the run goes on", async () => {
        const { cloud } = await committedStackRun("dev");
        assert.strictEqual(cloud.awsApis.requests.filter((r) => r.action === "GetCallerIdentity").length, 1);
        assert.ok(cloud.ofType("aws:lambda/function:Function").length > 0);
    });

    it("STS unreachable: the run stops before anything is registered, naming STS, the call and what to do", async () => {
        const before = process.env.AWS_ENDPOINT_URL_STS;
        const { message, port, cloud } = await failedWithAwsServiceUnreachable("dev", "AWS_ENDPOINT_URL_STS");
        // Put back as it was before the run, not left at the run's stand-in, whose later answers are another run's cloud's.
        assert.strictEqual(process.env.AWS_ENDPOINT_URL_STS, before);
        assert.match(
            message,
            new RegExp(
                "^could not ask STS in ap-northeast-1 whose the AWS SDK's default credentials are \\(GetCallerIdentity\\): " +
                    `Error: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}; run again once STS answers$`,
            ),
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});
