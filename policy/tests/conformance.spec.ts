import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { runProgram } from "../../scripts/offline/runProgram";
import { checkConformance } from "./conformance";

/** Dev's expected advisories (docs/policy.md): none today. A new one must be added here and there. */
const DEV_ADVISORIES: string[] = [];

describe("policy pack conformance: every rule against every resource of the programs", function () {
    this.timeout(60_000);

    it("prod has no violation under the prod pack config", async () => {
        const run = await runProgram("prod");
        assert.deepStrictEqual(await checkConformance(run.cloud.resources, require("../config/prod.json")), []);
    });

    it("dev has only the advisories docs/policy.md lists", async () => {
        const run = await runProgram("dev");
        const found = (await checkConformance(run.cloud.resources, require("../config/dev.json"))).map((v) => `${v.policy}: ${v.resource}`);
        assert.deepStrictEqual(found, DEV_ADVISORIES);
    });

    it("the check can fail: dev's settings (admin and debug on) judged as production are reported", async () => {
        const { config, secretKeys } = readStackFile("dev");
        const run = await runProgram("dev", { config, secretKeys });
        const found = await checkConformance(run.cloud.resources, require("../config/prod.json"));
        const admin = found.filter((v) => v.policy === "admin-and-debug-off-in-prod");
        assert.ok(admin.some((v) => v.resource === "aws:lambda/function:Function pipeline-api"), JSON.stringify(found));
        assert.ok(admin.some((v) => v.resource === "gcp:cloudrunv2/service:Service service"), JSON.stringify(found));
    });

    it("a public Cloud Run invoker in prod is reported unless the pack config opts in", async () => {
        const { config, secretKeys } = readStackFile("prod");
        const gcp = { ...JSON.parse(config["multicloud-service:gcp"]), publicInvoker: true, allowPublicInvokerInProd: true };
        const run = await runProgram("prod", { config: { ...config, "multicloud-service:gcp": JSON.stringify(gcp) }, secretKeys });
        const strict = await checkConformance(run.cloud.resources, require("../config/prod.json"));
        assert.deepStrictEqual(strict.map((v) => v.policy), ["no-public-iam-members"]);
        const optedIn = await checkConformance(run.cloud.resources, { ...require("../config/prod.json"), "no-public-iam-members": { environment: "prod", allowPublicCloudRun: true } });
        assert.deepStrictEqual(optedIn, []);
    });
});
