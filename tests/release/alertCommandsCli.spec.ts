import * as assert from "assert";
import { alarmDeliveryProblem, removableSubscriptionNotices } from "../../release/alerts/alarmDelivery";
import { deliveryTestCommand } from "../../release/alerts/alarmActions";
import { unknownCliWords } from "../harness/cliTable";

// The table the docs' commands are judged by (tests/harness/cliTable.ts) judges the aws commands the release prints
// when alarms reach nobody: a flag the CLI lacks there is found during the incident otherwise.
describe("release: the aws commands an alarm message prints are ones the CLI takes", () => {
    it("every aws command a release's alarm message gives is one the CLI takes", () => {
        const topic = "arn:aws:sns:eu-west-1:123456789012:alarms";
        const messages = [
            alarmDeliveryProblem(topic, "oncall@example.org", [{ protocol: "email", endpoint: "oncall@example.org", confirmed: false }]) ?? "",
            ...removableSubscriptionNotices(topic, "oncall@example.org", [{ protocol: "email", endpoint: "pager@example.org", confirmed: true, arn: `${topic}:1`, confirmedWithCredentials: false }]),
            deliveryTestCommand(topic, "api-errors-1a2b3c4"),
        ];
        const commands = messages.flatMap((m) => [...m.matchAll(/\baws [a-z0-9-]+ [a-z0-9-]+[^,;()]*/g)].map((c) => c[0]));
        assert.ok(["subscribe", "unsubscribe", "confirm-subscription", "set-alarm-state"].every((op) => commands.some((c) => c.split(" ")[2] === op)), commands.join("\n"));
        assert.deepStrictEqual(commands.flatMap(unknownCliWords), []);
    });
});
