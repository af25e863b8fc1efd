import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { closedPortUrl } from "../harness/closedPort";
import { registeredTypes } from "../harness/registeredTypes";
import { SANDBOX_CALLER } from "../harness/sandboxCaller";


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
                    "^the AWS SDK's default credentials \\(the environment's keys, AWS_PROFILE, the machine's role\\) are arn:aws:sts::210987654321:assumed-role/sandbox-admin/laptop, " +
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
        const { cloud } = await runProgram("dev");
        assert.strictEqual(cloud.awsApis.requests.filter((r) => r.action === "GetCallerIdentity").length, 1);
        assert.ok(cloud.ofType("aws:lambda/function:Function").length > 0);
    });

    it("STS unreachable: the run stops before anything is registered, naming STS, the call and what to do", async () => {
        const closed = await closedPortUrl();
        let cloud: MockCloud | undefined;
        let saved: string | undefined;
        const program = require(path.join(PROJECT_ROOT, "index.ts")) as () => unknown;
        // Inside the program: the offline run has pointed the SDK at its stand-ins by then (cloudApiServer.ts); STS alone goes to a closed port.
        const redirected = () => ((saved = process.env.AWS_ENDPOINT_URL_STS), (process.env.AWS_ENDPOINT_URL_STS = closed), program());
        const message = await runUnderMocks({ ...readStackFile("dev"), stack: "dev", setup: (c) => (cloud = c) }, redirected)
            .finally(() => (saved === undefined ? delete process.env.AWS_ENDPOINT_URL_STS : (process.env.AWS_ENDPOINT_URL_STS = saved)))
            .then(
                () => assert.fail("the run went through"),
                (err: Error) => err.message,
            );
        assert.match(
            message,
            new RegExp(
                "^could not ask STS in ap-northeast-1 whose the AWS SDK's default credentials are \\(GetCallerIdentity\\): " +
                    `Error: connect ECONNREFUSED 127\\.0\\.0\\.1:${new URL(closed).port}; run again once STS answers$`,
            ),
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});
