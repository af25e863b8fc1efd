import * as assert from "assert";
import { metricServiceClient } from "../../release/metrics/cloudMonitoringSource";
import { withProcessEnvironment } from "../../scripts/offline/environment";
import { noGoogleProjectBehindProxy } from "../harness/noGoogleProjectBehindProxy";
import { withUserAdc } from "../harness/userAdc";

/**
 * Under `pulumi env run`, ESC's gcp-login sets GOOGLE_OAUTH_ACCESS_TOKEN, which application default credentials never
 * read; the release job itself sets none and reads with its workload identity (cloudMonitoringSource.ts).
 */
describe("release: Cloud Monitoring reads with the job's credentials", () => {
    it("with GOOGLE_OAUTH_ACCESS_TOKEN set, every request carries that token (application default credentials never read the variable)", async () => {
        const client = await metricServiceClient("multicloud-prod", { GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.release-job-token" });
        const headers = await client.auth.getRequestHeaders();
        const authorization = headers instanceof Headers ? headers.get("authorization") : (headers as Record<string, string>).Authorization;
        assert.strictEqual(authorization, "Bearer ya29.release-job-token");
    });

    // The client's first call makes its stub (google-gax grpc.js createStub: auth.getUniverseDomain, _getCredentials),
    // which asks GoogleAuth for its client, and GoogleAuth looked its project up first (googleauth.js
    // #prepareAndCacheClient, findAndCacheProjectId) where GOOGLE_CLOUD_PROJECT is unset, as on a laptop's
    // `env -u GOOGLE_OAUTH_ACCESS_TOKEN npm run release` (docs/releases.md): `gcloud config config-helper`, then the
    // metadata server (4 tries, through HTTPS_PROXY too); for a federation file without it, Cloud Resource Manager.
    it("application default credentials without GOOGLE_CLOUD_PROJECT: the client's stub is made with the stack's project, without asking gcloud or the metadata server", async () => {
        const { environment: laptop, gcloud, proxy } = await noGoogleProjectBehindProxy();
        try {
            const said = await withProcessEnvironment(laptop, () =>
                withUserAdc({}, async () => {
                    const client = await metricServiceClient("multicloud-prod", {});
                    try {
                        const stub = await client.initialize().then(() => "made", (err: Error) => `rejected: ${err.message}`);
                        const project = await client.getProjectId().catch((err: Error) => `rejected: ${err.message}`);
                        return { stub, project, gcloudRuns: gcloud.runs(), throughProxy: proxy.passed };
                    } finally {
                        await client.close();
                    }
                }),
            );
            assert.deepStrictEqual(said, { stub: "made", project: "multicloud-prod", gcloudRuns: [], throughProxy: [] });
        } finally {
            await proxy.stop();
        }
    });
});
