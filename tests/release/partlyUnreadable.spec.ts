import * as assert from "assert";
import type { protos } from "@google-cloud/monitoring";
import { runRelease } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import { TimeSeriesLister, cloudMonitoringSource } from "../../release/metrics/cloudMonitoringSource";
import { UTILIZATION_METRICS } from "../../release/metrics/cloudMonitoring";
import { MetricSource, MetricsUnreadable } from "../../release/metrics/metricSource";
import { wholeOrReadSoFar } from "../../release/metrics/partsRead";
import { readOrUnreadable } from "../../release/bake";
import { BakeWindow, DeployedTarget, Sample } from "../../release/types";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { AlarmState, FakeCloudWatch, startFakeCloudWatch } from "./fakeCloudWatch";
import { FakeStack, HEALTHY, depsFor, fakeMetrics } from "./fakes";
import { asTheClientHandsIt, requestCountSeries } from "./monitoringClient";

// Before: a read made of parts read at once (CloudWatch's GetMetricData and DescribeAlarms; Cloud Monitoring's four
// queries) was unreadable as a whole when one part was, so a breach or an alarm in ALARM read in that same poll went
// unseen, and the canary kept its traffic until UNREADABLE_POLLS_TO_STOP stopped the release where it was.

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" };
const AWS_WEIGHT = "multicloud-service:aws.canary.weightPercent";
/** FakeStack's API and pipeline alarms (its deployed aws.alarms). */
const ERROR_RATE = "pipeline-api-error-rate-abc";
const WORKER = "pipeline-worker-error-rate-def";
const FAILED_EXECUTIONS = "pipeline-failed-executions-0ff";

describe("a poll whose read is partly unreadable still rolls back on what it did read", () => {
    describe("CloudWatch: an alarm deleted by hand mid-bake", () => {
        let cloudWatch: FakeCloudWatch | undefined;
        afterEach(async () => {
            await cloudWatch?.close();
            cloudWatch = undefined;
        });

        /**
         * The release with AWS's metrics read from fake CloudWatch through the SDK: every alarm OK at the check before
         * traffic, `afterwards` from the first poll on (an alarm left out: deleted by hand, as DescribeAlarms leaves out
         * a name that names no alarm); GetMetricData answers `figures` for each query, or no data points.
         */
        async function releaseWith(afterwards: Record<string, AlarmState>, figures?: Record<string, number>) {
            const before: Record<string, AlarmState> = { [ERROR_RATE]: "OK", [WORKER]: "OK", [FAILED_EXECUTIONS]: "OK" };
            const fake: FakeCloudWatch = await startFakeCloudWatch(before, {
                alarmPages: (input) => {
                    const alarms = fake.describeAlarms.length > 1 ? afterwards : before;
                    return { MetricAlarms: (input.AlarmNames ?? []).filter((name: string) => name in alarms).map((AlarmName: string) => ({ AlarmName, StateValue: alarms[AlarmName] })) };
                },
                ...(figures && {
                    metricData: (input) => ({
                        MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({ Id: q.Id, Label: q.Id, Timestamps: [input.StartTime], Values: [figures[q.Id]], StatusCode: "Complete" })),
                        Messages: [],
                    }),
                }),
            });
            cloudWatch = fake;
            const client = await cloudWatchClient("ap-northeast-1", { endpoint: fake.endpoint, credentials: CREDENTIALS });
            const stack = new FakeStack();
            const metrics = { aws: await cloudWatchSource("ap-northeast-1", 150, undefined, client), gcp: fakeMetrics(() => HEALTHY).metrics.gcp };
            return { stack, release: runRelease(depsFor(stack, metrics)) };
        }

        it("errors over 5 % read in the same poll roll back at once", async () => {
            const { stack, release } = await releaseWith({ [ERROR_RATE]: "OK", [FAILED_EXECUTIONS]: "OK" }, { invocations: 400, errors: 40, serverErrors: 0, p95: 200 });
            const outcome = await release;
            assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate, outcome.value], ["rolled-back", 10, "aws", "aws.alarms.errorRatePercent", 10]);
            assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 0]);
        });

        it("an alarm in ALARM read in the same poll rolls back at once", async () => {
            const { stack, release } = await releaseWith({ [ERROR_RATE]: "ALARM", [FAILED_EXECUTIONS]: "OK" });
            const outcome = await release;
            assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate], ["rolled-back", 10, "aws", `alarm:${ERROR_RATE}`]);
            assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 0]);
        });

        it("the missing alarm alone is unreadable: the release stops with traffic where it is, naming it and how to create it again (the 3 polls in a row: decision.spec)", async () => {
            const { stack, release } = await releaseWith({ [ERROR_RATE]: "OK", [FAILED_EXECUTIONS]: "OK" });
            // Before: the cause's sentence and the remedy each said the command.
            const stopped = await release.then(String, (err: Error) => err.message);
            assert.strictEqual(stopped.split("`pulumi up --refresh`").length - 1, 1, stopped);
            await assert.rejects(
                release,
                new ReleaseError(
                    `aws: CloudWatch holds no metric alarm named ${WORKER} (stack output aws.apiAlarmNames or aws.pipelineAlarmNames): DescribeAlarms leaves out a name that names no alarm, so that gate could never fire. ` +
                        "An alarm deleted or renamed by hand is created again by `pulumi up --refresh` on the stack (the program declares it). " +
                        "Traffic stays where this step put it (10% to the new version), and running the release again goes on from this step; or roll back by hand; " +
                        "8 is not recorded as rolled back: create the missing alarm again with that up, then run the release again",
                ),
            );
            assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10]);
        });
    });

    describe("Cloud Monitoring: one query of four unanswered", () => {
        // @grpc/grpc-js 1.14's error when a connected call's deadline passes: call.js callErrorFromStatus's "<code> <NAME>:
        // <details>", the details as resolving-call.js's deadline timer and the calls under it (load-balancing-call.js,
        // subchannel-call.js getDeadlineInfo) put them.
        const details = "Deadline exceeded after 30.001s,name resolution: 0.003s,metadata filters: 0.001s,LB pick: 0.001s,remote_addr=142.250.196.106:443";
        const timedOut = Object.assign(new Error(`4 DEADLINE_EXCEEDED: ${details}`), { code: 4, details });

        /**
         * request_count with 50 5xx of 200 (25 %), as an ALIGN_DELTA + REDUCE_SUM list returns it (monitoringClient.ts
         * requestCountSeries); the other metrics without points (no series); CPU utilization's list timing out from the
         * first poll on (its first call is the check before traffic).
         */
        function breachingWithCpuTimingOut(): TimeSeriesLister {
            let cpuCalls = 0;
            return {
                async listTimeSeries(request) {
                    const filter = String(request.filter);
                    if (filter.includes("cpu/utilizations") && ++cpuCalls > 1) throw timedOut;
                    const count = (codeClass: string, n: number) => requestCountSeries(codeClass, n, request.interval);
                    const timeSeries = filter.includes("request_count") ? [count("2xx", 150), count("5xx", 50)] : [];
                    const response = await asTheClientHandsIt("ListTimeSeriesResponse", { timeSeries, nextPageToken: "", executionErrors: [] });
                    return [response.timeSeries ?? [], null, response];
                },
            };
        }

        it("5xx over 5 % read in the same poll roll back at once", async () => {
            const stack = new FakeStack();
            const metrics = { aws: fakeMetrics(() => HEALTHY).metrics.aws, gcp: await cloudMonitoringSource("multicloud-service-prod", {}, breachingWithCpuTimingOut()) };
            const outcome = await runRelease(depsFor(stack, metrics));
            assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate], ["rolled-back", 10, "gcp", "gcp.alerts.errorRatePercent"]);
            // 50 of the 200, less the release's own health checks that succeeded (withoutOwnRequests).
            assert.ok(Number(outcome.value) >= 25 && Number(outcome.value) < 26, String(outcome.value));
            assert.strictEqual(stack.setting("gcp").canary.percent, 0);
        });
    });
});

describe("a read's parts joined (partsRead.ts) and judged (bake.ts readOrUnreadable)", () => {
    const cloudRun: DeployedTarget = { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [] };
    const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
    // grpc-js's error for a status (call.js callErrorFromStatus: "<code> <NAME>: <details>"), as metricQueries.spec.ts has it.
    const denied = Object.assign(new Error("7 PERMISSION_DENIED: Permission monitoring.timeSeries.list denied (or the resource may not exist)."), { code: 7, details: "Permission monitoring.timeSeries.list denied (or the resource may not exist)." });

    /**
     * Each of the four queries answered as its reduced list returns it (one point for the one alignment period): 150 2xx
     * and 50 5xx (monitoringClient.ts requestCountSeries), a p95 of 412.5 ms, CPU and memory p99 utilization of 0.5 and
     * 0.935; the metrics in `refused` denied.
     */
    function fourQueries(...refused: string[]): TimeSeriesLister {
        const doubleSeries = (request: protos.google.monitoring.v3.IListTimeSeriesRequest, type: string, doubleValue: number | undefined): protos.google.monitoring.v3.ITimeSeries => ({
            metric: { type, labels: {} },
            resource: { type: "cloud_run_revision", labels: { project_id: "multicloud-service-prod" } },
            metricKind: "DELTA",
            valueType: "DOUBLE",
            points: [{ interval: request.interval, value: { doubleValue } }],
        });
        return {
            async listTimeSeries(request) {
                const type = /metric\.type = "([^"]+)"/.exec(String(request.filter))![1];
                if (refused.includes(type)) throw denied;
                const timeSeries = type.endsWith("request_count")
                    ? [requestCountSeries("2xx", 150, request.interval), requestCountSeries("5xx", 50, request.interval)]
                    : [doubleSeries(request, type, { "run.googleapis.com/request_latencies": 412.5, [UTILIZATION_METRICS[0]]: 0.5, [UTILIZATION_METRICS[1]]: 0.935 }[type])];
                const response = await asTheClientHandsIt("ListTimeSeriesResponse", { timeSeries, nextPageToken: "", executionErrors: [] });
                return [response.timeSeries ?? [], null, response];
            },
        };
    }
    const utilization = [
        { metric: `${UTILIZATION_METRICS[0]} p99`, percent: 50 },
        { metric: `${UTILIZATION_METRICS[1]} p99`, percent: 93.5 },
    ];

    it("Cloud Monitoring's four queries are one sample: the counts, the p95 and each utilization", async () => {
        const sample = await (await cloudMonitoringSource("multicloud-service-prod", {}, fourQueries())).read(cloudRun, window);
        assert.deepStrictEqual(sample, { requests: 200, errors: 50, p95Ms: 412.5, firingAlarms: [], utilization });
    });

    it("queries refused: the first refused in the parts' order names it, its cause kept, with what the others read", async () => {
        const source = await cloudMonitoringSource("multicloud-service-prod", {}, fourQueries("run.googleapis.com/request_latencies", "run.googleapis.com/request_count"));
        await assert.rejects(source.read(cloudRun, window), (err: Error) => {
            assert.ok(err instanceof MetricsUnreadable, String(err));
            assert.strictEqual(err.message, `Cloud Monitoring did not answer timeSeries.list of run.googleapis.com/request_count: ${denied.message}`);
            assert.strictEqual(err.cause, denied);
            assert.deepStrictEqual(err.readSoFar, { requests: 0, errors: 0, p95Ms: undefined, firingAlarms: [], utilization });
            return true;
        });
    });

    it("a part that fails other than MetricsUnreadable is the release's own fault: thrown as it came, not a poll unreadable", () => {
        const fault = new TypeError("Cannot read properties of undefined (reading 'points')");
        const unread = new MetricsUnreadable("CloudWatch did not answer DescribeAlarms: Throttling: Rate exceeded");
        assert.throws(() => wholeOrReadSoFar([{ status: "rejected", reason: unread }, { status: "rejected", reason: fault }]), (err) => err === fault);
    });

    it("what an unreadable read did read is judged only when each figure is a number; else the poll is no data", async () => {
        const unreadable = (readSoFar: Sample): MetricSource => ({ ingestionDelaySeconds: 0, read: () => Promise.reject(new MetricsUnreadable("a part unread", { readSoFar })) });
        const breach: Sample = { requests: 400, errors: 40, p95Ms: 200, firingAlarms: [] };
        assert.deepStrictEqual((await readOrUnreadable(unreadable(breach), cloudRun, window)).sample, breach);
        // Infinity compares greater than every threshold, NaN with nothing: neither is a figure to roll back or promote on.
        for (const p95Ms of [Infinity, NaN]) {
            const read = await readOrUnreadable(unreadable({ ...breach, p95Ms }), cloudRun, window);
            assert.deepStrictEqual([read.sample, read.unreadable?.message], [{ requests: 0, errors: 0, firingAlarms: [] }, "a part unread"]);
        }
    });
});
