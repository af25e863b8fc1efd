/**
 * What in DescribeAlarms' answer is not as CloudWatch sends it, named, or undefined. Each page's MetricAlarms is a list
 * of MetricAlarm, each with its AlarmName and its StateValue, one of OK, ALARM and INSUFFICIENT_DATA
 * (@aws-sdk/client-cloudwatch MetricAlarm and the StateValue enum; botocore cloudwatch service-2.json). The SDK hands
 * the answer's JSON on as it came, so a null, a nameless alarm or a state of another name would reach the gate as a
 * TypeError or as an alarm that is not firing; and an alarm the release did not ask for would fire a gate of the stack's
 * that does not exist. The read stops instead.
 */
import type { DescribeAlarmsCommandOutput } from "@aws-sdk/client-cloudwatch";
import { describeValue } from "../../config/errors";

const STATES: readonly unknown[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];

/** An alarm shows more of itself than a setting's value does: its name and state may come after its ARN. */
const shown = (value: unknown) => describeValue(value, 200);

export function alarmAnswerProblem(pages: readonly Pick<DescribeAlarmsCommandOutput, "MetricAlarms">[], asked: readonly string[]): string | undefined {
    for (const page of pages) {
        const alarms: unknown = page.MetricAlarms ?? [];
        if (!Array.isArray(alarms)) return `MetricAlarms is ${shown(alarms)}, not a list`;
        for (const alarm of alarms as unknown[]) {
            if (typeof alarm !== "object" || alarm === null) return `an alarm that is ${shown(alarm)}`;
            const { AlarmName, StateValue } = alarm as Record<string, unknown>;
            if (typeof AlarmName !== "string") return `an alarm without an AlarmName: ${shown(alarm)}`;
            if (!STATES.includes(StateValue)) return `${AlarmName}'s StateValue is ${shown(StateValue)}, not OK, ALARM or INSUFFICIENT_DATA`;
            if (!asked.includes(AlarmName)) return `${AlarmName}, which the release did not ask for`;
        }
    }
    return undefined;
}
