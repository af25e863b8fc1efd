import * as assert from "assert";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { registeredTypes } from "../harness/registeredTypes";
import { withAwsSettings } from "../harness/stackConfig";

// Before: the reservation was checked inside the API function's inputs, so a real `up` had made the bucket, the roles,
// the repository and the other cloud's resources before the refusal, which came among the errors of everything that
// waited for the function ("error serializing property ..."). The account's limit is GetAccountSettings'
// AccountLimit.ConcurrentExecutions (Lambda API reference); a new account's is often 10.
describe("a reservation the AWS account cannot grant is a settings error, before anything of either cloud is registered", function () {
    this.timeout(60_000);

    it("prod's reservation of 100 in an account whose limit is 10", async () => {
        let cloud: MockCloud | undefined;
        const setup = (c: MockCloud) => ((cloud = c), (c.awsApis.concurrencyLimit = 10));
        await assert.rejects(runProgram("prod", { setup }), (err: Error) => {
            assert.match(
                err.message,
                /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:aws\.reservedConcurrency: reserved concurrency 100 would leave less than 10 of this account's 10 concurrent executions unreserved in \S+, which Lambda refuses/,
            );
            assert.doesNotMatch(err.message, /error serializing/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    // Before: the first check to fail was the only one reported; a settings error lists every problem at once.
    it("with a prebuilt image the stack cannot run too: both in one settings error", async () => {
        const image = `111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/svc@sha256:${"a".repeat(64)}`;
        await assert.rejects(runProgram("prod", { config: withAwsSettings("prod", { image }), setup: (c) => (c.awsApis.concurrencyLimit = 10) }), (err: Error) => {
            assert.match(err.message, /^Stack "prod" has 2 invalid settings; nothing was deployed:/);
            assert.match(err.message, /multicloud-service:aws\.image: must be in this stack's AWS account/);
            assert.match(err.message, /multicloud-service:aws\.reservedConcurrency: reserved concurrency 100 would leave less than 10/);
            return true;
        });
    });

    it("an account that can grant it: nothing refused", async () => {
        const { cloud } = await runProgram("prod", { setup: (c) => (c.awsApis.concurrencyLimit = 1000) });
        assert.ok(cloud.ofType("aws:lambda/function:Function").length > 0);
    });
});
