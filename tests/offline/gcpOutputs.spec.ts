import * as assert from "assert";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { EARLIER_UPDATE, gcpOutputRules } from "../../scripts/offline/gcpOutputs";

/** The outputs the Cloud Run stand-in answers for a service named "service" deployed in `region`. */
function serviceIn(region: string): Record<string, any> {
    const world = new MockCloud({ aws: "ap-northeast-1", gcp: region }, "multicloud-service-prod");
    const type = "gcp:cloudrunv2/service:Service";
    return gcpOutputRules[type]({ type, name: "service", region, project: "multicloud-service-prod", createdAt: EARLIER_UPDATE, world, inputs: { name: "service", traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "service-00002-xyz", tag: "candidate" }] } });
}

describe("the Cloud Run stand-in's run.app URL", () => {
    // Codes as run.app URLs show them: ahmetb/runsd runsd/regions.go cloudRunRegionCodes; europe-west9 from
    // databutton/data-app-dns-service main.go REGION_LOOKUP_MAP.
    for (const [region, code] of [["asia-northeast1", "an"], ["us-central1", "uc"], ["europe-west1", "ew"], ["us-east1", "ue"], ["asia-southeast1", "as"], ["europe-west9", "od"]]) {
        it(`ends a service in ${region} in -${code}.a.run.app, its tagged URL too`, () => {
            const outputs = serviceIn(region);
            assert.match(outputs.uri, new RegExp(`^https://service-[a-z0-9]{10}-${code}\\.a\\.run\\.app$`));
            assert.match(outputs.trafficStatuses[0].uri, new RegExp(`^https://candidate---service-[a-z0-9]{10}-${code}\\.a\\.run\\.app$`));
        });
    }

    it("answers a region no public source gives a code for with the service's deterministic URL, not an invented code", () => {
        const outputs = serviceIn("europe-west10");
        assert.strictEqual(outputs.uri, "https://service-987654321098.europe-west10.run.app");
        assert.strictEqual(outputs.trafficStatuses[0].uri, "https://candidate---service-987654321098.europe-west10.run.app");
    });
});
