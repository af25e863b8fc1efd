import * as assert from "assert";
import type { GetMetricDataCommandOutput, MetricStat } from "@aws-sdk/client-cloudwatch";
import type { protos } from "@google-cloud/monitoring";
import { alarmStateRequests, firingAlarms, lambdaMetricDataRequest, sampleFromMetricData, versionDimensions } from "../../release/metrics/cloudWatch";
import { UTILIZATION_METRICS, latencyRequest, readInterval, requestCountRequest, sampleFromTimeSeries, utilizationFromTimeSeries, utilizationRequest } from "../../release/metrics/cloudMonitoring";
import { TIME_SERIES_PAGE_TIMEOUT_MS, TimeSeriesLister, cloudMonitoringSource } from "../../release/metrics/cloudMonitoringSource";
import { monitoringReadOptions } from "../../release/monitoringReadRetry";
import { cloudWatchClient, cloudWatchSource } from "../../release/metrics/cloudWatchSource";
import { AWS_READ_ATTEMPTS } from "../../release/awsReadAttempts";
import { MetricsUnreadable } from "../../release/metrics/metricSource";
import { checkMetricsBeforeTraffic } from "../../release/beforeTraffic";
import type { ReleaseDeps } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import { BakeWindow, DeployedTarget } from "../../release/types";
import { startSilentServer } from "../harness/silentServer";
import { asTheClientHandsIt, requestCountSeries } from "./monitoringClient";

const window: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };
const lambda: DeployedTarget = { cloud: "aws", version: "8", service: "pipeline-api-1234567", alarms: ["pipeline-api-error-rate-abc", "pipeline-api-p95-duration-def"] };
const cloudRun: DeployedTarget = { cloud: "gcp", version: "service-00008-def", service: "service-0a1b2c3", alarms: [] };

describe("release metric queries, shaped for the real APIs", () => {
    describe("CloudWatch GetMetricData (Lambda)", () => {
        const request = lambdaMetricDataRequest(lambda, window)!;

        it("asks for the new version's own Invocations, Errors and 5xx answers (Sum) and Duration p95, one period over the window's whole minutes", () => {
            assert.deepStrictEqual([request.StartTime, request.EndTime], [window.start, new Date("2025-01-01T00:09:00Z")]);
            const byId: Record<string, MetricStat | undefined> = Object.fromEntries((request.MetricDataQueries ?? []).map((q) => [q.Id, q.MetricStat]));
            assert.deepStrictEqual(Object.keys(byId), ["invocations", "errors", "serverErrors", "p95"]);
            assert.deepStrictEqual([byId.invocations?.Metric?.MetricName, byId.invocations?.Stat], ["Invocations", "Sum"]);
            assert.deepStrictEqual([byId.errors?.Metric?.MetricName, byId.errors?.Stat], ["Errors", "Sum"]);
            // A 500 or 503 the API returns is a successful invocation to Lambda: the service counts it itself.
            assert.deepStrictEqual([byId.serverErrors?.Metric?.Namespace, byId.serverErrors?.Metric?.MetricName, byId.serverErrors?.Stat], ["multicloud-service", "ServerErrors", "Sum"]);
            assert.deepStrictEqual([byId.p95?.Metric?.MetricName, byId.p95?.Stat], ["Duration", "p95"]);
            for (const stat of Object.values(byId)) {
                assert.strictEqual(stat?.Metric?.Namespace, stat === byId.serverErrors ? "multicloud-service" : "AWS/Lambda");
                assert.strictEqual(stat?.Period, 540, "9.5 minutes: the 9 whole ones, one period (a multiple of 60)");
                // Weighted alias routing: the alias's metrics split by the version that ran.
                assert.deepStrictEqual(stat?.Metric?.Dimensions, [
                    { Name: "FunctionName", Value: "pipeline-api-1234567" },
                    { Name: "Resource", Value: "pipeline-api-1234567:live" },
                    { Name: "ExecutedVersion", Value: "8" },
                ]);
            }
        });

        it("a window that does not start on a minute is one period of the whole minutes after the step began: no part-minute judged on its own", () => {
            // GetMetricData rounds StartTime down to the minute, EndTime is exclusive, and periods count from the rounded
            // start: 00:00:30-00:05:30 asked with a 300 s period was two periods, the second the 00:05 minute alone.
            const offMinute = lambdaMetricDataRequest(lambda, { step: 10, start: new Date("2025-01-01T00:00:30Z"), end: new Date("2025-01-01T00:05:30Z") })!;
            const roundedStart = Math.floor(offMinute.StartTime!.getTime() / 60_000) * 60_000;
            const periods = Math.ceil((offMinute.EndTime!.getTime() - roundedStart) / 1000 / offMinute.MetricDataQueries![0].MetricStat!.Period!);
            assert.strictEqual(periods, 1, "as CloudWatch counts them");
            // Before: from 00:00:00, whose minute holds the previous step's traffic and the verification load that ran
            // just before this step (ConcurrentExecutions counts every version).
            assert.deepStrictEqual([offMinute.StartTime, offMinute.EndTime], [new Date("2025-01-01T00:01:00Z"), new Date("2025-01-01T00:05:00Z")]);
            assert.strictEqual(offMinute.MetricDataQueries![0].MetricStat!.Period, 240);
            assert.strictEqual(lambdaMetricDataRequest(lambda, { step: 10, start: new Date("2025-01-01T00:00:30Z"), end: new Date("2025-01-01T00:01:59Z") }), undefined, "no whole minute after the start yet: nothing to ask");
        });

        it("a query CloudWatch could not answer (InternalError, Forbidden, PartialData on the last page) stops the read instead of counting as no errors", () => {
            const answered = { Id: "invocations", Values: [900], StatusCode: "Complete" as const };
            for (const StatusCode of ["InternalError", "Forbidden", "PartialData"] as const) {
                const page = { MetricDataResults: [answered, { Id: "errors", Values: [], StatusCode, Messages: [{ Code: "InternalError", Value: "fake" }] }] };
                assert.throws(() => sampleFromMetricData([page]), { name: "MetricsUnreadable", message: new RegExp(`CloudWatch did not answer every metric of the new version \\(errors ${StatusCode}; InternalError: fake\\)`) });
            }
            // Before: "undefined: Authentication too complex to retrieve cross region data", and a null message a TypeError.
            // MessageData's Code and Value are both optional (API reference, MessageData, whose example this is).
            const forbidden = { Id: "errors", Values: [], StatusCode: "Forbidden" as const, Messages: [{ Value: "Authentication too complex to retrieve cross region data" }] };
            assert.throws(() => sampleFromMetricData([{ MetricDataResults: [answered, forbidden], Messages: [null as never, { Code: "MaxMetricsExceeded" }] }]), {
                name: "MetricsUnreadable",
                message: "CloudWatch did not answer every metric of the new version (errors Forbidden; Authentication too complex to retrieve cross region data; null; MaxMetricsExceeded): nothing is judged on missing data",
            });
            // PartialData on a page followed by the rest: the last page's status is the query's.
            const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));
            const rest = ["errors", "serverErrors", "p95"].map((Id) => ({ Id, Timestamps: [], Values: [], StatusCode: "Complete" as const }));
            const pages = [{ MetricDataResults: [{ ...answered, Timestamps: [at(1)], StatusCode: "PartialData" as const }] }, { MetricDataResults: [{ ...answered, Timestamps: [at(2)] }, ...rest] }];
            assert.strictEqual(sampleFromMetricData(pages).requests, 1800);
        });

        it("an answer not as CloudWatch sends it stops the read, naming the query, instead of reading as no errors or no latency", () => {
            // Found by metricAnswersHostile.spec.ts. CloudWatch answers each query (ReturnData) with its Id, a StatusCode,
            // and as many Values as Timestamps, each a figure of at least 0 (metricDataShape.ts has the sources).
            const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));
            const result = (Id: string, Values: unknown[], Timestamps: Date[] = Values.map((_, i) => at(i + 1))) => ({ Id, Timestamps, Values, StatusCode: "Complete" });
            const whole = () => [result("invocations", [1000]), result("errors", [200]), result("serverErrors", []), result("p95", [5000])];
            const cases: [string, (results: Record<string, unknown>[]) => unknown[], RegExp][] = [
                ["a null result (was TypeError: Cannot read properties of null (reading 'Id'))", (r) => [null, ...r.slice(1)], /a result without an Id: null/],
                ["the errors query unanswered (read as no errors)", (r) => r.filter((x) => x.Id !== "errors"), /no result for errors/],
                ["a null p95 value (read as 0 ms)", (r) => [...r.slice(0, 3), result("p95", [null])], /p95's Values\[0\] is null, not a figure of at least 0/],
                ["a negative 5xx count beside the errors", (r) => [...r.slice(0, 2), result("serverErrors", [-200]), r[3]], /serverErrors's Values\[0\] is -200/],
                ["no StatusCode", (r) => [{ ...r[1], StatusCode: undefined }, ...r.filter((_, i) => i !== 1)], /errors without a StatusCode/],
                ["more Values than Timestamps", (r) => [r[0], result("errors", [200, 0], [at(1)]), ...r.slice(2)], /errors has 2 Values and 1 Timestamps/],
                ["a data point twice", (r) => [result("invocations", [1000, 1000], [at(1), at(1)]), ...r.slice(1)], /invocations has the data point of 2025-01-01T00:01:00.000Z twice/],
                ["MetricDataResults not a list", (r) => r[0] as never, /MetricDataResults is \{"Id":"invocations",.*\}, not a list/],
                ["an Id that is not text", (r) => [{ ...r[0], Id: 7 }, ...r.slice(1)], /a result without an Id: \{"Id":7,/],
                ["a query twice on one page, at other times (read as twice the errors)", (r) => [...r, result("errors", [200], [at(2)])], /errors twice on one page/],
                ["Values that are not a list", (r) => [r[0], { ...r[1], Values: { 0: 200 } }, ...r.slice(2)], /errors's Values or Timestamps are not a list/],
                ["fewer Values than Timestamps", (r) => [r[0], result("errors", [200], [at(1), at(2)]), ...r.slice(2)], /errors has 1 Values and 2 Timestamps/],
                ["a p95 just below 0", (r) => [...r.slice(0, 3), result("p95", [-0.5])], /p95's Values\[0\] is -0.5, not a figure of at least 0/],
                ["an infinite p95", (r) => [...r.slice(0, 3), result("p95", [Infinity])], /p95's Values\[0\] is Infinity, not a figure of at least 0/],
            ];
            assert.deepStrictEqual(sampleFromMetricData([{ MetricDataResults: whole() as never }]), { requests: 1000, errors: 200, p95Ms: 5000 });
            const read = (results: unknown[]) => {
                try {
                    return JSON.stringify(sampleFromMetricData([{ MetricDataResults: results as never }]));
                } catch (err) {
                    return err instanceof MetricsUnreadable ? err.message : String(err);
                }
            };
            const wrong = cases.map(([what, change, message]) => [what, read(change(whole())), message] as const).filter(([, answer, message]) => !message.test(answer) || !answer.startsWith("CloudWatch answered GetMetricData for the new version in a shape it does not send ("));
            assert.deepStrictEqual(wrong.map(([what, answer]) => `${what} => ${answer}`), []);
            // A query's data points run on over pages (NextToken), each point once: one on two pages would be summed twice.
            const rest = whole().slice(1);
            assert.throws(() => sampleFromMetricData([{ MetricDataResults: [result("invocations", [1000])] as never }, { MetricDataResults: [result("invocations", [1000]), ...rest] as never }]), {
                name: "MetricsUnreadable",
                message: /invocations has the data point of 2025-01-01T00:01:00.000Z twice/,
            });
            // With a reserved concurrency the concurrency query is asked too: unanswered, it is no reading of 0%.
            assert.throws(() => sampleFromMetricData([{ MetricDataResults: whole() as never }], 10), { name: "MetricsUnreadable", message: /\(no result for concurrency\)/ });
        });

        it("the SDK's own client serializes the requests as CloudWatch reads them (its JSON protocol; no cloud call)", async () => {
            const { CloudWatchClient, GetMetricDataCommand, DescribeAlarmsCommand } = await import("@aws-sdk/client-cloudwatch");
            const sent: { target: string; body: any }[] = [];
            const client = new CloudWatchClient({
                region: "ap-northeast-1",
                credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
                maxAttempts: 1,
                requestHandler: {
                    handle: async (req: { headers: Record<string, string>; body: Uint8Array }) => {
                        // The body's bytes, as the SDK's own HTTP handler writes them to the socket: Buffer.from(body)
                        // would read it through its string form, which the SDK warns will throw in a future version.
                        const bytes = Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
                        sent.push({ target: req.headers["x-amz-target"], body: JSON.parse(bytes.toString("utf8")) });
                        throw new Error("not sent");
                    },
                },
            });
            await assert.rejects(client.send(new GetMetricDataCommand(request)), /not sent/);
            await assert.rejects(client.send(new DescribeAlarmsCommand(alarmStateRequests(lambda.alarms)[0])), /not sent/);
            assert.strictEqual(sent[0].target, "GraniteServiceVersion20100801.GetMetricData");
            const epochSeconds = (date: Date | undefined) => date!.getTime() / 1000;
            assert.deepStrictEqual(sent[0].body, { ...request, StartTime: epochSeconds(request.StartTime), EndTime: epochSeconds(request.EndTime) });
            assert.strictEqual(sent[1].target, "GraniteServiceVersion20100801.DescribeAlarms");
            assert.deepStrictEqual(sent[1].body, { AlarmNames: lambda.alarms, AlarmTypes: ["MetricAlarm"], MaxRecords: 100 });
        });

        it("reads totals over the window's data points and the worst p95", () => {
            // As CloudWatch answers (botocore cloudwatch service-2.json): every MetricDataResult has a StatusCode, and
            // "The number of timestamps always matches the number of values and the value for Timestamps[x] is
            // Values[x]"; ScanBy's default, TimestampDescending, "returns the newest data first". A metric with no
            // data point in a period has none there (serverErrors: no 5xx in the first), not a zero.
            const [newer, older] = [new Date("2025-01-01T00:01:00Z"), new Date("2025-01-01T00:00:00Z")];
            const page: Pick<GetMetricDataCommandOutput, "MetricDataResults" | "Messages"> = {
                MetricDataResults: [
                    { Id: "invocations", Timestamps: [newer, older], Values: [700, 500], StatusCode: "Complete" },
                    { Id: "errors", Timestamps: [newer, older], Values: [3, 1], StatusCode: "Complete" },
                    { Id: "serverErrors", Timestamps: [newer], Values: [20], StatusCode: "Complete" },
                    { Id: "p95", Timestamps: [newer, older], Values: [180.5, 240], StatusCode: "Complete" },
                ],
                Messages: [],
            };
            assert.deepStrictEqual(sampleFromMetricData([page]), { requests: 1200, errors: 24, p95Ms: 240 });
            // ScanBy TimestampAscending ("returns the oldest data first") reads the same: no value is taken by its place.
            const ascending = { ...page, MetricDataResults: page.MetricDataResults!.map((r) => ({ ...r, Timestamps: [...r.Timestamps!].reverse(), Values: [...r.Values!].reverse() })) };
            assert.deepStrictEqual(sampleFromMetricData([ascending]), { requests: 1200, errors: 24, p95Ms: 240 });
            // No data point at all: every query Complete with empty Timestamps and Values.
            const none = ["invocations", "errors", "serverErrors", "p95"].map((Id) => ({ Id, Timestamps: [], Values: [], StatusCode: "Complete" as const }));
            assert.deepStrictEqual(sampleFromMetricData([{ MetricDataResults: none, Messages: [] }]), { requests: 0, errors: 0, p95Ms: undefined });
        });

        it("with a reserved concurrency, the function's ConcurrentExecutions (Maximum, all versions) against it; none without", async () => {
            const reserved = lambdaMetricDataRequest(lambda, window, 100)!;
            const concurrency = reserved.MetricDataQueries?.find((q) => q.Id === "concurrency");
            assert.deepStrictEqual(concurrency?.MetricStat, {
                Metric: { Namespace: "AWS/Lambda", MetricName: "ConcurrentExecutions", Dimensions: [{ Name: "FunctionName", Value: "pipeline-api-1234567" }] },
                Period: 540,
                Stat: "Maximum",
            });
            assert.ok(!request.MetricDataQueries?.some((q) => q.Id === "concurrency"), "no reservation: nothing to judge against");
            const { GetMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
            assert.deepStrictEqual(new GetMetricDataCommand(reserved).input, reserved);
            // Each result as CloudWatch writes it: a StatusCode, Timestamps matching Values, newest first (service-2.json
            // MetricDataResult; ScanBy's default TimestampDescending); serverErrors has no data point (no 5xx).
            const at = (hhmm: string) => new Date(`2025-01-01T${hhmm}:00Z`);
            const result = (Id: string, Values: number[]) => ({ Id, Timestamps: [at("00:01"), at("00:00")].slice(0, Values.length), Values, StatusCode: "Complete" as const });
            const page = { MetricDataResults: [result("invocations", [900]), result("errors", [0]), result("serverErrors", []), result("p95", [120]), result("concurrency", [61, 93])], Messages: [] };
            assert.deepStrictEqual(sampleFromMetricData([page], 100).utilization, [{ metric: "AWS/Lambda ConcurrentExecutions (Maximum) of the reserved 100", percent: 93 }]);
            assert.strictEqual(sampleFromMetricData([page]).utilization, undefined);
        });

        it("an alarm in ALARM state counts, OK and INSUFFICIENT_DATA do not", () => {
            const names = firingAlarms({ alarms: ["pipeline-api-error-rate-abc", "pipeline-api-p95-duration-def", "other"] }, [
                {
                    MetricAlarms: [
                        { AlarmName: "pipeline-api-error-rate-abc", StateValue: "ALARM" },
                        { AlarmName: "pipeline-api-p95-duration-def", StateValue: "OK" },
                        { AlarmName: "other", StateValue: "INSUFFICIENT_DATA" },
                    ],
                },
            ]);
            assert.deepStrictEqual(names, ["pipeline-api-error-rate-abc"]);
        });
    });

    describe("CloudWatch source's answers", () => {
        it("an answer CloudWatch refuses is MetricsUnreadable naming the call and the error", async () => {
            // A role without cloudwatch:GetMetricData, as IAM refuses it: "User: <arn> is not authorized to perform: <action>"
            // (IAM's wording, with the "because no identity-based policy allows" it adds since 2021), under the code
            // CloudWatch's query API has always named it, AccessDenied (as logged in grafana/grafana#9076), which the
            // JSON protocol's client takes from the x-amzn-query-error header (client-cloudwatch is awsQueryCompatible).
            // The SDK has retried what it retries before the answer reaches the source.
            const message = "User: arn:aws:sts::123456789012:assumed-role/release-prod/release is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action";
            const denied = Object.assign(new Error(message), { name: "AccessDenied", $fault: "client" });
            const sent: string[] = [];
            const client = { send: async (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), Promise.reject(denied)) };
            const source = await cloudWatchSource("ap-northeast-1", 150, undefined, client as never);
            await assert.rejects(source.read(lambda, window), (err: Error) => {
                assert.ok(err instanceof MetricsUnreadable, String(err));
                // Both refused: the first part's refusal names it (partsRead.ts wholeOrReadSoFar), the metric data's.
                assert.match(err.message, /^CloudWatch did not answer GetMetricData: AccessDenied: User: arn:aws:sts::123456789012:assumed-role\/release-prod\/release is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action$/);
                assert.strictEqual(err.cause, denied);
                return true;
            });
            assert.deepStrictEqual(sent.sort(), ["DescribeAlarmsCommand", "GetMetricDataCommand"], "the metrics and the alarms are asked at once");
        });

        it("GetMetricData is followed through its NextToken pages: errors on the second page count", async () => {
            // botocore cloudwatch paginators-1.json GetMetricData: input_token and output_token NextToken, result_key
            // MetricDataResults; service-2.json MetricDataResult.StatusCode: "PartialData means that an incomplete set of
            // data points were returned. You can use the NextToken value that was returned and repeat your request to get
            // more data points."
            const asked: (string | undefined)[] = [];
            const pages = [
                // Timestamps beside Values, one each (service-2.json MetricDataResult); Messages on every page.
                { MetricDataResults: [{ Id: "invocations", Timestamps: [window.start], Values: [600], StatusCode: "PartialData" }, { Id: "errors", Timestamps: [], Values: [], StatusCode: "PartialData" }], Messages: [], NextToken: "page-2-token" },
                {
                    MetricDataResults: [
                        { Id: "invocations", Timestamps: [], Values: [], StatusCode: "Complete" },
                        { Id: "errors", Timestamps: [window.start], Values: [40], StatusCode: "Complete" },
                        { Id: "serverErrors", Timestamps: [window.start], Values: [2], StatusCode: "Complete" },
                        { Id: "p95", Timestamps: [window.start], Values: [180], StatusCode: "Complete" },
                    ],
                    Messages: [],
                },
            ];
            const client = {
                send: async (command: { constructor: { name: string }; input: { NextToken?: string; AlarmNames?: string[] } }) => {
                    // Every alarm asked for exists, and is OK.
                    if (command.constructor.name === "DescribeAlarmsCommand") return { MetricAlarms: (command.input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: "OK" })) };
                    asked.push(command.input.NextToken);
                    return pages[asked.length - 1];
                },
            };
            const sample = await (await cloudWatchSource("ap-northeast-1", 150, undefined, client as never)).read(lambda, window);
            assert.deepStrictEqual([sample.requests, sample.errors, sample.p95Ms], [600, 42, 180]);
            assert.deepStrictEqual(asked, [undefined, "page-2-token"]);
        });

        it("a call CloudWatch never answers gives up after each attempt's timeout: MetricsUnreadable, not a bake waiting for ever", async () => {
            const requests: string[] = [];
            const server = await startSilentServer((req) => requests.push(`${req.method} ${req.headers["x-amz-target"] ?? req.url}`));
            try {
                const client = await cloudWatchClient("ap-northeast-1", { endpoint: server.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" }, attemptTimeoutMs: 300 });
                const source = await cloudWatchSource("ap-northeast-1", 150, undefined, client);
                await assert.rejects(source.read(lambda, window), (err: Error) => {
                    assert.ok(err instanceof MetricsUnreadable, String(err));
                    assert.match(err.message, /^CloudWatch did not answer (GetMetricData|DescribeAlarms): TimeoutError: /);
                    return true;
                });
                const perCall = (target: string) => requests.filter((r) => r === `POST GraniteServiceVersion20100801.${target}`).length;
                assert.deepStrictEqual(requests.filter((r) => !/\.(GetMetricData|DescribeAlarms)$/.test(r)), []);
                assert.ok(Math.max(perCall("GetMetricData"), perCall("DescribeAlarms")) === AWS_READ_ATTEMPTS.maxAttempts, `each attempt timed out, then the read gave up: ${requests}`);
                assert.ok(perCall("GetMetricData") <= AWS_READ_ATTEMPTS.maxAttempts && perCall("DescribeAlarms") <= AWS_READ_ATTEMPTS.maxAttempts);
            } finally {
                await server.stop();
            }
        });
    });

    describe("Cloud Monitoring timeSeries.list (Cloud Run)", () => {
        const read = readInterval(window)!;
        const counts = requestCountRequest("multicloud-service-prod", cloudRun, read);
        const latencies = latencyRequest("multicloud-service-prod", cloudRun, read);

        it("filters on the new revision alone and sums request_count per response_code_class", () => {
            assert.strictEqual(counts.name, "projects/multicloud-service-prod");
            assert.strictEqual(
                counts.filter,
                'metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision" AND resource.labels.service_name = "service-0a1b2c3" AND resource.labels.revision_name = "service-00008-def"',
            );
            assert.deepStrictEqual(counts.aggregation, {
                alignmentPeriod: { seconds: 480 },
                perSeriesAligner: "ALIGN_DELTA",
                crossSeriesReducer: "REDUCE_SUM",
                groupByFields: ["metric.labels.response_code_class"],
            });
            assert.deepStrictEqual(counts.interval, { startTime: { seconds: 1735690170 - 480 }, endTime: { seconds: 1735690170 } }, "the window's end, 2025-01-01T00:09:30Z, back to the first whole minute that starts a sample after the step's start");
        });

        it("the first step does not count the verification load that ended just before it (a broken revision is not thinned out)", () => {
            // Cloud Monitoring's answer as the Monitoring API describes it: each DELTA point of request_count stands for
            // the 60 s before its end time (TimeInterval), and a list returns the points whose end time lies within the
            // request's interval, here summed per response_code_class (ALIGN_DELTA over one period, REDUCE_SUM).
            const at = (hhmmss: string) => Date.parse(`2025-01-01T${hhmmss}Z`) / 1000;
            const points: { end: number; ok: number; failed: number }[] = [
                // 23:59:50-00:00:20, the verification: 60 req/s on the tagged revision, all 200.
                { end: at("00:00:00"), ok: 600, failed: 0 },
                { end: at("00:01:00"), ok: 1200, failed: 0 },
                // From 00:00:50 (after the step's pulumi up), 10 % of the traffic: 23 % of it answered 5xx.
                ...Array.from({ length: 9 }, (_, i) => ({ end: at(`00:${String(i + 2).padStart(2, "0")}:00`), ok: 10, failed: 3 })),
            ];
            const listed = (request: protos.google.monitoring.v3.IListTimeSeriesRequest): protos.google.monitoring.v3.ITimeSeries[] => {
                const [from, to] = [Number(request.interval!.startTime!.seconds), Number(request.interval!.endTime!.seconds)];
                // A read interval is half-open, (startTime, endTime]: "It includes the end time but excludes the start
                // time" (Monitoring API v3 reference, TimeInterval).
                const within = points.filter((p) => p.end > from && p.end <= to);
                // int64 as the Node client hands it over: a string (google-gax loads its protos with `longs: String`).
                // No point in the interval: no series ("Only time series that contain data points in the specified
                // interval are included in the response", metric_service.proto ListTimeSeriesRequest.interval), not 0.
                if (!within.length) return [];
                return [
                    { metric: { labels: { response_code_class: "2xx" } }, metricKind: "DELTA", valueType: "INT64", points: [{ interval: request.interval, value: { int64Value: String(within.reduce((n, p) => n + p.ok, 0)) } }] },
                    { metric: { labels: { response_code_class: "5xx" } }, metricKind: "DELTA", valueType: "INT64", points: [{ interval: request.interval, value: { int64Value: String(within.reduce((n, p) => n + p.failed, 0)) } }] },
                ];
            };
            const step: BakeWindow = { step: 10, start: new Date(at("00:00:50") * 1000), end: new Date(at("00:10:20") * 1000) };
            const sample = sampleFromTimeSeries(listed(requestCountRequest("multicloud-service-prod", cloudRun, readInterval(step)!)), []);
            assert.ok(sample.requests < 200, `${sample.requests} requests counted: the verification's 200s are in the step's sample`);
            assert.ok((100 * sample.errors) / sample.requests > 20, `${sample.errors} of ${sample.requests}`);
            // Until a whole minute of the step's own samples is complete there is nothing to read.
            assert.strictEqual(readInterval({ ...step, end: new Date(at("00:02:30") * 1000) }), undefined);
            assert.deepStrictEqual(readInterval({ ...step, end: new Date(at("00:02:50") * 1000) }), { startSeconds: at("00:01:50"), endSeconds: at("00:02:50"), periodSeconds: 60 });
        });

        it("reduces the request_latencies distribution to its 95th percentile", () => {
            assert.match(String(latencies.filter), /metric\.type = "run\.googleapis\.com\/request_latencies" AND .*resource\.labels\.revision_name = "service-00008-def"/);
            assert.deepStrictEqual(latencies.aggregation, { alignmentPeriod: { seconds: 480 }, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_95" });
        });

        it("the client's own protobuf types accept both requests: every enum name is a real one", async () => {
            const { protos: real } = await import("@google-cloud/monitoring");
            const { ListTimeSeriesRequest, Aggregation } = real.google.monitoring.v3;
            for (const request of [counts, latencies]) assert.strictEqual(ListTimeSeriesRequest.verify(ListTimeSeriesRequest.toObject(ListTimeSeriesRequest.fromObject(request))), null);
            const decoded = ListTimeSeriesRequest.fromObject(latencies);
            assert.strictEqual(decoded.aggregation?.perSeriesAligner, Aggregation.Aligner.ALIGN_DELTA);
            assert.strictEqual(decoded.aggregation?.crossSeriesReducer, Aggregation.Reducer.REDUCE_PERCENTILE_95);
            assert.strictEqual(ListTimeSeriesRequest.fromObject(counts).aggregation?.crossSeriesReducer, Aggregation.Reducer.REDUCE_SUM);
        });

        it("reduces the revision's CPU and memory utilization distributions to their 99th percentile, in percent", async () => {
            assert.deepStrictEqual(UTILIZATION_METRICS, ["run.googleapis.com/container/cpu/utilizations", "run.googleapis.com/container/memory/utilizations"]);
            const { protos: real } = await import("@google-cloud/monitoring");
            const { ListTimeSeriesRequest } = real.google.monitoring.v3;
            for (const metric of UTILIZATION_METRICS) {
                const request = utilizationRequest("multicloud-service-prod", cloudRun, read, metric);
                assert.ok(String(request.filter).startsWith(`metric.type = "${metric}" AND resource.type = "cloud_run_revision"`), String(request.filter));
                assert.match(String(request.filter), /resource\.labels\.revision_name = "service-00008-def"/);
                assert.deepStrictEqual(request.aggregation, { alignmentPeriod: { seconds: 480 }, perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99" });
                assert.strictEqual(ListTimeSeriesRequest.verify(ListTimeSeriesRequest.toObject(ListTimeSeriesRequest.fromObject(request))), null);
            }
            // The reduced points are ratios (0.0-1.0), as the distributions are.
            const point = (v: number): protos.google.monitoring.v3.ITimeSeries => ({ points: [{ value: { doubleValue: v } }] });
            assert.deepStrictEqual(utilizationFromTimeSeries({ [UTILIZATION_METRICS[0]]: [point(0.42), point(0.5)], [UTILIZATION_METRICS[1]]: [point(0.935)], other: [] }), [
                { metric: "run.googleapis.com/container/cpu/utilizations p99", percent: 50 },
                { metric: "run.googleapis.com/container/memory/utilizations p99", percent: 93.5 },
            ]);
        });

        /**
         * timeSeries.list a page at a time, as ListTimeSeriesResponse has it (metric_service.proto): `timeSeries`,
         * `nextPageToken` ("" on the last page), `executionErrors` (google.rpc.Status, "query execution errors that may
         * have caused the time series data returned to be incomplete"). Here the 5xx series is on the second page.
         * Each series as an ALIGN_DELTA + REDUCE_SUM list returns it (metric.proto TimeSeries; common.proto REDUCE_SUM:
         * "The `value_type` of the output is the same as the `value_type` of the input", INT64 for request_count): its
         * group-by label, the revision's resource, metricKind DELTA, valueType INT64, one point for the one alignment
         * period, its interval's end at the period's end (Aggregation.per_series_aligner: "a single data point for each
         * `alignment_period` with end timestamp at the end of the period"). A metric with no point in the interval has no
         * series at all ("Only time series that contain data points in the specified interval are included in the
         * response", ListTimeSeriesRequest.interval). And each page as the Node client hands it (asTheClientHandsIt).
         */
        const pagedMonitoring = (executionErrors: protos.google.rpc.IStatus[] = []): TimeSeriesLister & { asked: (string | undefined)[] } => {
            const asked: (string | undefined)[] = [];
            return {
                asked,
                async listTimeSeries(request, options) {
                    assert.deepStrictEqual(options, { autoPaginate: false, ...monitoringReadOptions(TIME_SERIES_PAGE_TIMEOUT_MS) }, "each page is read with its response, retries bounded by the timeout");
                    asked.push(request.pageToken ?? undefined);
                    const count = (codeClass: string, n: number) => requestCountSeries(codeClass, n, request.interval);
                    const page = async (timeSeries: protos.google.monitoring.v3.ITimeSeries[], nextPageToken: string, errors: protos.google.rpc.IStatus[] = []) => {
                        const response = await asTheClientHandsIt("ListTimeSeriesResponse", { timeSeries, nextPageToken, executionErrors: errors });
                        return [response.timeSeries ?? [], nextPageToken ? { ...request, pageToken: nextPageToken } : null, response] as Awaited<ReturnType<TimeSeriesLister["listTimeSeries"]>>;
                    };
                    if (!String(request.filter).includes("request_count")) return page([], "");
                    if (!request.pageToken) return page([count("2xx", 190)], "page-2", executionErrors);
                    return page([count("5xx", 10)], "");
                },
            };
        };

        it("the stand-in's pages are the client's: int64 as a string, an absent message null, the oneof named", async () => {
            const [series, , response] = await pagedMonitoring().listTimeSeries(counts, { autoPaginate: false, ...monitoringReadOptions(TIME_SERIES_PAGE_TIMEOUT_MS) });
            assert.deepStrictEqual(series[0].points?.[0].value, { int64Value: "190", value: "int64Value" });
            assert.deepStrictEqual([series[0].metadata, series[0].metricKind, response?.nextPageToken], [null, "DELTA", "page-2"]);
        });
        const bakeWindow: BakeWindow = { step: 10, start: new Date("2025-01-01T00:00:00Z"), end: new Date("2025-01-01T00:09:30Z") };

        it("reads every page of a list: a 5xx series on the second page counts", async () => {
            const monitoring = pagedMonitoring();
            const sample = await (await cloudMonitoringSource("multicloud-service-prod", {}, monitoring)).read(cloudRun, bakeWindow);
            assert.deepStrictEqual([sample.requests, sample.errors], [200, 10]);
            assert.deepStrictEqual(monitoring.asked.filter((t) => t === "page-2"), ["page-2"]);
        });

        it("the release's own health checks of the tagged revision in the read interval are not counted as its traffic", async () => {
            // Read interval of bakeWindow: (00:01:30, 00:09:30]. Cloud Run counts a request to the tagged URL under the
            // revision: the checks at 00:02:00 and 00:05:00 are in points that end within it (2 of the 200 requests, 1
            // of the 10 5xx). The one at 00:01:00 is in a point that ends in (00:01:00, 00:02:00], in the read or not
            // depending on the sampling's offset: a check that succeeded is taken out (one request too few at worst).
            const at = (hhmmss: string) => new Date(`2025-01-01T${hhmmss}Z`);
            const ownRequests = [{ at: at("00:00:29"), status: 200 }, { at: at("00:01:00"), status: 200 }, { at: at("00:02:00"), status: 200 }, { at: at("00:05:00"), status: 503 }, { at: at("00:09:31"), status: 200 }];
            const sample = await (await cloudMonitoringSource("multicloud-service-prod", {}, pagedMonitoring())).read(cloudRun, { ...bakeWindow, ownRequests });
            assert.deepStrictEqual([sample.requests, sample.errors], [197, 9]);
            // A check that failed within a sample of the read's end (00:09:20) is in a point that may end after it, out
            // of the read (run.googleapis.com/request_count is "sampled every 60 seconds"; a DELTA point covers the
            // minute before its end, and the read holds the points that end in (start, end]): taking it out could hide
            // one of the revision's real 5xx, so it is left in.
            const lateFailure = await (await cloudMonitoringSource("multicloud-service-prod", {}, pagedMonitoring())).read(cloudRun, { ...bakeWindow, ownRequests: [{ at: at("00:09:20"), status: 503 }] });
            assert.deepStrictEqual([lateFailure.requests, lateFailure.errors], [200, 10]);
            // A check Cloud Run's front answered itself (a 503 "no available instance", a 429) never reached the
            // revision, so request_count has none of it: taking it out would hide one of the revision's real 5xx.
            const withFront = [...ownRequests, { at: at("00:06:00"), status: 503, fromFront: true }, { at: at("00:07:00"), status: 429, fromFront: true }];
            const frontToo = await (await cloudMonitoringSource("multicloud-service-prod", {}, pagedMonitoring())).read(cloudRun, { ...bakeWindow, ownRequests: withFront });
            assert.deepStrictEqual([frontToo.requests, frontToo.errors], [197, 9]);
            // A check the service itself refused with its rate limit's 429 (app/src/app.ts tooMany, answered behind its
            // Server-Timing, so not the front's) reached the revision: request_count holds it under response_code_class
            // "4xx", so it comes off the requests and never off the 5xx.
            const limited = await (await cloudMonitoringSource("multicloud-service-prod", {}, pagedMonitoring())).read(cloudRun, { ...bakeWindow, ownRequests: [...ownRequests, { at: at("00:03:00"), status: 429 }] });
            assert.deepStrictEqual([limited.requests, limited.errors], [196, 9]);
        });

        it("a page with executionErrors (the data may be incomplete) stops the read instead of counting as no errors", async () => {
            const monitoring = pagedMonitoring([{ code: 14, message: "fake: one shard did not answer" }]);
            const source = await cloudMonitoringSource("multicloud-service-prod", {}, monitoring);
            await assert.rejects(source.read(cloudRun, bakeWindow), { name: "MetricsUnreadable", message: /Cloud Monitoring could not read all of run\.googleapis\.com\/request_count: 14 fake: one shard did not answer: nothing is judged on incomplete data/ });
        });

        // grpc-js's error for a status (call.js callErrorFromStatus: "<code> <NAME>: <details>", with code and
        // details); the denial's text as a Node client logs it (the Memorystore/AlloyDB autoscalers' README,
        // "Poller can't read metrics").
        const denied = Object.assign(new Error("7 PERMISSION_DENIED: Permission monitoring.timeSeries.list denied (or the resource may not exist)."), { code: 7, details: "Permission monitoring.timeSeries.list denied (or the resource may not exist)." });
        const refusing: TimeSeriesLister = { listTimeSeries: async () => Promise.reject(denied) };

        it("a call the API refuses, or that fails, is MetricsUnreadable naming the metric and the answer; a page's retries stop well within a poll", async () => {
            const source = await cloudMonitoringSource("multicloud-service-prod", {}, refusing);
            await assert.rejects(source.read(cloudRun, bakeWindow), (err: Error) => {
                assert.ok(err instanceof MetricsUnreadable, String(err));
                assert.match(err.message, /^Cloud Monitoring did not answer timeSeries\.list of run\.googleapis\.com\/[a-z_/]+: 7 PERMISSION_DENIED: Permission monitoring\.timeSeries\.list denied \(or the resource may not exist\)\.$/);
                return true;
            });
        });

        // The check before traffic is there to meet a refusal before a step sends users to a version nothing can judge;
        // a window too short for readInterval's whole minute after the lead-in makes no call and meets none.
        it("the check before traffic calls the API at any millisecond: a refusal stops the release before any traffic", async () => {
            const metrics = { gcp: await cloudMonitoringSource("multicloud-service-prod", {}, refusing) };
            const clock = { now: () => Date.parse("2025-01-01T00:10:00.999Z") };
            const candidates = [{ cloud: "gcp" as const, stable: "service-00007-abc", target: cloudRun }];
            await assert.rejects(checkMetricsBeforeTraffic(candidates, { metrics, clock } as unknown as ReleaseDeps, "No traffic moved", { alarms: true }), (err: Error) => {
                assert.ok(err instanceof ReleaseError, String(err));
                assert.match(err.message, /^gcp: Cloud Monitoring did not answer timeSeries\.list of run\.googleapis\.com\/[a-z_/]+: 7 PERMISSION_DENIED: .*\. No traffic moved; service-00008-def is not recorded as rolled back/);
                return true;
            });
        });

        it("counts 5xx as errors and takes the p95 point (int64 values as strings, as gRPC sends them)", () => {
            const series = (codeClass: string, value: string): protos.google.monitoring.v3.ITimeSeries => ({
                metric: { type: "run.googleapis.com/request_count", labels: { response_code_class: codeClass } },
                points: [{ value: { int64Value: value } }],
            });
            const latency: protos.google.monitoring.v3.ITimeSeries = { points: [{ value: { doubleValue: 412.5 } }] };
            assert.deepStrictEqual(sampleFromTimeSeries([series("2xx", "880"), series("4xx", "15"), series("5xx", "5")], [latency]), { requests: 900, errors: 5, p95Ms: 412.5 });
            assert.deepStrictEqual(sampleFromTimeSeries([], []), { requests: 0, errors: 0, p95Ms: undefined });
        });

        it("a point not as the API sends it stops the read, naming the metric, instead of reading as no requests of its class or no latency", async () => {
            // Found by metricAnswersHostile.spec.ts. Each series as the Node client hands it (asTheClientHandsIt): the
            // sum keeps request_count's INT64, one series per response_code_class; the percentiles are DOUBLE
            // (common.proto, REDUCE_SUM and REDUCE_PERCENTILE_95); none of them below 0 (timeSeriesShape.ts).
            const series = (type: string, value: protos.google.monitoring.v3.ITypedValue, codeClass?: string): protos.google.monitoring.v3.ITimeSeries => ({
                metric: { type, labels: codeClass ? { response_code_class: codeClass } : {} },
                points: [{ value }],
            });
            const count = (codeClass: string | undefined, value: protos.google.monitoring.v3.ITypedValue) => series("run.googleapis.com/request_count", value, codeClass);
            const p95 = (value: protos.google.monitoring.v3.ITypedValue) => series("run.googleapis.com/request_latencies", value);
            const handed = async (list: protos.google.monitoring.v3.ITimeSeries[]) => (await asTheClientHandsIt("ListTimeSeriesResponse", { timeSeries: list })).timeSeries ?? [];
            const healthy = [count("2xx", { int64Value: "1000" })];
            const cases: [string, protos.google.monitoring.v3.ITimeSeries[], protos.google.monitoring.v3.ITimeSeries[], RegExp][] = [
                ["a 5xx point with no value (read as no 5xx)", [...healthy, count("5xx", {})], [], /request_count in a shape it does not send \(the 5xx series' point 1: no value, not a count\)/],
                ["a 5xx point as a distribution", [...healthy, count("5xx", { distributionValue: { count: 300 } })], [], /the 5xx series' point 1: a distributionValue, not a count/],
                ["a negative 5xx count", [...healthy, count("5xx", { int64Value: "-300" })], [], /the 5xx series' point 1: int64Value "-300", not a count/],
                ["the 2xx series twice (thins out the 5xx share)", [...healthy, ...healthy, count("5xx", { int64Value: "100" })], [], /request_count in a shape it does not send \(the 2xx series twice\)/],
                ["a count without its class", [count(undefined, { int64Value: "1000" }), count("5xx", { int64Value: "100" })], [], /a series without its response_code_class/],
                ["an infinite p95 (its message named no metric)", healthy, [p95({ doubleValue: Infinity })], /request_latencies in a shape it does not send \(point 1: doubleValue Infinity, not a figure of at least 0\)/],
                ["an infinite 5xx count as a double", [...healthy, count("5xx", { doubleValue: Infinity })], [], /the 5xx series' point 1: doubleValue Infinity, not a count/],
                ["a negative 5xx count as a double", [...healthy, count("5xx", { doubleValue: -3 })], [], /the 5xx series' point 1: doubleValue -3, not a count/],
                ["a p95 point with no value beside one that has one (read as the other)", healthy, [p95({ doubleValue: 300 }), p95({})], /request_latencies in a shape it does not send \(point 2: no value/],
            ];
            const read = async (counts: protos.google.monitoring.v3.ITimeSeries[], latencies: protos.google.monitoring.v3.ITimeSeries[]) => {
                try {
                    return JSON.stringify(sampleFromTimeSeries(await handed(counts), await handed(latencies)));
                } catch (err) {
                    return err instanceof MetricsUnreadable ? err.message : String(err);
                }
            };
            const wrong: string[] = [];
            for (const [what, counts, latencies, message] of cases) {
                const answer = await read(counts, latencies);
                if (!message.test(answer) || !answer.startsWith("Cloud Monitoring answered run.googleapis.com/")) wrong.push(`${what} => ${answer}`);
            }
            assert.deepStrictEqual(wrong, []);
            assert.throws(() => utilizationFromTimeSeries({ [UTILIZATION_METRICS[0]]: [p95({ doubleValue: -0.5 })] }), { name: "MetricsUnreadable", message: /^Cloud Monitoring answered run\.googleapis\.com\/container\/cpu\/utilizations in a shape it does not send \(point 1: -?.*not a figure of at least 0\)/ });
        });
    });
});

describe("the 5xx count's names: the service writes them, the alarms, the dashboard and the release read them", () => {
    it("app/src/serverErrorMetric.ts and components/aws/serverErrorMetric.ts name the same metric", async () => {
        const app = await import("../../app/src/serverErrorMetric");
        const program = await import("../../components/aws/serverErrorMetric");
        assert.deepStrictEqual(app.SERVER_ERROR_METRIC, program.SERVER_ERROR_METRIC);
        const line = app.serverErrorMetric(503, "arn:aws:lambda:ap-northeast-1:123456789012:function:pipeline-api-1234567:live", { AWS_LAMBDA_FUNCTION_NAME: "pipeline-api-1234567", AWS_LAMBDA_FUNCTION_VERSION: "8" }) as Record<string, any>;
        // The release's dimensions are a set the line declares, with the values it carries.
        const dims = versionDimensions("pipeline-api-1234567", "8");
        assert.ok(line._aws.CloudWatchMetrics[0].Dimensions.some((set: string[]) => JSON.stringify(set) === JSON.stringify(dims.map((d) => d.Name))));
        for (const d of dims) assert.strictEqual(line[d.Name!], d.Value);
    });
});
