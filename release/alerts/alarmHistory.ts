import type { CloudWatchClientConfig } from "@aws-sdk/client-cloudwatch";
import { AlarmAction, LastAlarmActions } from "./alarmActions";
import { awsAnswer, boundedAttempts } from "../awsReadAttempts";

/** DescribeAlarmHistory's largest page (CloudWatch API Reference, DescribeAlarmHistory: MaxRecords 1-100). */
const MAX_RECORDS = 100;

/** Whether a history summary is about the topic: "... action <topic ARN>" ending there or followed by ". Received error: ...". */
const aboutTopic = (summary: string, topicArn: string) => summary.endsWith(` ${topicArn}`) || summary.includes(` ${topicArn}. `);

/**
 * Reads each alarm's newest action on the topic with DescribeAlarmHistory (HistoryItemType Action, newest first: ScanBy
 * TimestampDescending), one alarm at a time: the release reads a stack's few alarms once, before traffic moves. A refused
 * or unanswered read fails, naming the alarm and the permission. Each attempt is bounded (boundedAttempts).
 * `attemptTimeoutMs`: instead of CALL_ATTEMPT's.
 */
export async function cloudWatchAlarmActions({ attemptTimeoutMs, ...config }: CloudWatchClientConfig & { attemptTimeoutMs?: number }): Promise<LastAlarmActions> {
    const { CloudWatchClient, DescribeAlarmHistoryCommand } = await import("@aws-sdk/client-cloudwatch");
    const client = new CloudWatchClient({ ...config, ...boundedAttempts(attemptTimeoutMs) });
    return async (alarmNames, topicArn) => {
        const actions: AlarmAction[] = [];
        for (const alarm of alarmNames) {
            const { AlarmHistoryItems = [] } = await client
                .send(new DescribeAlarmHistoryCommand({ AlarmName: alarm, AlarmTypes: ["MetricAlarm"], HistoryItemType: "Action", ScanBy: "TimestampDescending", MaxRecords: MAX_RECORDS }))
                .catch((err: unknown): never => {
                    throw new Error(`CloudWatch did not give the history of ${alarm} (DescribeAlarmHistory, which needs cloudwatch:DescribeAlarmHistory): ${awsAnswer(err)}`, { cause: err });
                });
            const newest = AlarmHistoryItems.find((item) => item.Timestamp && aboutTopic(item.HistorySummary ?? "", topicArn));
            if (newest) actions.push({ alarm, at: newest.Timestamp!, summary: newest.HistorySummary! });
        }
        return actions;
    };
}
