import * as assert from "assert";
import { runProgram } from "../../scripts/offline/runProgram";
import { readStackFile } from "../../config/stackFile";
import { withSettings } from "../harness/stackConfig";

/**
 * The checklist's "resource use passes 90 %" pages someone on both clouds at the figure that rolls a release back
 * (release.maxUtilizationPercent), so an alarm never fires below the gate and moves traffic back early, or keeps quiet
 * above it. The dashboards draw the same line.
 */
describe("resource-use alarms follow release.maxUtilizationPercent", function () {
    this.timeout(60_000);

    it("prod at 80 %: the API's concurrency alarm, Cloud Run's CPU, memory and instance alerts and both dashboards' lines move to 80 %", async () => {
        const { cloud } = await runProgram("prod", { config: withSettings("prod", "release", { maxUtilizationPercent: 80 }), secretKeys: readStackFile("prod").secretKeys });
        const alarm = cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.name.endsWith("-api-concurrency"));
        assert.ok(alarm, "prod reserves concurrency for the API: its alarm is there");
        assert.strictEqual(alarm.inputs.threshold, 80, "80 % of the 100 reserved");
        const alert = (suffix: string) => cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy").find((p) => p.name.endsWith(suffix))!.inputs.conditions[0].conditionThreshold.thresholdValue;
        assert.deepStrictEqual([alert("-cpu-utilization"), alert("-memory-utilization"), alert("-instances")], [0.8, 0.8, 8], "80 % of the CPU, the memory and prod's 10 max instances");
        const awsDashboard = JSON.parse(cloud.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
        const awsLines = awsDashboard.widgets.flatMap((w: any) => w.properties?.annotations?.horizontal ?? []).map((l: any) => l.label);
        assert.ok(awsLines.includes("alarm: > 80 % of 100 reserved"), awsLines.join("; "));
        const gcpDashboard = cloud.one("gcp:monitoring/dashboard:Dashboard").inputs.dashboardJson;
        assert.ok(gcpDashboard.includes("alarm: > 80 % of 10 max instances"), "Cloud Monitoring's instances line");
    });
});
