import * as assert from "assert";
import { readOrUnreadable } from "../../release/bake";
import { TimeSeriesLister, cloudMonitoringSource } from "../../release/metrics/cloudMonitoringSource";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { MOST_PAGES } from "../../components/pageLimit";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { startFakeCloudWatch } from "./fakeCloudWatch";
import { asTheClientHandsIt } from "./monitoringClient";

const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };

// Before: the reads followed every next page, so a cloud (or a stand-in) that always answers one kept the release
// reading for ever: these timed out.
describe("a read whose answer always names a next page stops, naming the call", function () {
    this.timeout(5_000);

    it("CloudWatch GetMetricData: MetricsUnreadable after MOST_PAGES pages", async () => {
        let page = 0;
        // Each query PartialData on every page, as CloudWatch answers while there are more (API reference, MetricDataResult).
        const cloudWatch = await startFakeCloudWatch({}, {
            metricData: (input) => ({ MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({ Id: q.Id, Label: q.Id, Timestamps: [], Values: [], StatusCode: "PartialData" })), Messages: [], NextToken: `page-${++page}` }),
        });
        try {
            const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
            const target: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: [] };
            const { unreadable } = await readOrUnreadable(await cloudWatchSource("ap-northeast-1", 150, undefined, client), target, window);
            assert.strictEqual(
                unreadable?.message,
                `CloudWatch did not answer GetMetricData: PagingWithoutEnd: GetMetricData answered a next page on each of ${MOST_PAGES} pages, where the release's read fits in a few: the release stops reading it rather than follow it for ever`,
            );
            assert.strictEqual(cloudWatch.getMetricData.length, MOST_PAGES);
        } finally {
            await cloudWatch.close();
        }
    });

    it("CloudWatch GetMetricData: the same NextToken again stops at once", async () => {
        const cloudWatch = await startFakeCloudWatch({}, { metricData: () => ({ MetricDataResults: [], Messages: [], NextToken: "same-token" }) });
        try {
            const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" } });
            const target: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: [] };
            const { unreadable } = await readOrUnreadable(await cloudWatchSource("ap-northeast-1", 150, undefined, client), target, window);
            assert.match(unreadable?.message ?? "", /GetMetricData answered the next page token "same-token" a second time/);
            assert.strictEqual(cloudWatch.getMetricData.length, 2);
        } finally {
            await cloudWatch.close();
        }
    });

    it("Cloud Monitoring timeSeries.list: MetricsUnreadable after MOST_PAGES pages", async () => {
        let pages = 0;
        const lister: TimeSeriesLister = {
            async listTimeSeries(request) {
                pages++;
                // Another macrotask each page, as a network answer is (a loop of resolved promises alone would starve the timers).
                await new Promise((resolve) => setImmediate(resolve));
                const nextPageToken = `token-${pages}`;
                const response = await asTheClientHandsIt("ListTimeSeriesResponse", { timeSeries: [], nextPageToken, executionErrors: [] });
                return [[], { ...request, pageToken: nextPageToken }, response];
            },
        };
        const target: DeployedTarget = { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [] };
        const { unreadable } = await readOrUnreadable(await cloudMonitoringSource("multicloud-service-prod", {}, lister), target, window);
        assert.match(unreadable?.message ?? "", new RegExp(`^Cloud Monitoring's timeSeries.list of run\\.googleapis\\.com/\\S+ answered a next page on each of ${MOST_PAGES} pages, where the release's read fits in a few`));
        // Four reads at once, each stopped at its MOST_PAGES-th page (the others may finish theirs before the first rejects).
        assert.ok(pages >= MOST_PAGES && pages <= 4 * MOST_PAGES, String(pages));
    });
});
