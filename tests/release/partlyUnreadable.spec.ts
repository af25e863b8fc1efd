import * as assert from "assert";
import { runRelease } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import { TimeSeriesLister, cloudMonitoringSource } from "../../release/metrics/cloudMonitoringSource";
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
            await assert.rejects(
                release,
                new ReleaseError(
                    `aws: CloudWatch holds no metric alarm named ${WORKER} (stack output aws.apiAlarmNames or aws.pipelineAlarmNames): DescribeAlarms leaves out a name that names no alarm, so that gate could never fire. ` +
                        "An alarm deleted or renamed by hand is created again by `pulumi up --refresh` on the stack (the program declares it). " +
                        "Traffic stays where this step put it (10% to the new version), and running the release again goes on from this step; or roll back by hand; " +
                        "8 is not recorded as rolled back: create the missing alarm again (`pulumi up --refresh`), then run the release again",
                ),
            );
            assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10]);
        });
    });

    describe("Cloud Monitoring: one query of four unanswered", () => {
        // grpc-js's error for a status (call.js callErrorFromStatus: "<code> <NAME>: <details>"), as metricQueries.spec.ts has it.
        const timedOut = Object.assign(new Error("4 DEADLINE_EXCEEDED: Deadline exceeded"), { code: 4, details: "Deadline exceeded" });

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
