import * as assert from "assert";
import { metricServiceClient } from "../../release/metrics/cloudMonitoringSource";

/**
 * Under `pulumi env run`, ESC's gcp-login sets GOOGLE_OAUTH_ACCESS_TOKEN, which application default credentials never
 * read; the release job itself sets none and reads with its workload identity (cloudMonitoringSource.ts).
 */
describe("release: Cloud Monitoring reads with the job's credentials", () => {
    it("with GOOGLE_OAUTH_ACCESS_TOKEN set, every request carries that token (application default credentials never read the variable)", async () => {
        const client = await metricServiceClient({ GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-job-token" });
        const headers = await client.auth.getRequestHeaders();
        const authorization = headers instanceof Headers ? headers.get("authorization") : (headers as Record<string, string>).Authorization;
        assert.strictEqual(authorization, "Bearer ya29.release-job-token");
    });
});
