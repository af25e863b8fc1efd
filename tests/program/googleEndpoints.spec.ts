import * as assert from "assert";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { runProgram } from "../../scripts/offline/runProgram";
import { registeredTypes } from "../harness/registeredTypes";

// Before: a shell left with an emulator's GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT ran `pulumi up` on: the GCP provider reads
// that variable when the provider names no endpoint, as the program's does (terraform-provider-google
// google/transport/config.go, SetEndpointDefaults), so the Cloud Run service went to the emulator, while the program's
// own reads (Cloud Run's locations, revisions) asked run.googleapis.com, as the stand-in's record below shows.
describe("a GOOGLE_<PRODUCT>_CUSTOM_ENDPOINT that is not Google's stops the run before anything is registered", function () {
    this.timeout(60_000);
    const EMULATOR = "http://127.0.0.1:8085/v2/";

    it("Cloud Run v2's at an emulator: refused, naming the variable and how to run without it; the program's reads went to run.googleapis.com", async () => {
        let cloud: MockCloud | undefined;
        await withProcessEnvironment({ GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: EMULATOR }, () =>
            assert.rejects(runProgram("dev", { setup: (c) => (cloud = c) }), (err: Error) => {
                assert.match(
                    err.message,
                    /^Stack "dev" has 1 invalid setting; nothing was deployed:\n {2}- GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: is set \(http:\/\/127\.0\.0\.1:8085\/v2\/\): the GCP provider sends that product's calls there .* Run without it \(env -u GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT pulumi up\)$/,
                );
                return true;
            }),
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
        assert.deepStrictEqual(cloud!.cloudRun.locationRequests.map((r) => new URL(r.url).hostname), ["run.googleapis.com"]);
    });

    it("a Private Service Connect endpoint (a googleapis.com host) reaches the same service: the run goes on", async () => {
        const { cloud } = await withProcessEnvironment({ GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: "https://run-vpc1.p.googleapis.com/v2/" }, () => runProgram("dev"));
        assert.ok(registeredTypes(cloud)!.includes("gcp:cloudrunv2/service:Service"));
    });
});
