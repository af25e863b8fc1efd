import * as assert from "assert";
import { MockCloud } from "../../scripts/offline/mockCloud";
import { serveCloudApis, stopServingEngine } from "../../scripts/offline/cloudApiServer";

const PROJECT = "multicloud-service-prod";
const TAG_URL = `/google/artifactregistry.googleapis.com/v1/projects/${PROJECT}/locations/asia-northeast1/repositories/service-registry-prod/packages/service/tags/c-000000000000000000000000`;

/** A cloud for the prod stack whose Artifact Registry API is enabled, as every fake engine of a prod run has one. */
function prodCloud(): MockCloud {
    const cloud = new MockCloud({ aws: "ap-northeast-1", gcp: "asia-northeast1" }, PROJECT);
    cloud.artifactRegistry.enabledApis.add(`${PROJECT}/artifactregistry.googleapis.com`);
    return cloud;
}

/**
 * The loopback server that stands in for the clouds' APIs serves every fake engine of a mocha worker. Engines of the
 * same stack, one after another in a worker (the plugin's construct, then Pulumi's runner), own the same registries:
 * the later engine's processes must reach the later engine's cloud. Answered from the first, the runner's prod run
 * waited for an image that cloud had never been told of, and mocha timed it out.
 */
describe("the clouds' APIs on loopback, for several fake engines in one process", () => {
    it("answers an engine's process from that engine's cloud, even when an earlier engine's cloud owns the same project", async () => {
        const earlier = prodCloud();
        const earlierUrl = await serveCloudApis(earlier, { forEngine: true });
        const later = prodCloud();
        const laterUrl = await serveCloudApis(later, { forEngine: true });
        try {
            await fetch(`${laterUrl}${TAG_URL}`);
            assert.strictEqual(later.artifactRegistry.requests.length, 1, "asked of the later engine's cloud");
            assert.strictEqual(earlier.artifactRegistry.requests.length, 0, "not of the earlier one's");
        } finally {
            stopServingEngine(earlierUrl);
            stopServingEngine(laterUrl);
        }
    });

    it("stops answering for an engine once it has stopped (503), and gives the next engine a path of its own", async () => {
        const stopped = prodCloud();
        const stoppedUrl = await serveCloudApis(stopped, { forEngine: true });
        stopServingEngine(stoppedUrl);
        const running = prodCloud();
        const runningUrl = await serveCloudApis(running, { forEngine: true });
        try {
            assert.notStrictEqual(runningUrl, stoppedUrl);
            // A process still holding the stopped engine's path is answered by no cloud, not a running engine's.
            const answer = await fetch(`${stoppedUrl}${TAG_URL}`);
            assert.strictEqual(answer.status, 503);
            assert.deepStrictEqual([stopped.artifactRegistry.requests.length, running.artifactRegistry.requests.length], [0, 0]);
        } finally {
            stopServingEngine(runningUrl);
        }
    });
});
