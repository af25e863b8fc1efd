import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { cloudAccess } from "../../release/main";
import { releasePlanFromConfig } from "../../release/settings";
import { useCloudApisInProcess } from "../../scripts/offline/cloudApiServer";
import { mockCloudFor } from "../../scripts/offline/mockCloud";
import { SANDBOX_CALLER } from "../harness/sandboxCaller";
import { FakeStack } from "./fakes";

// What release/main.ts hands a real release (the decision specs pass their own fakes instead): without `awsCaller` the
// release compares no account, and its probes and reads would go to whichever account the process's credentials are of.
describe("a real release's access to the clouds (release/main.ts cloudAccess)", function () {
    this.timeout(30_000);

    it("asks STS, in the region the stack's settings name, whose the process's AWS credentials are", async () => {
        const cloud = mockCloudFor(readStackFile("prod").config);
        cloud.awsApis.caller = SANDBOX_CALLER;
        const restore = await useCloudApisInProcess(cloud);
        try {
            // A region no program run of this process uses: the identity is kept once a run, per region (sdkIdentity).
            const plan = releasePlanFromConfig(new FakeStack("prod", undefined, (values) => (values["aws:region"] = "eu-north-1")).config, "prod");
            const access = await cloudAccess(plan);
            assert.ok(access.awsCaller, "the release is given the question of whose its AWS credentials are");
            assert.deepStrictEqual(await access.awsCaller(), { account: SANDBOX_CALLER.account, arn: SANDBOX_CALLER.arn });
            assert.strictEqual(cloud.awsApis.requests.filter((r) => r.service === "sts").length, 1);
        } finally {
            restore();
        }
    });
});
