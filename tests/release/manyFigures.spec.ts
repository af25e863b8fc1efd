import * as assert from "assert";
import { sampleFromMetricData } from "../../release/metrics/cloudWatch";
import { sampleFromTimeSeries, utilizationFromTimeSeries } from "../../release/metrics/cloudMonitoring";
import { versionLatencies } from "../../release/probe/load";

// Before: each took its largest or smallest figure with Math.max(...values), which throws "RangeError: Maximum call
// stack size exceeded" past about 125,000 arguments.
describe("figures of any count: a worst or least value of 200,000", () => {
    const COUNT = 200_000;
    const figures = Array.from({ length: COUNT }, (_, i) => i % 1000);
    figures[COUNT - 7] = 4321;

    it("CloudWatch GetMetricData: the worst p95 and the peak concurrency", () => {
        const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000);
        const result = (Id: string, Values: number[]) => ({ Id, Timestamps: Values.map((_, i) => at(i)), Values, StatusCode: "Complete" as const });
        const page = { MetricDataResults: [result("invocations", [900]), result("errors", [0]), result("serverErrors", []), result("p95", figures), result("concurrency", figures)], Messages: [] };
        const sample = sampleFromMetricData([page], 10_000);
        assert.strictEqual(sample.p95Ms, 4321);
        assert.strictEqual(sample.utilization?.[0].percent, 43.21);
    });

    it("Cloud Monitoring timeSeries.list: the worst p95 and the peak utilization", () => {
        const series = [{ points: figures.map((doubleValue) => ({ value: { doubleValue: doubleValue / 10_000 } })) }];
        assert.strictEqual(sampleFromTimeSeries([], series).p95Ms, 0.4321);
        assert.strictEqual(utilizationFromTimeSeries({ "run.googleapis.com/container/cpu/utilizations": series })[0].percent, 43.21);
    });

    it("the verification load's answers: the least time spent outside the service", () => {
        const answers = figures.map((serviceMs) => ({ isHealth: false, roundTrip: 5000, serviceMs }));
        assert.strictEqual(versionLatencies(answers).networkMs, 5000 - 4321);
    });
});
