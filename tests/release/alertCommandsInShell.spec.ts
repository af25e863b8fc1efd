import * as assert from "assert";
import { alarmDeliveryProblem, removableSubscriptionNotices } from "../../release/alerts/alarmDelivery";
import { deliveryTestCommand } from "../../release/alerts/alarmActions";
import { asTheAwsCliReadsIt } from "../harness/awsCliArguments";
import { ALARM_TOPIC } from "./fakes";

/** The value of `flag` as the CLI reads it when a shell runs the aws command `message` gives from `start` to `end` (or its end). */
function valueTheCliGets(message: string, start: string, end: string, flag: string): string | undefined {
    const from = message.indexOf(start);
    assert.ok(from >= 0, message);
    const to = message.indexOf(end, from);
    return asTheAwsCliReadsIt(message.slice(from, to < 0 ? undefined : to))[flag];
}

// Before: the endpoint and the alarm's name went into the printed commands as they were, so an address with a `'`
// (o'brien@...), an endpoint URL with `&`, or an alarm name with a space reached the CLI cut or broke the shell.
describe("release: the aws commands an alarm message prints pass each value to the CLI whole through a POSIX shell", () => {
    it("aws sns subscribe's --notification-endpoint, for the stack's address and for one added by hand", () => {
        const email = "o'brien@example.org";
        const pending = alarmDeliveryProblem(ALARM_TOPIC, email, [{ protocol: "email", endpoint: email, confirmed: false }])!;
        assert.strictEqual(valueTheCliGets(pending, "aws sns subscribe", "):", "--notification-endpoint"), email);
        const hook = "https://hooks.example.org/alarm?team=a b&key='x'";
        const [notice] = removableSubscriptionNotices(ALARM_TOPIC, email, [{ protocol: "https", endpoint: hook, confirmed: true, arn: `${ALARM_TOPIC}:1`, confirmedWithCredentials: false }]);
        assert.strictEqual(valueTheCliGets(notice, "aws sns subscribe", " to subscribe it again", "--notification-endpoint"), hook);
    });

    // Before: a value beginning with "-" followed its flag as a word of its own, which the CLI's argparse reads as
    // another option: "argument --alarm-name: expected one argument".
    it("a value beginning with '-', which the CLI would read as an option: the address's, the alarm's name", () => {
        const email = "-ops@example.org";
        const pending = alarmDeliveryProblem(ALARM_TOPIC, email, [{ protocol: "email", endpoint: email, confirmed: false }])!;
        assert.strictEqual(valueTheCliGets(pending, "aws sns subscribe", "):", "--notification-endpoint"), email);
        for (const alarm of ["-api-errors-1a2b3c4", "-5", "-api errors"]) {
            assert.strictEqual(valueTheCliGets(deliveryTestCommand(ALARM_TOPIC, alarm), "aws cloudwatch", "\n", "--alarm-name"), alarm);
        }
    });

    it("aws cloudwatch set-alarm-state's --alarm-name", () => {
        const alarm = "api errors (it's prod)";
        const command = deliveryTestCommand(ALARM_TOPIC, alarm);
        assert.strictEqual(valueTheCliGets(command, "aws cloudwatch", "\n", "--alarm-name"), alarm);
        assert.ok(deliveryTestCommand(ALARM_TOPIC, "api-errors-1a2b3c4").includes("--alarm-name api-errors-1a2b3c4 "), "a name the shell reads as written stays unquoted");
    });
});
