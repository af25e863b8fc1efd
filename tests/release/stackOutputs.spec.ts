import * as assert from "assert";
import { runProgram } from "../../scripts/offline/runProgram";
import { deployedFromOutputs } from "../../release/stack/outputs";

/** `aws.apiVersion`-style flattened outputs back into the `aws` / `gcp` objects `Stack.outputs()` returns. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
    const nested: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(flat)) {
        const [cloud, name] = key.split(/\.(.*)/s);
        (nested[cloud] ??= {})[name] = value;
    }
    return nested;
}

describe("the stack outputs the release reads (prod program under mocks)", function () {
    this.timeout(30_000);

    it("exports the API function's name, its published version and gate alarms, the service name and latest ready revision", async () => {
        const run = await runProgram("prod");
        const alarms = run.cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.name);
        const deployed = deployedFromOutputs(nest(run.outputs));
        assert.strictEqual(deployed.aws?.version, "1", "the mock cloud publishes version 1");
        assert.match(String(deployed.aws?.service), /^pipeline-api/);
        assert.strictEqual(deployed.aws?.alarms.length, 3, `the API's error-rate, p95 and throttle alarms (of ${alarms.join(", ")})`);
        assert.ok(deployed.aws?.alarms.every((a) => /^pipeline-api-(error-rate|p95-duration|throttles)/.test(a)), String(deployed.aws?.alarms));
        assert.match(String(deployed.gcp?.service), /^service-[0-9a-f]+$/);
        assert.strictEqual(deployed.gcp?.version, `${deployed.gcp?.service}-00001-abc`, "the revision's short name, from projects/.../revisions/<name>");
    });
});
