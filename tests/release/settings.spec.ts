import * as assert from "assert";
import { applyConfigChanges, storedValue } from "../../release/configChanges";
import { releasePlanFromConfig } from "../../release/settings";
import { parse, problemsOf, stackWith } from "../config/helpers";

describe("release settings", () => {
    it("prod: steps 10, 50, 100; 10 min bake; 100 requests (defaults); 35 min wait (Pulumi.prod.yaml: its release fits the job's credentials); gates from the alarm and alert settings", () => {
        const plan = releasePlanFromConfig(stackWith("prod"), "prod");
        assert.deepStrictEqual([plan.steps, plan.bakeMinutes, plan.minRequests, plan.maxWaitMinutes], [[10, 50, 100], 10, 100, 35]);
        assert.strictEqual(releasePlanFromConfig(stackWith("dev"), "dev").maxWaitMinutes, 60, "the default wait");
        const shared = { healthFailures: { key: "release.healthFailures", threshold: 3 }, utilizationPercent: { key: "release.maxUtilizationPercent", threshold: 90 } };
        assert.deepStrictEqual(plan.clouds.aws?.gates, { errorRatePercent: { key: "aws.alarms.errorRatePercent", threshold: 5 }, p95Ms: { key: "aws.alarms.p95DurationMs", threshold: 2000 }, ...shared });
        assert.deepStrictEqual(plan.clouds.gcp?.gates, { errorRatePercent: { key: "gcp.alerts.errorRatePercent", threshold: 5 }, p95Ms: { key: "gcp.alerts.p95LatencyMs", threshold: 2000 }, ...shared });
        // The go-live checklist's figures: health p95 < 100 ms, API p95 < 500 ms, > 50 RPS sustained, errors < 1 %.
        assert.deepStrictEqual(plan.verify, {
            healthP95Ms: { key: "release.verify.healthP95Ms", threshold: 100 },
            apiP95Ms: { key: "release.verify.apiP95Ms", threshold: 500 },
            minRequestsPerSecond: { key: "release.verify.minRequestsPerSecond", threshold: 50 },
            errorRatePercent: { key: "release.verify.errorRatePercent", threshold: 1 },
            seconds: 30,
        });
        assert.strictEqual(plan.clouds.aws?.reservedConcurrency, 100, "Pulumi.prod.yaml's reservation, what concurrency is judged against");
    });

    it("each cloud's error-rate and p95 gates come from its own settings, and a cloud with no canary recorded has weight 0", () => {
        // README: aws.alarms.* are the AWS gates, gcp.alerts.* the GCP ones; canary weight 0-100, 0 when none is set.
        const plan = releasePlanFromConfig(
            stackWith("prod", (doc) => {
                Object.assign(doc["multicloud-service:aws"].alarms, { errorRatePercent: 4, p95DurationMs: 1500 });
                Object.assign(doc["multicloud-service:gcp"].alerts, { errorRatePercent: 7, p95LatencyMs: 2500 });
                delete doc["multicloud-service:aws"].canary;
                delete doc["multicloud-service:gcp"].canary;
            }),
            "prod",
        );
        assert.deepStrictEqual([plan.clouds.aws?.gates.errorRatePercent, plan.clouds.aws?.gates.p95Ms], [{ key: "aws.alarms.errorRatePercent", threshold: 4 }, { key: "aws.alarms.p95DurationMs", threshold: 1500 }]);
        assert.deepStrictEqual([plan.clouds.gcp?.gates.errorRatePercent, plan.clouds.gcp?.gates.p95Ms], [{ key: "gcp.alerts.errorRatePercent", threshold: 7 }, { key: "gcp.alerts.p95LatencyMs", threshold: 2500 }]);
        assert.deepStrictEqual([plan.clouds.aws?.weight, plan.clouds.gcp?.weight], [0, 0]);
    });

    it("bad release settings are reported like every other setting, each with its key and rule", () => {
        const raw = stackWith("prod", (doc) => (doc["multicloud-service:release"] = { steps: [10, 10, 90], bakeMinutes: 30, maxWaitMinutes: 20, minRequests: 0, stepz: 1 }));
        assert.deepStrictEqual(problemsOf(raw, "prod").sort(), [
            'multicloud-service:release.stepz: is not a known setting (did you mean "steps"?); known here: steps, bakeMinutes, minRequests, maxWaitMinutes, rolledBack, workerStableVersion, workerCandidateVersion, verify, healthFailures, maxUtilizationPercent',
            "multicloud-service:release.steps: must rise strictly, such as [10, 50, 100] (got [10,10,90])",
            "multicloud-service:release.steps: must end at 100 (the last step puts all traffic on the new version) (got [10,10,90])",
            "multicloud-service:release.minRequests: must be a whole number from 1 to 10000000 (got 0)",
            "multicloud-service:release.maxWaitMinutes: must be at least release.bakeMinutes (30) (got 20)",
        ].sort());
    });

    it("what `pulumi config set --path` stores for a version (a number) is read as the version string", () => {
        assert.deepStrictEqual([storedValue("7"), storedValue("007"), storedValue("true"), storedValue("service-00007-abc")], [7, "007", true, "service-00007-abc"]);
        // The CLI parses a number with Go's strconv.ParseInt, which takes a sign (pulumi/pulumi sdk/go/common/resource/config/object.go, coerce).
        assert.deepStrictEqual([storedValue("+5"), storedValue("-3"), storedValue("0")], [5, -3, 0]);
        const raw = applyConfigChanges(stackWith("prod"), [
            { key: "multicloud-service:aws.canary.stableVersion", value: "7" },
            { key: "multicloud-service:aws.canary.weightPercent", value: 10 },
            { key: "multicloud-service:release.rolledBack.awsVersion", value: "8" },
        ]);
        assert.deepStrictEqual(JSON.parse(raw.values["multicloud-service:aws"]).canary, { stableVersion: 7, weightPercent: 10 });
        const settings = parse(raw, "prod");
        assert.deepStrictEqual([settings.aws.canary?.stableVersion, settings.release.rolledBack?.awsVersion], ["7", "8"]);
        assert.deepStrictEqual(problemsOf(applyConfigChanges(stackWith("prod"), [{ key: "multicloud-service:aws.canary.stableVersion", value: "1.5" }]), "prod"), [
            'multicloud-service:aws.canary.stableVersion: must be a published Lambda version number such as "7" (got "1.5")',
        ]);
    });

    // A stack file whose `canary:` is left empty holds null there; the CLI's `config set --path` makes a new map in
    // its place (pulumi/pulumi sdk/go/common/resource/config/object.go, object.Set: "This value is nil. Create a new
    // container"), so a simulation over such a stack records its versions as a real release would.
    it("`pulumi config set --path` through a key whose value is null makes a map there", () => {
        const raw = applyConfigChanges({ values: { "multicloud-service:aws": JSON.stringify({ canary: null, memoryMb: 512 }) }, secretKeys: new Set() }, [
            { key: "multicloud-service:aws.canary.stableVersion", value: "7" },
        ]);
        assert.deepStrictEqual(JSON.parse(raw.values["multicloud-service:aws"]), { canary: { stableVersion: 7 }, memoryMb: 512 });
    });

    // The simulation writes as the release's state store does (release/stack/escReleaseState.ts), whose fix for a list
    // on the way (042c1899) it lacked: the key was set on the list, which JSON.stringify drops, so the change was lost.
    it("a change under a key that holds a list replaces the list with a mapping, as the release state writer does", () => {
        const raw = applyConfigChanges({ values: { "multicloud-service:aws": JSON.stringify({ canary: ["stale"], memoryMb: 512 }) }, secretKeys: new Set() }, [
            { key: "multicloud-service:aws.canary.weightPercent", value: 10 },
        ]);
        assert.deepStrictEqual(JSON.parse(raw.values["multicloud-service:aws"]), { canary: { weightPercent: 10 }, memoryMb: 512 });
    });

    // setConfigChange replaces text or a number on the way with a mapping: a stack value that is not JSON is no exception.
    it("a change under a key whose value is text or a number, not a mapping, replaces it with one", () => {
        for (const text of ["not json", "7"]) {
            const raw = applyConfigChanges({ values: { "multicloud-service:aws": text }, secretKeys: new Set() }, [{ key: "multicloud-service:aws.canary.weightPercent", value: 10 }]);
            assert.deepStrictEqual(raw.values, { "multicloud-service:aws": '{"canary":{"weightPercent":10}}' }, text);
        }
    });
});
