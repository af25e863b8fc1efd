import * as assert from "assert";
import { metricServiceClient } from "../../release/metrics/cloudMonitoringSource";

/** The release job's only Google credential is ESC gcp-login's access token (deployments/escEnvironments.ts). */
describe("release: Cloud Monitoring reads with the job's credentials", () => {
    it("with GOOGLE_OAUTH_ACCESS_TOKEN set, every request carries that token (application default credentials never read the variable)", async () => {
        const client = await metricServiceClient({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-job-token" });
        const headers = await client.auth.getRequestHeaders();
        const authorization = headers instanceof Headers ? headers.get("authorization") : (headers as Record<string, string>).Authorization;
        assert.strictEqual(authorization, "Bearer ya29.release-job-token");
    });
});
