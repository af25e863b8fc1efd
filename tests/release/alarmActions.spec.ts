import * as assert from "assert";
import { AlarmAction, LastAlarmActions } from "../../release/alerts/alarmActions";
import { cloudWatchAlarmActions } from "../../release/alerts/alarmHistory";
import type { ReleaseEvent } from "../../release/events";
import { runRelease } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import { HistoryItem, startFakeCloudWatch } from "./fakeCloudWatch";
import { ALARM_TOPIC, FakeStack, HEALTHY, depsFor, fakeMetrics, fakeProbes } from "./fakes";

const AWS_WEIGHT = "multicloud-service:aws.canary.weightPercent";
const CREDENTIALS = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" };
const [API_ALARM, WORKER_ALARM, EXECUTIONS_ALARM] = ["pipeline-api-error-rate-abc", "pipeline-worker-error-rate-def", "pipeline-failed-executions-0ff"];

/**
 * HistorySummary as CloudWatch writes an action's: "Successfully executed action <topic ARN>" (as describe-alarm-history
 * prints it in public write-ups of alarm tests), and for a failed publish "Failed to execute action <topic ARN>. Received
 * error: ..." (AWS Knowledge Center, "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?"), with
 * the words CloudWatch gives a topic key that does not let it in (as a platform team's alarm history recorded them:
 * "CloudWatch Alarms does not have authorization to access the SNS topic encryption key.").
 */
const SUCCEEDED = `Successfully executed action ${ALARM_TOPIC}`;
const KMS_REFUSED = `Failed to execute action ${ALARM_TOPIC}. Received error: "CloudWatch Alarms does not have authorization to access the SNS topic encryption key."`;

const at = (iso: string) => new Date(iso);
const action = (alarm: string, when: string, summary: string): AlarmAction => ({ alarm, at: at(when), summary });
const notices = (events: ReleaseEvent[]) => events.flatMap((e) => (e.kind === "notice" ? [e.text] : []));

describe("release: the alarms' newest notifications to the topic, from CloudWatch's alarm history", () => {
    it("the newest notification failed (CloudWatch could not use the topic's key): the release stops before anything is deployed, in CloudWatch's words, with the command that tests delivery", async () => {
        const stack = new FakeStack();
        const probes = fakeProbes();
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        const asked: string[][] = [];
        // Each alarm's first evaluation after `pulumi up` (INSUFFICIENT_DATA to OK) sent its OK notification, and all failed.
        const alarmActions: LastAlarmActions = async (names, topic) => {
            asked.push([...names, topic]);
            return names.map((name, i) => action(name, `2026-12-05T10:0${i}:00Z`, KMS_REFUSED));
        };
        await assert.rejects(runRelease({ ...depsFor(stack, metrics, [], probes.probes), alarmActions }), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.ok(
                err.message.startsWith(`aws: the alarms reach nobody: CloudWatch's newest notification to ${ALARM_TOPIC} failed (${EXECUTIONS_ALARM} at 2026-12-05T10:02:00.000Z): ${KMS_REFUSED}; the newest of ${API_ALARM}, ${WORKER_ALARM} failed too.`),
                err.message,
            );
            assert.ok(err.message.includes(`aws cloudwatch set-alarm-state --region ap-northeast-1 --alarm-name ${EXECUTIONS_ALARM} --state-value ALARM --state-reason "alarm delivery test"`), err.message);
            assert.match(err.message, /No traffic moved$/);
            return true;
        });
        assert.deepStrictEqual(asked, [[API_ALARM, WORKER_ALARM, EXECUTIONS_ALARM, ALARM_TOPIC]], "the stack's gate alarms, on its topic");
        assert.strictEqual(stack.ups, 0, "checked on the outputs before the new version was deployed");
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), []);
        assert.strictEqual(reads.length, 0, "no bake began");
        assert.deepStrictEqual(probes.verified, []);
    });

    it("an alarm whose newest notification failed before another alarm's later one went through: the release goes on and names it", async () => {
        const events: ReleaseEvent[] = [];
        const alarmActions: LastAlarmActions = async () => [action(API_ALARM, "2026-12-01T09:00:00Z", KMS_REFUSED), action(WORKER_ALARM, "2026-12-04T09:00:00Z", SUCCEEDED)];
        const outcome = await runRelease({ ...depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events), alarmActions });
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
        const notice = notices(events).find((text) => text.includes("failed, and a later one"));
        assert.ok(notice, JSON.stringify(notices(events)));
        assert.ok(notice.startsWith(`aws: ${API_ALARM} at 2026-12-01T09:00:00.000Z: the newest notification to ${ALARM_TOPIC} of this alarm failed, and a later one of another alarm went through (${WORKER_ALARM} at 2026-12-04T09:00:00.000Z)`), notice);
        assert.ok(notice.includes(`--alarm-name ${API_ALARM} --state-value ALARM`), notice);
    });

    it("every newest notification went through: nothing is said, and the release goes on", async () => {
        const events: ReleaseEvent[] = [];
        const asked: string[][] = [];
        const alarmActions: LastAlarmActions = async (names, topic) => (asked.push([...names, topic]), names.map((name) => action(name, "2026-12-04T09:00:00Z", SUCCEEDED)));
        const outcome = await runRelease({ ...depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events), alarmActions });
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
        assert.deepStrictEqual(asked, [[API_ALARM, WORKER_ALARM, EXECUTIONS_ALARM, ALARM_TOPIC]], "the history was read");
        assert.deepStrictEqual(notices(events).filter((text) => text.includes("notification")), []);
    });

    it("no notification in the history (alarms not yet evaluated, or quiet past the history's keeping): delivery is said to be untested; the release goes on", async () => {
        const events: ReleaseEvent[] = [];
        const outcome = await runRelease({ ...depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events), alarmActions: async () => [] });
        assert.strictEqual(outcome.decision, "promoted");
        const notice = notices(events).find((text) => text.startsWith(`aws: CloudWatch's history holds no notification of the stack's alarms to ${ALARM_TOPIC}`));
        assert.ok(notice?.includes("delivery is untested"), JSON.stringify(notices(events)));
        // Ready to paste: one of the stack's own alarms, not a placeholder a shell would read as a redirection.
        assert.ok(notice!.endsWith(`aws cloudwatch set-alarm-state --region ap-northeast-1 --alarm-name ${API_ALARM} --state-value ALARM --state-reason "alarm delivery test"`), notice);
    });

    it("a history CloudWatch refuses to give is said, and the release goes on (the confirmed subscription already shows someone is there)", async () => {
        const events: ReleaseEvent[] = [];
        const cloudWatch = await startFakeCloudWatch({}, { denied: ["DescribeAlarmHistory"] });
        try {
            const alarmActions = await cloudWatchAlarmActions({ region: "ap-northeast-1", endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
            const outcome = await runRelease({ ...depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, events), alarmActions });
            assert.strictEqual(outcome.decision, "promoted");
        } finally {
            await cloudWatch.close();
        }
        const notice = notices(events).find((text) => text.includes("could not tell whether the alarms' notifications"));
        assert.ok(notice, JSON.stringify(notices(events)));
        assert.ok(
            notice.startsWith(
                `aws: could not tell whether the alarms' notifications reach ${ALARM_TOPIC}: CloudWatch did not give the history of ${API_ALARM} (DescribeAlarmHistory, which needs cloudwatch:DescribeAlarmHistory): AccessDenied: User: arn:aws:sts::123456789012:assumed-role/release-prod/release is not authorized to perform: cloudwatch:DescribeAlarmHistory`,
            ),
            notice,
        );
    });

    it("reads each alarm's Action items newest first through the SDK, and takes the newest about the topic", async () => {
        const otherTopic = `${ALARM_TOPIC}-old`;
        const history: HistoryItem[] = [
            { AlarmName: API_ALARM, HistoryItemType: "Action", HistorySummary: SUCCEEDED, Timestamp: at("2026-12-01T09:00:00Z") },
            { AlarmName: API_ALARM, HistoryItemType: "Action", HistorySummary: KMS_REFUSED, Timestamp: at("2026-12-03T09:00:00Z") },
            // Newer, but about another topic whose ARN begins with this one's: not this topic's notification.
            { AlarmName: API_ALARM, HistoryItemType: "Action", HistorySummary: `Successfully executed action ${otherTopic}`, Timestamp: at("2026-12-04T09:00:00Z") },
            // A state change is not a notification.
            { AlarmName: API_ALARM, HistoryItemType: "StateUpdate", HistorySummary: "Alarm updated from OK to ALARM", Timestamp: at("2026-12-05T09:00:00Z") },
            { AlarmName: WORKER_ALARM, HistoryItemType: "Action", HistorySummary: SUCCEEDED, Timestamp: at("2026-12-02T09:00:00Z") },
        ];
        const cloudWatch = await startFakeCloudWatch({}, { history });
        try {
            const read = await cloudWatchAlarmActions({ region: "ap-northeast-1", endpoint: cloudWatch.endpoint, credentials: CREDENTIALS });
            assert.deepStrictEqual(await read([API_ALARM, WORKER_ALARM, EXECUTIONS_ALARM], ALARM_TOPIC), [
                action(API_ALARM, "2026-12-03T09:00:00Z", KMS_REFUSED),
                action(WORKER_ALARM, "2026-12-02T09:00:00Z", SUCCEEDED),
            ]);
            assert.deepStrictEqual(
                cloudWatch.describeAlarmHistory,
                [API_ALARM, WORKER_ALARM, EXECUTIONS_ALARM].map((AlarmName) => ({ AlarmName, AlarmTypes: ["MetricAlarm"], HistoryItemType: "Action", ScanBy: "TimestampDescending", MaxRecords: 100 })),
            );
            assert.deepStrictEqual(cloudWatch.outsideTheModel, []);
        } finally {
            await cloudWatch.close();
        }
    });
});
