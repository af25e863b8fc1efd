import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "../../config/stackFile";
import { CALL_ATTEMPT } from "../../components/httpAttempt";
import { MockCloud, runUnderMocks } from "../../scripts/offline/mockCloud";
import { apiAlreadyOn } from "../harness/enabledApis";
import { registeredTypes } from "../harness/registeredTypes";
import { silenceHost } from "../harness/silentHost";
import { SilentServer, startSilentServer } from "../harness/silentServer";
import { withSettings } from "../harness/stackConfig";

// Before: the checks before registration left every failed read to the component, one nobody answered too, though the
// component's read gets no answer either (getGoogleApi does not retry an attempt nobody answers). The run failed only
// once the component had registered its first resources (56 cloud resources under the mocks for the quota, 64 for the
// stable revision), its message behind the SDK's "error serializing property" chain.
describe("a Google read the checks before registration get no answer to fails the run before anything is registered", function () {
    this.timeout(60_000);
    let server: SilentServer;
    const saved = CALL_ATTEMPT.timeoutMs;
    before(async () => {
        server = await startSilentServer();
        CALL_ATTEMPT.timeoutMs = 300;
    });
    after(async () => {
        CALL_ATTEMPT.timeoutMs = saved;
        await server.stop();
    });

    /** prod from source (the CALL_ATTEMPT shortened here is its own) with `host` silent throughout: the run's error and cloud. */
    async function runWithSilentHost(host: string, run: { config: Record<string, string>; secretKeys?: string[]; setup: (cloud: MockCloud) => void }): Promise<{ message: string; cloud: MockCloud }> {
        let cloud: MockCloud | undefined;
        let restoreFetch = () => {};
        const program = require(path.join(PROJECT_ROOT, "index.ts")) as () => unknown;
        // Inside the program: the offline redirect to the stand-ins is in place by then, and the silenced host goes around it.
        const silencedProgram = () => ((restoreFetch = silenceHost(host, server)), program());
        const setup = (c: MockCloud) => ((cloud = c), run.setup(c));
        const message = await runUnderMocks({ stack: "prod", config: run.config, secretKeys: run.secretKeys, setup }, silencedProgram)
            .finally(() => restoreFetch())
            .then(
                () => assert.fail("the run went through"),
                (err: Error) => err.message,
            );
        return { message, cloud: cloud! };
    }

    it("Cloud Quotas (max instances against the region's quota): no resource registered; the error names the quota, the URL, the bound and what to do", async () => {
        const { message, cloud } = await runWithSilentHost("cloudquotas.googleapis.com", { ...readStackFile("prod"), setup: apiAlreadyOn("cloudquotas.googleapis.com") });
        assert.match(
            message,
            /^could not read Cloud Run's \w+ quota of project multicloud-service-prod: GET https:\/\/cloudquotas\.googleapis\.com\/v1\/projects\/multicloud-service-prod\/\S+ did not answer within 0\.3 s .*; run again once it answers$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });

    it("Cloud Run Admin (the canary's stable revision): no resource registered; the error names the revision, the URL, the bound and what to do", async () => {
        const canary = withSettings("prod", "gcp", { canary: { stableRevision: "multicloud-service-00007-abc", percent: 10 } });
        const { message, cloud } = await runWithSilentHost("asia-northeast1-run.googleapis.com", { config: canary, setup: apiAlreadyOn("run.googleapis.com") });
        assert.match(
            message,
            /^could not read Cloud Run revision multicloud-service-00007-abc \(multicloud-service-prod, asia-northeast1\): GET https:\/\/asia-northeast1-run\.googleapis\.com\/\S+\/revisions\/multicloud-service-00007-abc did not answer within 0\.3 s .*; run again once it answers$/,
        );
        assert.deepStrictEqual(registeredTypes(cloud), []);
    });
});
