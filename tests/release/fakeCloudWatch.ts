import { once } from "events";
import { IncomingMessage, ServerResponse, createServer } from "http";
import { AddressInfo } from "net";
import { answerAwsJsonError, answerUnknownOperation } from "../../scripts/offline/awsErrorAnswer";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/** One item of an alarm's history (CloudWatch API Reference, AlarmHistoryItem). */
export interface HistoryItem {
    AlarmName: string;
    HistoryItemType: "ConfigurationUpdate" | "StateUpdate" | "Action";
    HistorySummary: string;
    Timestamp: Date;
}

/** What the fake answers besides the alarms' states. */
export interface FakeCloudWatchOptions {
    /** Every alarm's history, in any order. */
    history?: HistoryItem[];
    /** Operations refused as IAM refuses a role without the action (see refusal below). */
    denied?: string[];
    /**
     * GetMetricData's answer body instead of every query Complete with no data points: given the request (its NextToken
     * among it), the JSON the fake sends as it is, so a test can answer what CloudWatch could send and what it should not.
     */
    metricData?: (input: Record<string, any>) => object;
    /** DescribeAlarms' answer body instead of the alarms' own pages, given the request (its NextToken among it), sent as it is. */
    alarmPages?: (input: Record<string, any>) => object;
}

export interface FakeCloudWatch {
    endpoint: string;
    /** The body of every DescribeAlarms request, in order. */
    describeAlarms: { AlarmNames?: string[]; MaxRecords?: number; NextToken?: string }[];
    /** The body of every DescribeAlarmHistory request, in order. */
    describeAlarmHistory: Record<string, unknown>[];
    /** The body of every GetMetricData request, in order. */
    getMetricData: Record<string, any>[];
    /**
     * What a request asked that its model does not allow: DescribeAlarms' AlarmNames over 100, MaxRecords out of 1-100;
     * GetMetricData's query Ids, Periods and MetricStat outside their rules (answerGetMetricData below).
     */
    outsideTheModel: string[];
    close(): Promise<void>;
}

const JSON_1_0 = "application/x-amz-json-1.0";
const TARGET_PREFIX = "GraniteServiceVersion20100801.";

/**
 * DescribeAlarms' limits (CloudWatch API reference, DescribeAlarms; botocore
 * botocore/data/cloudwatch/2010-08-01/service-2.json: AlarmNames "max":100, MaxRecords "min":1 "max":100, NextToken).
 */
const MAX_ALARM_NAMES = 100;
const MAX_RECORDS = 100;
/**
 * The page this fake answers when MaxRecords is left out: an assumption, not CloudWatch's documented figure (the API
 * reference states the range, 1-100, and no default). The release always sends MaxRecords; a request without it pages
 * here as any default below the names asked would.
 */
const DEFAULT_RECORDS = 50;

/**
 * CloudWatch on loopback, in the protocol @aws-sdk/client-cloudwatch speaks to it (AWS JSON 1.0, X-Amz-Target
 * GraniteServiceVersion20100801.<Operation>: botocore service-2.json metadata "jsonVersion":"1.0", "targetPrefix").
 * DescribeAlarms answers the named metric alarms that exist, MaxRecords (or the default) a page, with a NextToken while
 * there are more and none on the last page (API reference: "The token that marks the start of the next batch of
 * returned results"); names that name no alarm are left out. GetMetricData answers each query Complete with no data
 * points (API reference, GetMetricData: MetricDataResults of Id, Label, Timestamps, Values and StatusCode, one of
 * Complete, InternalError, PartialData, Forbidden; and Messages), and checks the request against its model
 * (answerGetMetricData). DescribeAlarmHistory answers the items of `history`
 * (below). An operation in `denied` is refused as IAM refuses it (below). Anything else is AWS's bare 400
 * UnknownOperationException (scripts/offline/awsErrorAnswer.ts, answerUnknownOperation: its source).
 */
export async function startFakeCloudWatch(alarms: Record<string, AlarmState>, { history = [], denied = [], metricData, alarmPages }: FakeCloudWatchOptions = {}): Promise<FakeCloudWatch> {
    const describeAlarms: FakeCloudWatch["describeAlarms"] = [];
    const describeAlarmHistory: FakeCloudWatch["describeAlarmHistory"] = [];
    const getMetricData: FakeCloudWatch["getMetricData"] = [];
    const outsideTheModel: string[] = [];
    const reply = (res: ServerResponse, status: number, body: object) => void res.writeHead(status, { "content-type": JSON_1_0 }).end(JSON.stringify(body));

    const answerDescribeAlarms = (input: FakeCloudWatch["describeAlarms"][number], res: ServerResponse) => {
        describeAlarms.push(input);
        const names = input.AlarmNames ?? [];
        if (names.length > MAX_ALARM_NAMES) outsideTheModel.push(`AlarmNames has ${names.length} members`);
        if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > MAX_RECORDS)) outsideTheModel.push(`MaxRecords ${input.MaxRecords}`);
        if (alarmPages) return reply(res, 200, alarmPages(input));
        const matching = names.filter((name) => name in alarms).sort();
        const from = input.NextToken ? Number(Buffer.from(input.NextToken, "base64").toString("utf8")) : 0;
        const to = from + (input.MaxRecords ?? DEFAULT_RECORDS);
        const page = matching.slice(from, to).map((AlarmName) => ({ AlarmName, StateValue: alarms[AlarmName] }));
        reply(res, 200, { MetricAlarms: page, ...(to < matching.length ? { NextToken: Buffer.from(String(to), "utf8").toString("base64") } : {}) });
    };

    /**
     * DescribeAlarmHistory: the items of AlarmName (every alarm's without one) of HistoryItemType, newest first unless
     * ScanBy is TimestampAscending, MaxRecords of them (API reference, DescribeAlarmHistory); Timestamp as epoch seconds,
     * as AWS JSON 1.0 writes a timestamp. One page: the release reads only the newest.
     */
    const answerDescribeAlarmHistory = (input: Record<string, unknown>, res: ServerResponse) => {
        describeAlarmHistory.push(input);
        // DescribeAlarmHistory's MaxRecords is the same 1-100 (botocore service-2.json: DescribeAlarmHistoryInput MaxRecords, shape MaxRecords).
        const max = input.MaxRecords as number | undefined;
        if (max !== undefined && (max < 1 || max > MAX_RECORDS)) outsideTheModel.push(`DescribeAlarmHistory MaxRecords ${max}`);
        const items = history
            .filter((i) => (input.AlarmName === undefined || i.AlarmName === input.AlarmName) && (input.HistoryItemType === undefined || i.HistoryItemType === input.HistoryItemType))
            .sort((a, b) => (input.ScanBy === "TimestampAscending" ? 1 : -1) * (a.Timestamp.getTime() - b.Timestamp.getTime()))
            .slice(0, Number(input.MaxRecords ?? DEFAULT_RECORDS));
        reply(res, 200, { AlarmHistoryItems: items.map((i) => ({ ...i, AlarmType: "MetricAlarm", HistoryData: "{}", Timestamp: i.Timestamp.getTime() / 1000 })) });
    };

    /**
     * GetMetricData checks what CloudWatch's model asks of a request, and records what breaks it in `outsideTheModel`
     * (the fake does not know CloudWatch's words for refusing it): botocore
     * botocore/data/cloudwatch/2010-08-01/service-2.json, GetMetricDataInput (MetricDataQueries, StartTime, EndTime
     * required; "as many as 500 MetricDataQuery structures"), MetricDataQuery.Id ("This name must be unique within a
     * single call to GetMetricData", "The valid characters are letters, numbers, and underscore. The first character
     * must be a lowercase letter", shape MetricId min 1 max 255), MetricDataQuery.MetricStat ("you must specify either
     * Expression or MetricStat but not both"), MetricStat.Period ("For metrics with regular resolution, a period can be
     * as short as one minute (60 seconds) and must be a multiple of 60": Lambda's metrics and the service's ServerErrors
     * are of regular resolution). EndTime is exclusive, so a StartTime not before it asks for nothing.
     * The answer: each query Complete with no data points (Timestamps and Values empty: CloudWatch has none to return;
     * API reference, MetricDataResult). Its Label is the stand-in's own (the query's Id): CloudWatch "generates a
     * default" when the query has none (MetricDataQuery.Label), in words the reference does not give.
     */
    const answerGetMetricData = (input: Record<string, any>, res: ServerResponse) => {
        getMetricData.push(input);
        const queries: Record<string, any>[] = input.MetricDataQueries ?? [];
        for (const field of ["MetricDataQueries", "StartTime", "EndTime"]) if (input[field] === undefined) outsideTheModel.push(`GetMetricData without ${field}`);
        if (queries.length > 500) outsideTheModel.push(`GetMetricData with ${queries.length} queries`);
        if (input.StartTime !== undefined && input.EndTime !== undefined && !(input.StartTime < input.EndTime)) outsideTheModel.push(`GetMetricData StartTime ${input.StartTime} not before EndTime ${input.EndTime}`);
        const ids = queries.map((q) => String(q.Id ?? ""));
        for (const id of ids) if (!/^[a-z][A-Za-z0-9_]{0,254}$/.test(id)) outsideTheModel.push(`GetMetricData query Id ${JSON.stringify(id)}`);
        for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) outsideTheModel.push(`GetMetricData query Id ${JSON.stringify(id)} more than once`);
        for (const q of queries) {
            if ((q.MetricStat === undefined) === (q.Expression === undefined)) outsideTheModel.push(`GetMetricData query ${q.Id}: MetricStat or Expression, not both or neither`);
            const period = q.MetricStat?.Period;
            if (q.MetricStat && !(Number.isInteger(period) && period >= 60 && period % 60 === 0)) outsideTheModel.push(`GetMetricData query ${q.Id} Period ${period}`);
        }
        if (metricData) return reply(res, 200, metricData(input));
        reply(res, 200, { MetricDataResults: queries.map((q) => ({ Id: q.Id, Label: q.Id, Timestamps: [], Values: [], StatusCode: "Complete" })), Messages: [] });
    };

    /**
     * A role without the action: CloudWatch's code is AccessDenied, 403, with IAM's words ("User: <role session> is not
     * authorized to perform: cloudwatch:<action>", as logged in grafana/grafana#9076; the "because no identity-based
     * policy allows the <action> action" IAM has added since, IAM User Guide, "Troubleshoot access denied error
     * messages"), which client-cloudwatch (awsQueryCompatible) takes from the x-amzn-query-error header, "<code>;<Sender|Receiver>".
     * The body's __type is the stand-in's own: the header decides the error's name.
     */
    const refusal = (operation: string, res: ServerResponse) =>
        answerAwsJsonError(
            res,
            403,
            "AccessDenied",
            `User: arn:aws:sts::123456789012:assumed-role/release-prod/release is not authorized to perform: cloudwatch:${operation} because no identity-based policy allows the cloudwatch:${operation} action`,
            { version: "1.0", headers: { "x-amzn-query-error": "AccessDenied;Sender" } },
        );

    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
            const operation = String(req.headers["x-amz-target"] ?? "").replace(TARGET_PREFIX, "");
            if (denied.includes(operation)) return refusal(operation, res);
            if (operation === "DescribeAlarms") return answerDescribeAlarms(input, res);
            if (operation === "DescribeAlarmHistory") return answerDescribeAlarmHistory(input, res);
            if (operation === "GetMetricData") return answerGetMetricData(input, res);
            answerUnknownOperation(res, { version: "1.0" });
        });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        describeAlarms,
        describeAlarmHistory,
        getMetricData,
        outsideTheModel,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}
