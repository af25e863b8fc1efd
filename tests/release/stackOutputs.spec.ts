import * as assert from "assert";
import { readStackFile } from "../../config/stackFile";
import { runProgram } from "../../scripts/offline/runProgram";
import { deployedFromOutputs } from "../../release/stack/outputs";
import { FAKE_ACCOUNT_ID } from "../../scripts/offline/fakeIds";
import { committedStackRun } from "../harness/committedStackRun";

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
        const run = await committedStackRun("prod");
        const alarms = run.cloud.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.name);
        const deployed = deployedFromOutputs(nest(run.outputs));
        assert.strictEqual(deployed.aws?.version, "1", "the mock cloud publishes version 1");
        assert.match(String(deployed.aws?.service), /^pipeline-api/);
        assert.strictEqual(deployed.aws?.alarms.length, 9, `the API's and the worker's error-rate, p95 and throttle alarms, the API's health check and its concurrency against prod's reservation, and the failed executions (of ${alarms.join(", ")})`);
        // Resource names carry the auto-name suffix; the resources' logical names are these.
        // ... but the health check's watchdog and the alarm on starts Scheduler could not make, which say the checks
        // stopped or never started, nothing of the version released.
        const notGates = ["pipeline-api-health-stopped", "pipeline-api-health-unstarted"];
        const gates = alarms.filter((name) => !notGates.includes(name));
        assert.strictEqual(gates.length, alarms.length - notGates.length);
        assert.deepStrictEqual(deployed.aws!.alarms.map((a) => a.replace(/-[0-9a-f]{7}$/, "")).sort(), [...gates].sort(), "every other alarm of the pipeline is a gate");
        assert.ok(deployed.aws?.alarms.some((a) => /^pipeline-worker-error-rate/.test(a)) && deployed.aws?.alarms.some((a) => /^pipeline-failed-executions/.test(a)), String(deployed.aws?.alarms));
        assert.match(String(deployed.aws?.worker?.service), /^pipeline-worker/);
        assert.strictEqual(deployed.aws?.worker?.version, "1");
        assert.strictEqual(deployed.gcp?.candidateUrl, undefined, "no stable revision kept, so no candidate tag");
        assert.match(String(deployed.gcp?.service), /^service-[0-9a-f]+$/);
        assert.strictEqual(deployed.gcp?.version, `${deployed.gcp?.service}-00001-abc`, "the revision's short name, from projects/.../revisions/<name>");
        // Where each runs (the state machine's ARN; the revision's projects/<p>/locations/<r>/...), which a release
        // compares with the settings, and AWS's account with its own credentials', before it changes anything.
        assert.deepStrictEqual([deployed.aws?.location, deployed.gcp?.location], [{ region: "ap-northeast-1", account: FAKE_ACCOUNT_ID }, { project: "multicloud-service-prod", region: "asia-northeast1" }]);
    });

    it("while a stable revision is kept, the latest revision's tagged URL is an output (what the release probes), beside the service's URL", async () => {
        const file = readStackFile("prod");
        const gcp = JSON.parse(file.config["multicloud-service:gcp"] ?? "{}");
        const config = { ...file.config, "multicloud-service:gcp": JSON.stringify({ ...gcp, canary: { stableRevision: "service-00007-abc", percent: 0 } }) };
        const run = await runProgram("prod", { config, secretKeys: file.secretKeys });
        const deployed = deployedFromOutputs(nest(run.outputs));
        assert.match(String(deployed.gcp?.candidateUrl), new RegExp(`^https://candidate---${deployed.gcp?.service}-[0-9a-f]+-an\\.a\\.run\\.app$`));
        // The ID tokens' audience: the service's own URL, the gcp.serviceUrl output.
        assert.strictEqual(deployed.gcp?.serviceUrl, run.outputs["gcp.serviceUrl"]);
        assert.match(String(deployed.gcp?.serviceUrl), /^https:\/\/.+\.run\.app$/);
    });
});
