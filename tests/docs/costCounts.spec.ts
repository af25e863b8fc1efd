import * as assert from "assert";
import { parseStackSettings } from "../../config";
import { readStackFile } from "../../config/stackFile";
import { alertPolicyConditions, cloudWatchAlarmMetrics } from "../../review/cost/counts";
import { readProjectFile } from "./docReferences";

/**
 * docs/delivery.md's "Monthly cost" counts the billed alarm metrics and alert conditions; review/cost/counts.ts is what
 * the estimate bills (checked against the offline plans in tests/review/cost.spec.ts). The request floors added a
 * metric and two conditions while the page still said 15 and 5.
 */
describe("docs/delivery.md counts the alarm metrics and alert conditions the cost estimate bills", () => {
    const guide = readProjectFile("docs/delivery.md").replace(/\s+/g, " ");
    const { config, secretKeys } = readStackFile("dev");
    const dev = parseStackSettings({ values: config, secretKeys: new Set(secretKeys) }, "dev");

    it("CloudWatch alarm metrics without and with a reserved concurrency", () => {
        const without = cloudWatchAlarmMetrics({ aws: { ...dev.aws, reservedConcurrency: undefined } });
        const withReservation = cloudWatchAlarmMetrics({ aws: { ...dev.aws, reservedConcurrency: 100 } });
        const said = guide.match(/CloudWatch alarm metrics \((\d+), or (\d+) with the API's concurrency alarm/);
        assert.deepStrictEqual(said?.slice(1).map(Number), [without, withReservation]);
    });

    it("alert policy conditions without and with the uptime check", () => {
        const without = alertPolicyConditions({ gcp: { ...dev.gcp, ingress: "internal" } });
        const withUptime = alertPolicyConditions({ gcp: { ...dev.gcp, ingress: "all" } });
        const said = guide.match(/alert policy conditions \((\d+): [^;]*; (\d+) with the uptime check\)/);
        assert.deepStrictEqual(said?.slice(1).map(Number), [without, withUptime]);
    });
});
