import * as assert from "assert";
import { runProgram } from "../../scripts/offline/runProgram";
import { readStackFile } from "../../config/stackFile";
import { withSettings } from "../harness/stackConfig";

/**
 * The release judges error rate and p95 only on at least release.minRequests requests, and its alarm gate reads the
 * standing alarms whatever the traffic: the alarms take the stack's figure, so a quiet window's one failed request
 * neither pages anyone nor rolls a release back that the rate gate would still be waiting on.
 */
describe("error-rate and p95 alarms follow release.minRequests", function () {
    this.timeout(60_000);

    it("prod at 250: the API's error-rate and p95 alarms and Cloud Run's 5xx-ratio and p95 alerts judge only a window of 250 requests or more", async () => {
        const { cloud } = await runProgram("prod", { config: withSettings("prod", "release", { minRequests: 250 }), secretKeys: readStackFile("prod").secretKeys });
        const judged = (suffix: string) => cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.name.endsWith(suffix))!.inputs.metricQueries.find((q: any) => q.returnData).expression;
        assert.deepStrictEqual([judged("-api-error-rate"), judged("-api-p95-duration")], ["IF(invocations >= 250, errorRate, 0)", "IF(invocations >= 250, p95, 0)"]);
        const floor = (suffix: string) => cloud.ofType("gcp:monitoring/alertPolicy:AlertPolicy").find((p) => p.name.endsWith(suffix))!.inputs.conditions[1].conditionThreshold.thresholdValue;
        assert.deepStrictEqual([floor("-5xx-ratio"), floor("-p95-latency")], [249, 249], "a count above 249: 250 or more");
    });
});
