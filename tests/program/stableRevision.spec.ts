import * as assert from "assert";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { apiAlreadyOn } from "../harness/enabledApis";
import { registeredTypes } from "../harness/registeredTypes";
import { withSettings } from "../harness/stackConfig";

// Before: the stable revision was asked of Cloud Run only inside the Cloud Run component, so a canary naming a revision
// Cloud Run does not have failed the `up` once the AWS resources and GCP's APIs, accounts and grants had been made.
// Cloud Run's Admin API answers NOT_FOUND for it, and 403 SERVICE_DISABLED while run.googleapis.com is off
// (fakeCloudRunApi.ts).
describe("a canary's stable revision Cloud Run does not have is a settings error, before anything of either cloud is registered", function () {
    this.timeout(60_000);
    const STABLE = "multicloud-service-00007-abc";
    const canary = withSettings("prod", "gcp", { canary: { stableRevision: STABLE, percent: 10 } });
    /** prod's project with the Cloud Run Admin API on: an `up` after the first. */
    const runApiOn = apiAlreadyOn("run.googleapis.com");
    const deleted = (c: MockCloud) => c.cloudRun.deletedRevisions.add(STABLE);

    it("prod's canary naming a deleted revision: refused, naming the setting and how to list the revisions", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(runProgram("prod", { config: canary, setup: (c) => ((cloud = c), runApiOn(c), deleted(c)) }), (err: Error) => {
            assert.match(
                err.message,
                /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:gcp\.canary\.stableRevision: names revision multicloud-service-00007-abc, which Cloud Run does not have in multicloud-service-prod \(asia-northeast1\): it answers NOT_FOUND.*gcloud run revisions list --region asia-northeast1 --project multicloud-service-prod/,
            );
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
        assert.strictEqual(cloud!.cloudRun.requests.length, 1);
    });

    it("prod's canary naming a revision Cloud Run reports not ready (Ready False): refused as a setting too, since a rollback to it would serve nothing", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(runProgram("prod", { config: canary, setup: (c) => ((cloud = c), runApiOn(c), c.cloudRun.unreadyRevisions.add(STABLE)) }), (err: Error) => {
            assert.match(err.message, /^Stack "prod" has 1 invalid setting; nothing was deployed:\n {2}- multicloud-service:gcp\.canary\.stableRevision: names revision multicloud-service-00007-abc, which Cloud Run reports not ready/);
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("on a first up (the Admin API still off) its SERVICE_DISABLED is not waited out here: the component enables the API and refuses there", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(runProgram("prod", { config: canary, setup: (c) => ((cloud = c), deleted(c)) }), /canary\.stableRevision names revision multicloud-service-00007-abc, which Cloud Run does not have/);
        assert.ok(registeredTypes(cloud)!.includes("gcp:projects/service:Service"), "the component went on to enable the APIs");
        assert.deepStrictEqual(cloud!.waits.filter((ms) => ms === 10_000), [], "no wait for a just-enabled API at the program's read");
        assert.strictEqual(cloud!.cloudRun.requests.length, 2, "asked by the program (SERVICE_DISABLED), then by the component");
    });

    it("a revision Cloud Run has: deployed, Cloud Run asked once for the program's check and the component's, the provider's token once for all the checks", async () => {
        const { cloud } = await runProgram("prod", { config: canary, setup: runApiOn });
        const repository = cloud.one("gcp:artifactregistry/repository:Repository");
        assert.ok((repository.inputs.cleanupPolicies as { id: string }[]).some((p) => p.id === "keep-rollback-target"));
        assert.strictEqual(cloud.cloudRun.requests.length, 1);
        // One getClientConfig for the checks before anything is registered, whose token the component takes (it asked again before).
        assert.strictEqual(cloud.calls.filter((c) => c.token === "gcp:organizations/getClientConfig:getClientConfig").length, 1);
    });
});
