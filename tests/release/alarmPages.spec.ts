import * as assert from "assert";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { AlarmState, FakeCloudWatch, startFakeCloudWatch } from "./fakeCloudWatch";

const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" };

/** `count` alarms named pipeline-alarm-000 onwards (so their order is their number), the `firing` ones in ALARM. */
function alarmsOf(count: number, firing: number[]): Record<string, AlarmState> {
    const name = (i: number) => `pipeline-alarm-${String(i).padStart(3, "0")}`;
    return Object.fromEntries(Array.from({ length: count }, (_, i) => [name(i), firing.includes(i) ? "ALARM" : "OK"]));
}

// Before: the source sent one DescribeAlarms with every name and no MaxRecords and read its first page, so an alarm
// past that page never counted, and more than 100 names broke the request's own model.
describe("the release's alarm gate reads every alarm, however many", () => {
    let cloudWatch: FakeCloudWatch | undefined;
    afterEach(async () => {
        await cloudWatch?.close();
        cloudWatch = undefined;
    });

    const read = async (alarms: Record<string, AlarmState>) => {
        cloudWatch = await startFakeCloudWatch(alarms);
        const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
        const target: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: Object.keys(alarms) };
        return (await cloudWatchSource("ap-northeast-1", 150, undefined, client)).read(target, window);
    };

    // Before: with no whole minute in the window there was no GetMetricData to ask, and the empty answer read as a shape
    // CloudWatch does not send ("no result for invocations"): the poll counted as unreadable, its alarms unjudged.
    it("a window without a whole minute asks no metric data and is no data, its alarms still read", async () => {
        cloudWatch = await startFakeCloudWatch(alarmsOf(2, [1]));
        const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
        const target: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: Object.keys(alarmsOf(2, [])) };
        const lessThanAMinute: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:10Z"), end: new Date("2025-01-01T00:00:50Z") };
        const sample = await (await cloudWatchSource("ap-northeast-1", 150, undefined, client)).read(target, lessThanAMinute);
        assert.deepStrictEqual(sample, { requests: 0, errors: 0, p95Ms: undefined, firingAlarms: ["pipeline-alarm-001"] });
        assert.deepStrictEqual(cloudWatch.getMetricData, []);
    });

    it("an alarm past a 50-alarm page fires the gate: the release asks for pages of 100", async () => {
        const sample = await read(alarmsOf(60, [55]));
        assert.deepStrictEqual(sample.firingAlarms, ["pipeline-alarm-055"]);
        assert.deepStrictEqual(cloudWatch!.outsideTheModel, []);
        // The release asks for up to 100 (MaxRecords), so this answer is one page; without MaxRecords it pages at the
        // fake's assumed 50, and the source follows the NextToken.
        assert.deepStrictEqual(cloudWatch!.describeAlarms.map((r) => [r.AlarmNames?.length, r.MaxRecords, r.NextToken]), [[60, 100, undefined]]);
    });

    it("more than 100 alarms are asked 100 names at a time, within DescribeAlarms' model, and every one is read", async () => {
        const sample = await read(alarmsOf(230, [3, 120, 229]));
        assert.deepStrictEqual(sample.firingAlarms.sort(), ["pipeline-alarm-003", "pipeline-alarm-120", "pipeline-alarm-229"]);
        assert.deepStrictEqual(cloudWatch!.outsideTheModel, []);
        // The batches are asked at once, so in any order.
        assert.deepStrictEqual(cloudWatch!.describeAlarms.map((r) => r.AlarmNames?.length).sort(), [100, 100, 30].sort());
    });

    it("a request is followed through its NextToken pages to the last", async () => {
        const { describeAllAlarms } = await import("../../release/metrics/describeAlarms");
        cloudWatch = await startFakeCloudWatch(alarmsOf(45, [44]));
        const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
        const alarms = (await describeAllAlarms(client, [{ AlarmNames: Object.keys(alarmsOf(45, [])), MaxRecords: 20 }])).flatMap((page) => page.MetricAlarms ?? []);
        assert.strictEqual(alarms.length, 45);
        assert.deepStrictEqual(
            alarms.filter((a) => a.StateValue === "ALARM").map((a) => a.AlarmName),
            ["pipeline-alarm-044"],
        );
        assert.deepStrictEqual(
            cloudWatch.describeAlarms.map((r) => r.NextToken === undefined),
            [true, false, false],
            "three pages of 20, 20 and 5",
        );
    });
});

// Before: DescribeAlarms leaves out a name that names no alarm, and the source read the alarms it got, so an alarm
// deleted by hand was a gate that could never fire, and the read passed as healthy.
describe("an alarm the stack names that CloudWatch does not hold", () => {
    it("stops the read as MetricsUnreadable naming the alarm, its stack output and how to create it again", async () => {
        const { deployedFromOutputs } = await import("../../release/stack/outputs");
        const { readOrUnreadable } = await import("../../release/bake");
        // One of the API's alarms deleted by hand: CloudWatch holds the other two.
        const cloudWatch = await startFakeCloudWatch({ "pipeline-api-error-rate-1a2b3c4": "OK", "pipeline-failed-executions-5d6e7f8": "OK" });
        try {
            const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
            const outputs = {
                aws: {
                    apiVersion: "8",
                    apiFunctionName: "pipeline-api-1234567",
                    apiAlarmNames: ["pipeline-api-error-rate-1a2b3c4", "pipeline-api-p95-duration-9a8b7c6"],
                    pipelineAlarmNames: ["pipeline-failed-executions-5d6e7f8"],
                },
            };
            const target = deployedFromOutputs(outputs).aws as DeployedTarget;
            const { unreadable } = await readOrUnreadable(await cloudWatchSource("ap-northeast-1", 150, undefined, client), target, window);
            assert.strictEqual(
                unreadable?.message,
                "CloudWatch holds no metric alarm named pipeline-api-p95-duration-9a8b7c6 (stack output aws.apiAlarmNames): DescribeAlarms leaves out a name that names no alarm, " +
                    "so that gate could never fire. An alarm deleted or renamed by hand is created again by `pulumi up --refresh` on the stack (the program declares it)",
            );
        } finally {
            await cloudWatch.close();
        }
    });
});

describe("the release's GetMetricData, as CloudWatch's model has it", () => {
    it("every query, the reserved concurrency's too, has an Id and a Period CloudWatch accepts; a metric with no data points is no data", async () => {
        const cloudWatch = await startFakeCloudWatch({});
        try {
            const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
            const target: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: [] };
            const sample = await (await cloudWatchSource("ap-northeast-1", 150, 100, client)).read(target, window);
            assert.deepStrictEqual(cloudWatch.outsideTheModel, []);
            assert.deepStrictEqual(cloudWatch.getMetricData.map((r) => r.MetricDataQueries.map((q: { Id: string }) => q.Id)), [["invocations", "errors", "serverErrors", "p95", "concurrency"]]);
            // Empty Values (CloudWatch has no data point to return), not zeros: no p95 and no utilization to judge.
            assert.deepStrictEqual(sample, { requests: 0, errors: 0, p95Ms: undefined, firingAlarms: [] });
        } finally {
            await cloudWatch.close();
        }
    });
});
