import { topicRegion } from "../../components/aws/snsConfirmation";
import { awsCliOption } from "../../components/aws/awsCliOption";
/**
 * Whether the alarms' notifications really reach the topic. An alarm whose publish fails still changes state and
 * turns red in the console; the only trace is its history: an item of type Action whose summary reads "Failed to execute
 * action <topic ARN>. Received error: ..." (AWS Knowledge Center, "Why didn't I receive an SNS notification for my
 * CloudWatch alarm trigger?"), for instance when the topic's key does not let CloudWatch use it ("CloudWatch Alarms does
 * not have authorization to access the SNS topic encryption key.") or the topic policy does not let it publish. Every
 * alarm of the stack notifies the topic on OK too, so CloudWatch tries a first notification within minutes of the
 * alarm's creation (its first evaluation moves it from INSUFFICIENT_DATA to OK): a stack's first release finds that
 * attempt in the history, and with it whether the topic's key and policy let CloudWatch publish.
 */

/** An alarm's newest notification to the topic, as its history records it. */
export interface AlarmAction {
    alarm: string;
    at: Date;
    /** CloudWatch's HistorySummary of the action. */
    summary: string;
}

/** Of each alarm, its newest notification to `topicArn` in CloudWatch's history (none for an alarm without one). */
export type LastAlarmActions = (alarmNames: readonly string[], topicArn: string) => Promise<AlarmAction[]>;

/** How CloudWatch begins the summary of an action it could not carry out (the Knowledge Center article above). */
const FAILED_ACTION = "Failed to execute action";

const failed = (a: AlarmAction) => a.summary.startsWith(FAILED_ACTION);

/**
 * `aws cloudwatch set-alarm-state` of `alarm` to ALARM: CloudWatch notifies the topic at once, and again (OK) when the
 * alarm goes back (CloudWatch API Reference, SetAlarmState: "temporarily changing the alarm state to ALARM sends an SNS
 * message. Metric alarms returns to their actual state quickly, often within seconds"); the history then says whether
 * both went through.
 */
export function deliveryTestCommand(topicArn: string, alarm: string): string {
    return `aws cloudwatch set-alarm-state --region ${topicRegion(topicArn)} ${awsCliOption("--alarm-name", alarm)} --state-value ALARM --state-reason "alarm delivery test"`;
}

/**
 * What the release makes of the alarms' newest notifications: a refusal when the newest of all failed (the alarms reach
 * nobody now), a notice when an alarm's newest failed before another's later one went through, or when the history
 * holds none (delivery untested).
 */
export function alarmActionFindings(topicArn: string, alarms: readonly string[], actions: readonly AlarmAction[]): { problem?: string; notice?: string } {
    if (actions.length === 0) {
        return {
            notice: `CloudWatch's history holds no notification of the stack's alarms to ${topicArn} (an alarm notifies it within minutes of its creation, and the history is kept for a limited time), so their delivery is untested; to test it: ${deliveryTestCommand(topicArn, alarms[0])}`,
        };
    }
    const newest = actions.reduce((a, b) => (b.at > a.at ? b : a));
    const failures = actions.filter(failed);
    if (failures.length === 0) return {};
    const when = (a: AlarmAction) => `${a.alarm} at ${a.at.toISOString()}`;
    if (failed(newest)) {
        const others = failures.filter((a) => a !== newest);
        return {
            problem:
                `the alarms reach nobody: CloudWatch's newest notification to ${topicArn} failed (${when(newest)}): ${newest.summary}` +
                (others.length ? `; the newest of ${others.map((a) => a.alarm).join(", ")} failed too` : "") +
                `. Give CloudWatch what the error names (the topic's key policy lets cloudwatch.amazonaws.com use the key, the topic policy lets it publish), ` +
                `then test the delivery: ${deliveryTestCommand(topicArn, newest.alarm)}; then run the release again`,
        };
    }
    return {
        notice: `${failures.map(when).join(", ")}: the newest notification to ${topicArn} of ${failures.length === 1 ? "this alarm" : "these alarms"} failed, and a later one of another alarm went through (${when(newest)}); to see that each reaches it: ${deliveryTestCommand(topicArn, failures[0].alarm)}`,
    };
}
