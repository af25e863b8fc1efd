import * as assert from "assert";
import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import { runUnderMocks } from "../../scripts/offline/mockCloud";
import { failedUpdate } from "./failedUpdate";

// Cloud Run refuses a service whose traffic names a revision it does not have, in the service operation's error:
// "Revision '<name>' does not exist or is deleted. Update all traffic to route to currently available revisions.",
// code 13, as the Google provider reported it on a create (terraform-google-modules/terraform-docs-samples#269;
// terraform-provider-google resource_cloud_run_v2_service.go and tpgresource common_operation.go for the layers).
// Before, the mock cloud took the service and its traffic.
describe("the mock cloud refuses a Cloud Run service's traffic to a revision Cloud Run does not have", () => {
    const service = (revision: string) => () =>
        new cloudrunv2.Service("service", {
            location: "asia-northeast1",
            template: { containers: [{ image: "asia-northeast1-docker.pkg.dev/p/r/service:1" }] },
            traffics: [
                { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision, percent: 90 },
                { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 10 },
            ],
        });
    const gone = "service-00007-abc";
    const words = `Error code 13, message: Revision '${gone}' does not exist or is deleted. Update all traffic to route to currently available revisions.`;

    it("in an update, with the provider's wait error, and the service is not recorded", async () => {
        const failure = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: (c) => c.cloudRun.deletedRevisions.add(gone) }, service(gone)),
            /^a resource was refused, which fails the update:\n {2}gcp:cloudrunv2\/service:Service::service: /,
        );
        assert.strictEqual(failure.cloud.refusedRegistrations[0].message, `Error waiting for Updating Service: ${words}`);
        assert.deepStrictEqual(failure.cloud.ofType("gcp:cloudrunv2/service:Service"), []);
    });

    it("in a fresh account, as the create's error", async () => {
        const failure = await failedUpdate(
            runUnderMocks({ stack: "prod", setup: (c) => ((c.freshAccount = true), c.cloudRun.deletedRevisions.add(gone)) }, service(gone)),
            /Error waiting to create Service/,
        );
        assert.strictEqual(failure.cloud.refusedRegistrations[0].message, `Error waiting to create Service: Error waiting for Creating Service: ${words}`);
    });

    it("a revision the fake Cloud Run has, and a preview (Cloud Run is not asked), are not refused", async () => {
        const { cloud } = await runUnderMocks({ stack: "prod" }, service(gone));
        assert.strictEqual(cloud.one("gcp:cloudrunv2/service:Service").inputs.traffics[0].revision, gone);
        const preview = await runUnderMocks({ stack: "prod", preview: true, setup: (c) => c.cloudRun.deletedRevisions.add(gone) }, service(gone));
        assert.strictEqual(preview.cloud.ofType("gcp:cloudrunv2/service:Service").length, 1);
    });
});
