import * as assert from "assert";
import * as fc from "fast-check";
import type { protos } from "@google-cloud/monitoring";
import { readOrUnreadable } from "../../release/bake";
import { Verdict, judge } from "../../release/gates";
import { UTILIZATION_METRICS } from "../../release/metrics/cloudMonitoring";
import { TimeSeriesLister, cloudMonitoringSource } from "../../release/metrics/cloudMonitoringSource";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import type { MetricsUnreadable } from "../../release/metrics/metricSource";
import { CloudGates } from "../../release/settings";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { startFakeCloudWatch } from "./fakeCloudWatch";
import { asTheClientHandsIt } from "./monitoringClient";

/**
 * The metric answers the bake's gates decide on, every shape the clouds send and some they should not, read as a poll
 * reads them (source.read, then bake.ts readOrUnreadable, then gates.ts judge). Properties: nothing but the release's
 * own MetricsUnreadable, naming the metric, ever comes out of a read; an answer the release cannot read whole never
 * passes the gates (it is unreadable, or a breach); a well-formed answer is judged as a plain oracle judges it, at the
 * documented thresholds (config/schema.ts: errorRatePercent 5, p95 2000 ms; over it is a breach, at it is not).
 * The alarms' answer the same way: the gates fire on the alarms in ALARM, and an answer not whole is unreadable.
 */
const RUNS = 60;
const MIN_REQUESTS = 100;
const RESERVED = 50;
const gate = (key: string, threshold: number) => ({ key, threshold });
const GATES: CloudGates = { errorRatePercent: gate("errorRatePercent", 5), p95Ms: gate("p95Ms", 2000), healthFailures: gate("healthFailures", 3), utilizationPercent: gate("utilizationPercent", 90) };
const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };

/** Figures as the cloud measures them, and whether the answer carrying them is whole (undefined: neither, not judged). */
interface Figures {
    requests: bigint;
    errors: bigint;
    p95Ms?: number;
    utilizationPercent?: number;
}

/** The gates as the settings document them, in exact arithmetic. */
function oracle(f: Figures): Pick<Verdict, "kind"> & { gate?: string } {
    if (f.utilizationPercent !== undefined && f.utilizationPercent > GATES.utilizationPercent.threshold) return { kind: "breach", gate: "utilizationPercent" };
    if (f.requests < BigInt(MIN_REQUESTS)) return { kind: "no-evidence" };
    if (f.errors * 100n > BigInt(GATES.errorRatePercent.threshold) * f.requests) return { kind: "breach", gate: "errorRatePercent" };
    if (f.p95Ms === undefined) return { kind: "no-evidence" };
    if (f.p95Ms > GATES.p95Ms.threshold) return { kind: "breach", gate: "p95Ms" };
    return { kind: "healthy" };
}

/** One poll's judgement of the read; a throw that is not the release's own MetricsUnreadable fails here. */
async function judged(read: () => ReturnType<typeof readOrUnreadable>, names: RegExp): Promise<{ verdict: Verdict; unreadable?: MetricsUnreadable }> {
    const { sample, unreadable } = await read();
    if (unreadable) assert.match(unreadable.message, names, "an unreadable answer names the metric");
    return { verdict: unreadable ? { kind: "no-evidence", requests: 0, minRequests: MIN_REQUESTS, reason: unreadable.message, unreadable: true } : judge(sample, GATES, MIN_REQUESTS), unreadable };
}

function checkAgainstOracle(whole: boolean, figures: Figures, verdict: Verdict, unreadable: MetricsUnreadable | undefined) {
    if (!whole) {
        assert.notStrictEqual(verdict.kind, "healthy", "an answer the release cannot read whole passed the gates");
        return;
    }
    assert.strictEqual(unreadable, undefined, "a well-formed answer is read");
    const expected = oracle(figures);
    assert.deepStrictEqual({ kind: verdict.kind, gate: verdict.kind === "breach" ? verdict.gate : undefined }, { kind: expected.kind, gate: expected.gate });
}

/** Counts around the thresholds: the rate near 5 %, the p95 near 2 s, the peak near 90 %. */
const count = fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 2_000_000 }));
const latencyMs = fc.oneof(fc.double({ min: 0, max: 4000, noNaN: true }), fc.constantFrom(0, 2000, 2000.0001));

describe("the metric answers the bake's gates decide on, in every shape (property-based)", () => {
    describe("CloudWatch GetMetricData through the SDK's own client", () => {
        const lambda: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: [] };
        const QUERIES = ["invocations", "errors", "serverErrors", "p95", "concurrency"] as const;
        type Result = { Id?: unknown; Timestamps?: unknown; Values?: unknown; StatusCode?: unknown; Messages?: unknown };
        const minute = (i: number) => Date.parse("2025-01-01T00:01:00Z") / 1000 + 60 * i;
        const result = (Id: string, values: number[], StatusCode = "Complete"): Result => ({ Id, Label: Id, Timestamps: values.map((_, i) => minute(i)), Values: values, StatusCode }) as Result;

        /** A well-formed answer: every query answered, Complete on its last page (PartialData before), Timestamps matching Values
         * (CloudWatch API reference, GetMetricData and MetricDataResult: StatusCode PartialData while a NextToken follows). */
        const wellFormed = fc
            .record({
                invocations: fc.array(count, { maxLength: 3 }),
                errors: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 3 }),
                serverErrors: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 2 }),
                p95: fc.array(latencyMs, { maxLength: 2 }),
                concurrency: fc.array(fc.integer({ min: 0, max: 2 * RESERVED }), { maxLength: 2 }),
                pages: fc.integer({ min: 1, max: 3 }),
            })
            .map((answer) => {
                // Each query's values on the last page, an empty PartialData result of it on the pages before, and an
                // empty page with a NextToken in front when there are three.
                const pages: { MetricDataResults: Result[]; Messages: unknown[]; NextToken?: string }[] = [];
                for (let p = 0; p < answer.pages; p++) {
                    const last = p === answer.pages - 1;
                    const results = p === 0 && answer.pages === 3 ? [] : QUERIES.map((id) => (last ? result(id, answer[id]) : result(id, [], "PartialData")));
                    pages.push({ MetricDataResults: results, Messages: [], ...(last ? {} : { NextToken: `page-${p + 2}` }) });
                }
                const sum = (values: number[]) => values.reduce((t, v) => t + BigInt(v), 0n);
                const figures: Figures = {
                    requests: sum(answer.invocations),
                    errors: sum(answer.errors) + sum(answer.serverErrors),
                    p95Ms: answer.p95.length ? Math.max(...answer.p95) : undefined,
                    utilizationPercent: answer.concurrency.length ? (100 * Math.max(...answer.concurrency)) / RESERVED : undefined,
                };
                return { pages, figures };
            });

        /** The same answer with one thing CloudWatch does not send: a result, a query, a value or a field broken. */
        const broken = fc.tuple(wellFormed, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 9 })).map(([answer, which, at, how]) => {
            const { pages, figures } = structuredClone(answer);
            const last = pages[pages.length - 1].MetricDataResults;
            const r = last[which % last.length];
            const values = r.Values as unknown[];
            const bad: unknown[] = [null, "NaN", "Infinity", -1 - (at % 1000), "7", true];
            switch (how) {
                case 0:
                    last.splice(which % last.length, 1, null as never);
                    break;
                case 1:
                    for (const page of pages) page.MetricDataResults = page.MetricDataResults.filter((x) => x.Id !== r.Id);
                    break;
                case 2:
                    r.Values = [...values, bad[at % bad.length]];
                    r.Timestamps = [...(r.Timestamps as number[]), minute(values.length)];
                    break;
                case 3:
                    r.Timestamps = (r.Timestamps as number[]).concat(minute(99));
                    break;
                case 4:
                    // A data point twice: the first one's time again, or two at one time.
                    r.Values = values.length ? [...values, values[0]] : [1, 1];
                    r.Timestamps = values.length ? [...(r.Timestamps as number[]), minute(0)] : [minute(0), minute(0)];
                    break;
                case 5:
                    delete r.StatusCode;
                    break;
                case 6:
                    delete r.Id;
                    break;
                case 7:
                    pages[pages.length - 1].MetricDataResults = [...last, { ...r }];
                    break;
                case 8:
                    r.Values = values.length ? values[0] : "x";
                    break;
                default:
                    pages[pages.length - 1].MetricDataResults = [null, "text", 5] as never;
            }
            return { pages, figures, how };
        });

        it(`${RUNS} well-formed answers agree with the oracle; ${RUNS} broken ones never pass, and nothing but MetricsUnreadable naming the query comes out`, async () => {
            let pages: object[] = [];
            const cloudWatch = await startFakeCloudWatch({}, { metricData: (input) => pages[input.NextToken ? Number(String(input.NextToken).slice(5)) - 1 : 0] ?? {} });
            try {
                const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" }, attemptTimeoutMs: 5000 });
                const source = await cloudWatchSource("ap-northeast-1", 150, RESERVED, client);
                const names = /GetMetricData|invocations|errors|serverErrors|p95|concurrency/;
                await fc.assert(
                    fc.asyncProperty(fc.oneof(wellFormed.map((a) => ({ ...a, how: undefined })), broken), async (answer) => {
                        pages = answer.pages;
                        const { verdict, unreadable } = await judged(() => readOrUnreadable(source, lambda, window), names);
                        checkAgainstOracle(answer.how === undefined, answer.figures, verdict, unreadable);
                    }),
                    { numRuns: 2 * RUNS },
                );
            } finally {
                await cloudWatch.close();
            }
        });
    });

    describe("CloudWatch DescribeAlarms through the SDK's own client", () => {
        type Alarm = Record<string, unknown>;
        type Page = { MetricAlarms?: unknown; NextToken?: string };
        const STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;
        const name = (i: number) => `pipeline-alarm-${i}-1a2b3c4`;
        // A MetricAlarm as DescribeAlarms answers it (API reference, MetricAlarm), the fields the release reads among others.
        const alarm = (i: number, StateValue: string): Alarm => ({
            AlarmName: name(i),
            AlarmArn: `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${name(i)}`,
            StateValue,
            StateReason: "Threshold Crossed: 1 datapoint [12.0 (01/01/25 00:05:00)] was greater than the threshold (5.0).",
            Namespace: "AWS/Lambda",
            MetricName: "Errors",
        });
        // The new version's own figures healthy (1000 requests, no errors, p95 100 ms): only the alarms can fail it.
        const healthyMetrics = (input: Record<string, any>) => ({
            MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({
                Id: q.Id,
                Label: q.Id,
                Timestamps: [Date.parse("2025-01-01T00:01:00Z") / 1000],
                Values: [{ invocations: 1000, p95: 100 }[q.Id] ?? 0],
                StatusCode: "Complete",
            })),
            Messages: [],
        });

        /** Each asked alarm answered once, in its state, pageSize a page, with a NextToken on every page but the last. */
        const wellFormed = fc.record({ states: fc.array(fc.constantFrom(...STATES), { minLength: 1, maxLength: 8 }), pageSize: fc.integer({ min: 1, max: 4 }) }).map(({ states, pageSize }) => {
            const alarms = states.map((state, i) => alarm(i, state));
            const pages: Page[] = [];
            for (let from = 0; from < alarms.length; from += pageSize) pages.push({ MetricAlarms: alarms.slice(from, from + pageSize) });
            pages.forEach((page, p) => p < pages.length - 1 && (page.NextToken = `page-${p + 2}`));
            return { asked: states.map((_, i) => name(i)), pages, firing: states.flatMap((state, i) => (state === "ALARM" ? [name(i)] : [])) };
        });

        /** The same answer with one thing CloudWatch does not send, or an asked alarm it no longer holds. */
        const broken = fc.tuple(wellFormed, fc.nat(), fc.integer({ min: 0, max: 8 })).map(([generated, which, how]) => {
            const answer = structuredClone(generated);
            const page = answer.pages[which % answer.pages.length];
            const alarms = page.MetricAlarms as Alarm[];
            const at = which % alarms.length;
            const a = alarms[at];
            switch (how) {
                case 0:
                    alarms[at] = null as never;
                    break;
                case 1:
                    delete a.AlarmName;
                    break;
                case 2:
                    a.AlarmName = 5;
                    break;
                case 3:
                    delete a.StateValue;
                    break;
                case 4:
                    a.StateValue = ["Alarm", "FIRING", null, 1][which % 4];
                    break;
                case 5:
                    page.MetricAlarms = [a, "text", { ...a }, 7][which % 4];
                    break;
                case 6:
                    // Deleted by hand: CloudWatch leaves the name out.
                    alarms.splice(at, 1);
                    break;
                case 7:
                    alarms.push(alarm(99, "ALARM"));
                    break;
                default:
                    alarms.push({ ...a });
                    alarms.splice(at, 1, "ALARM" as never);
            }
            return { ...answer, how };
        });

        it(`${RUNS} well-formed answers fire the gate on the alarms in ALARM; ${RUNS} broken ones are MetricsUnreadable naming DescribeAlarms or the missing alarm, never a TypeError`, async () => {
            let pages: Page[] = [];
            const cloudWatch = await startFakeCloudWatch({}, { metricData: healthyMetrics, alarmPages: (input) => pages[input.NextToken ? Number(String(input.NextToken).slice(5)) - 1 : 0] ?? {} });
            try {
                const client = await cloudWatchClient("ap-northeast-1", { endpoint: cloudWatch.endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" }, attemptTimeoutMs: 5000 });
                const source = await cloudWatchSource("ap-northeast-1", 150, undefined, client);
                const names = /DescribeAlarms|no metric alarm named/;
                await fc.assert(
                    fc.asyncProperty(fc.oneof(wellFormed.map((a) => ({ ...a, how: undefined })), broken), async (answer) => {
                        pages = answer.pages;
                        const target: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: answer.asked };
                        const { verdict, unreadable } = await judged(() => readOrUnreadable(source, target, window), names);
                        if (answer.how !== undefined) return assert.ok(unreadable, `a broken answer (${answer.how}) was judged: ${JSON.stringify(verdict)}`);
                        assert.strictEqual(unreadable, undefined, "a well-formed answer is read");
                        const expected = answer.firing.length ? { kind: "breach", gate: `alarm:${answer.firing[0]}` } : { kind: "healthy", gate: undefined };
                        assert.deepStrictEqual({ kind: verdict.kind, gate: verdict.kind === "breach" ? verdict.gate : undefined }, expected);
                    }),
                    { numRuns: 2 * RUNS },
                );
            } finally {
                await cloudWatch.close();
            }
        });
    });

    describe("Cloud Monitoring timeSeries.list as the Node client hands it", () => {
        const cloudRun: DeployedTarget = { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [] };
        type Series = protos.google.monitoring.v3.ITimeSeries;
        type Value = protos.google.monitoring.v3.ITypedValue;
        const COUNT = "run.googleapis.com/request_count";
        const LATENCY = "run.googleapis.com/request_latencies";
        const series = (type: string, value: Value | null, codeClass?: string): Series => ({
            metric: { type, labels: codeClass ? { response_code_class: codeClass } : {} },
            resource: { type: "cloud_run_revision", labels: { revision_name: cloudRun.version } },
            metricKind: "DELTA",
            valueType: value?.int64Value !== undefined ? "INT64" : value?.distributionValue ? "DISTRIBUTION" : "DOUBLE",
            points: value === null ? [] : [{ interval: { endTime: { seconds: Date.parse("2025-01-01T00:09:30Z") / 1000 } }, value }],
        });
        /** int64 as text (gRPC's), from none up to past 2^53 and int64's largest. */
        const int64 = fc.oneof(count.map(BigInt), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }));

        /** A well-formed list: one series per response code class with its one point, the p95 and p99 points as doubles. */
        const wellFormed = fc
            .record({
                counts: fc.dictionary(fc.constantFrom("2xx", "3xx", "4xx", "5xx"), int64),
                p95: fc.option(latencyMs, { nil: undefined }),
                utilization: fc.tuple(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined })),
                pageSize: fc.integer({ min: 1, max: 4 }),
            })
            .map(({ counts, p95, utilization, pageSize }) => {
                const byMetric: Record<string, Series[]> = {
                    [COUNT]: Object.entries(counts).map(([codeClass, n]) => series(COUNT, { int64Value: String(n) }, codeClass)),
                    [LATENCY]: p95 === undefined ? [] : [series(LATENCY, { doubleValue: p95 })],
                    ...Object.fromEntries(UTILIZATION_METRICS.map((m, i) => [m, utilization[i] === undefined ? [] : [series(m, { doubleValue: utilization[i] })]])),
                };
                const peaks = utilization.filter((u): u is number => u !== undefined);
                const total = Object.values(counts).reduce((t, n) => t + n, 0n);
                const figures: Figures = { requests: total, errors: counts["5xx"] ?? 0n, p95Ms: p95, utilizationPercent: peaks.length ? 100 * Math.max(...peaks) : undefined };
                return { byMetric, pageSize, figures };
            });

        /** One series' point made what the API does not send for it: another value type, none, a negative count, NaN. */
        const brokenValue: fc.Arbitrary<Value | null> = fc.constantFrom<Value | null>(
            {},
            { int64Value: "-5" },
            { doubleValue: Number.NaN },
            { doubleValue: -1 },
            { doubleValue: Number.POSITIVE_INFINITY },
            { boolValue: true },
            { stringValue: "12" },
            { distributionValue: { count: 5, mean: 3000 } },
        );
        const broken = fc.tuple(wellFormed, fc.constantFrom(COUNT, LATENCY, ...UTILIZATION_METRICS), fc.constantFrom("2xx", "5xx"), brokenValue, fc.boolean()).map(([generated, metric, codeClass, value, twice]) => {
            const answer = structuredClone(generated);
            const list = answer.byMetric[metric];
            const bad = series(metric, value, metric === COUNT ? codeClass : undefined);
            if (twice && metric === COUNT) {
                // The same class twice: a second 2xx series would thin out the 5xx share.
                answer.byMetric[metric] = [...list, series(COUNT, { int64Value: "1000" }, codeClass), series(COUNT, { int64Value: "1000" }, codeClass)];
            } else {
                answer.byMetric[metric] = [...list.filter((s) => s.metric?.labels?.response_code_class !== codeClass), bad];
            }
            return { ...answer, broken: true };
        });

        /** timeSeries.list a page at a time, pageSize series a page, each page through the client's own decoding. */
        const lister = (byMetric: Record<string, Series[]>, pageSize: number): TimeSeriesLister => ({
            async listTimeSeries(request) {
                const metric = /metric\.type = "([^"]+)"/.exec(String(request.filter))?.[1] ?? "";
                const from = Number(request.pageToken || 0);
                const all = byMetric[metric] ?? [];
                const nextPageToken = from + pageSize < all.length ? String(from + pageSize) : "";
                const response = await asTheClientHandsIt("ListTimeSeriesResponse", { timeSeries: all.slice(from, from + pageSize), nextPageToken, executionErrors: [] });
                return [response.timeSeries ?? [], nextPageToken ? { ...request, pageToken: nextPageToken } : null, response];
            },
        });

        it(`${RUNS} well-formed lists agree with the oracle; ${RUNS} broken ones never pass, and nothing but MetricsUnreadable naming the metric comes out`, async () => {
            const names = /run\.googleapis\.com\/(request_count|request_latencies|container\/(cpu|memory)\/utilizations)/;
            await fc.assert(
                fc.asyncProperty(fc.oneof(wellFormed.map((a) => ({ ...a, broken: false })), broken), async (answer) => {
                    const source = await cloudMonitoringSource("multicloud-service-prod", {}, lister(answer.byMetric, answer.pageSize));
                    const { verdict, unreadable } = await judged(() => readOrUnreadable(source, cloudRun, window), names);
                    checkAgainstOracle(!answer.broken, answer.figures, verdict, unreadable);
                }),
                { numRuns: 2 * RUNS },
            );
        });
    });
});
