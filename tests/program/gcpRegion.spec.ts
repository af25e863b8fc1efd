import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { apiAlreadyOn } from "../harness/enabledApis";
import { registeredTypes } from "../harness/registeredTypes";

// Before: gcp:region was checked for its shape only (config/schema.ts), so a region Google does not have
// (europe-west13) passed, and the first `up` failed at the first regional GCP create, after the AWS side and the GCP
// APIs, accounts and secrets were made. Cloud Run's locations list (run.googleapis.com v1 projects.locations.list) is
// now asked before anything is registered; the stand-in answers it as fakeCloudRunApi.ts describes, 403
// SERVICE_DISABLED while the Admin API is off.
describe("gcp:region is checked against Cloud Run's locations before anything of either cloud is registered", function () {
    this.timeout(60_000);
    const inRegion = (region: string) => ({ ...readStackFile("dev").config, "gcp:region": region });
    const runApiOn = apiAlreadyOn("run.googleapis.com");

    it("a region Google does not have (europe-west13): refused, naming gcp:region and where the regions are listed", async () => {
        let cloud: MockCloud | undefined;
        await assert.rejects(runProgram("dev", { config: inRegion("europe-west13"), setup: (c) => ((cloud = c), runApiOn(c)) }), (err: Error) => {
            assert.match(
                err.message,
                /^Stack "dev" has 1 invalid setting; nothing was deployed:\n {2}- gcp:region: is europe-west13, which Cloud Run does not offer project multicloud-service-dev .*https:\/\/cloud\.google\.com\/run\/docs\/locations \(gcloud run regions list\)$/,
            );
            return true;
        });
        assert.deepStrictEqual(registeredTypes(cloud), []);
        assert.strictEqual(cloud!.cloudRun.locationRequests.length, 1);
    });

    it("a region Google opened after any list kept here (one the locations list names): deployed", async () => {
        const { cloud } = await runProgram("dev", { config: inRegion("europe-north2"), setup: (c) => (runApiOn(c), c.cloudRun.locations.add("europe-north2")) });
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.location, "europe-north2");
    });

    it("on a first up (the Admin API still off) the list's SERVICE_DISABLED is not waited out or held against the region: the run goes on", async () => {
        const { cloud } = await runProgram("dev", { config: inRegion("asia-northeast1") });
        assert.strictEqual(cloud.cloudRun.locationRequests.length, 1);
        assert.ok(registeredTypes(cloud)!.includes("gcp:cloudrunv2/service:Service"));
    });
});
