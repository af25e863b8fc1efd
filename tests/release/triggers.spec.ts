import * as assert from "assert";
import { VirtualClock } from "../../release/clock";
import { ReleaseEvent } from "../../release/events";
import { SAMPLE_SECONDS, readInterval } from "../../release/metrics/cloudMonitoring";
import { lambdaMetricDataRequest } from "../../release/metrics/cloudWatch";
import { CLOUD_RUN_INGESTION_DELAY_SECONDS, ingestionDelaySeconds, lambdaIngestionDelaySeconds, leadInSeconds } from "../../release/metrics/ingestionDelay";
import { MetricSource } from "../../release/metrics/metricSource";
import { releasePlanFromConfig } from "../../release/settings";
import { ProbeReport } from "../../release/probe/probeReport";
import { runRelease } from "../../release/release";
import { Sample } from "../../release/types";
import { FakeStack, HEALTHY, PASSING_PROBE, depsFor, fakeMetrics, fakeProbes } from "./fakes";

const AWS_WEIGHT = "multicloud-service:aws.canary.weightPercent";
const GCP_WEIGHT = "multicloud-service:gcp.canary.percent";
const WORKER_STABLE = "multicloud-service:release.workerStableVersion";
const sample = (s: Partial<Sample>): Sample => ({ ...HEALTHY, ...s });
const decided = (o: { decision: string; step: number | null; cloud: string | null; gate: string | null; value: number | null; threshold: number | null }) => [o.decision, o.step, o.cloud, o.gate, o.value, o.threshold];

describe("release: verification of the new version alone, before any traffic moves", () => {
    const withLoad = (load: Partial<NonNullable<ProbeReport["load"]>>): ProbeReport => ({ ...PASSING_PROBE, load: { ...PASSING_PROBE.load!, ...load } });
    const cases: [string, ProbeReport, string, number | null, number][] = [
        ["API p95 over release.verify.apiP95Ms", withLoad({ apiP95Ms: 812.4 }), "release.verify.apiP95Ms", 812.4, 500],
        ["health p95 over release.verify.healthP95Ms", withLoad({ healthP95Ms: 140 }), "release.verify.healthP95Ms", 140, 100],
        ["fewer requests a second than release.verify.minRequestsPerSecond", withLoad({ requestsPerSecond: 31.5 }), "release.verify.minRequestsPerSecond", 31.5, 50],
        ["errors over release.verify.errorRatePercent", withLoad({ requests: 1800, errors: 36 }), "release.verify.errorRatePercent", 2, 1],
    ];
    for (const [what, report, gate, value, threshold] of cases) {
        it(`${what}: not released, no weight moved, the check and its measured figure named`, async () => {
            const stack = new FakeStack();
            const { metrics, reads } = fakeMetrics(() => HEALTHY);
            const probes = fakeProbes((cloud) => (cloud === "aws" ? report : PASSING_PROBE));
            const outcome = await runRelease(depsFor(stack, metrics, [], probes.probes));
            assert.deepStrictEqual(decided(outcome), ["rolled-back", 0, "aws", gate, value, threshold]);
            assert.deepStrictEqual([stack.weights(AWS_WEIGHT), stack.weights(GCP_WEIGHT)], [[], []], "no traffic moved");
            assert.deepStrictEqual(reads.map((r) => r.step), [0, 0], "no bake: only the check, before traffic, that each cloud's metrics can be read");
            assert.strictEqual(stack.ups, 1, "only the deploy at 0 %");
            assert.deepStrictEqual(stack.setting("release").rolledBack, { awsVersion: 8, gcpRevision: "service-00008-def" }, "a rerun will not try it again");
            assert.match(outcome.summary, /failed its verification before any traffic moved/);
            assert.deepStrictEqual(probes.verified, [{ cloud: "aws", version: "8" }, { cloud: "gcp", version: "service-00008-def" }], "each new version alone, not the stable one");
        });
    }

    it("a smoke-test route that fails: named with what it answered, and the load never runs", async () => {
        const stack = new FakeStack();
        const report: ProbeReport = { smoke: [...PASSING_PROBE.smoke.slice(0, 1), { route: "GET /ready", ok: false, detail: '503 {"status":"not ready"}' }] };
        const events: ReleaseEvent[] = [];
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, events, fakeProbes((cloud) => (cloud === "gcp" ? report : PASSING_PROBE)).probes));
        assert.deepStrictEqual(decided(outcome), ["rolled-back", 0, "gcp", "release.verify.smoke", null, null]);
        assert.match(outcome.summary, /smoke test GET \/ready answered 503/);
        assert.ok(events.some((e) => e.kind === "verify" && e.cloud === "aws" && e.verdict.kind === "passed"));
    });

    // The go-live checklist's bounds are strict (under 100 ms and 500 ms, over 50 req/s, under 1 %), unlike the bake's
    // "rolls back when passed": before, a version measured at them went live.
    it("just inside the checklist's bounds passes and the steps run; at one of them it rolls back before any traffic", async () => {
        const inside = withLoad({ apiP95Ms: 499, healthP95Ms: 99, requestsPerSecond: 51, requests: 1000, errors: 9 });
        const promoted = await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, [], fakeProbes(() => inside).probes));
        assert.strictEqual(promoted.decision, "promoted");
        const atBound = withLoad({ apiP95Ms: 499, healthP95Ms: 100, requestsPerSecond: 51, requests: 1000, errors: 9 });
        const refused = await runRelease(depsFor(new FakeStack(), fakeMetrics(() => HEALTHY).metrics, [], fakeProbes(() => atBound).probes));
        assert.deepStrictEqual(decided(refused), ["rolled-back", 0, "aws", "release.verify.healthP95Ms", 100, 100]);
    });

    it("a resumed release does not verify again (the version already had traffic)", async () => {
        const stack = new FakeStack().failUp(3);
        const first = fakeProbes();
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], first.probes)));
        const again = fakeProbes(() => ({ smoke: [] }));
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], again.probes))).decision, "promoted");
        assert.deepStrictEqual([first.verified.length, again.verified.length], [2, 0]);
    });
});

describe("release: every checklist trigger in the gates", () => {
    it("health failing release.healthFailures (3) times in a row rolls back, naming the setting and the last answer", async () => {
        const stack = new FakeStack();
        // GCP's 2nd and 3rd checks fail, the 4th passes (the streak resets), then the 6th-8th fail: 3 in a row.
        const failing = new Set([2, 3, 6, 7, 8]);
        const probes = fakeProbes(undefined, (cloud, n) => !(cloud === "gcp" && failing.has(n)));
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], probes.probes));
        assert.deepStrictEqual(decided(outcome), ["rolled-back", 10, "gcp", "release.healthFailures", 3, 3]);
        assert.strictEqual(probes.checks.gcp, 8, "it stopped at the third failure in a row");
        assert.match(outcome.summary, /gcp release\.healthFailures: 3 health checks of the new version failed in a row \(last: no answer/);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10, 0]);
    });

    // The new version's own health (its URL or version alone) does not change with the traffic it gets. Before: each
    // step counted from 0, so two failures at one step's end and one at the next step's start were never 3 in a row.
    it("failures in a row carry across a step's end: two at the end of the first step and one at the start of the second roll back", async () => {
        // Which of GCP's health checks each step makes, from a healthy release on the same clock.
        const stepOf: number[] = [];
        const dry = new FakeStack();
        const probesOf = (healthy: (n: number) => boolean, stack: FakeStack) =>
            fakeProbes(undefined, (cloud, n) => {
                if (cloud !== "gcp") return true;
                if (stack === dry) stepOf[n] = Number(stack.weights(GCP_WEIGHT).at(-1));
                return healthy(n);
            });
        await runRelease(depsFor(dry, fakeMetrics(() => HEALTHY).metrics, [], probesOf(() => true, dry).probes));
        const lastOfFirst = stepOf.lastIndexOf(10);
        assert.ok(lastOfFirst > 2 && stepOf[lastOfFirst + 1] > 10, `the first step makes several checks, then the second begins (${stepOf.join(",")})`);
        const failing = new Set([lastOfFirst - 1, lastOfFirst, lastOfFirst + 1]);
        const stack = new FakeStack();
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], probesOf((n) => !failing.has(n), stack).probes));
        assert.deepStrictEqual(decided(outcome), ["rolled-back", stepOf[lastOfFirst + 1], "gcp", "release.healthFailures", 3, 3]);
    });

    it("two failures in a row are not a breach", async () => {
        const stack = new FakeStack();
        // Checks 1 and 2 fail, 3 passes, 4 and 5 fail, 6 passes, ...
        const probes = fakeProbes(undefined, (_cloud, n) => n % 3 === 0 || n > 30);
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], probes.probes))).decision, "promoted");
    });

    it("a refused health check counts neither way: two failures, a refused check, then one more failure are 3 in a row", async () => {
        // docs/releases.md: health in a row rolls back on release.healthFailures (3) failures in a row; a refused check
        // (release/bake.ts) judges nothing of the version, so the failures in a row stay as they were.
        const { ProbeRefused } = await import("../../release/probe/transport");
        const stack = new FakeStack();
        const probes = fakeProbes(undefined, (cloud, n) => !(cloud === "gcp" && [2, 3, 4].includes(n)));
        const health = probes.probes.gcp.health;
        let calls = 0;
        probes.probes.gcp.health = async (target) => {
            // The project's own words, as release/probe/cloudRunTransport.ts builds them for Cloud Run's 403 (not Google's).
            if (++calls === 4) throw new ProbeRefused("https://candidate---service-0a1b2c3-an.a.run.app refused the probe's ID token: 403 Forbidden (the release's identity needs roles/run.invoker on the service, and its token the service's URL as audience)");
            return health(target);
        };
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], probes.probes));
        assert.deepStrictEqual(decided(outcome), ["rolled-back", 10, "gcp", "release.healthFailures", 3, 3]);
    });

    it("Lambda concurrency above 90 % of its reservation rolls back, whatever the traffic", async () => {
        const stack = new FakeStack();
        const use = [{ metric: "AWS/Lambda ConcurrentExecutions (Maximum) of the reserved 50", percent: 94 }];
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "aws" && step === 50 ? sample({ requests: 10, utilization: use }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.deepStrictEqual(decided(outcome), ["rolled-back", 50, "aws", "release.maxUtilizationPercent", 94, 90]);
        assert.match(outcome.summary, /aws release\.maxUtilizationPercent: AWS\/Lambda ConcurrentExecutions \(Maximum\) of the reserved 50 94% > 90%/);
    });

    it("Cloud Run memory utilization above 90 % rolls back; at 90 % it does not", async () => {
        const memory = (percent: number) => [
            { metric: "run.googleapis.com/container/cpu/utilizations p99", percent: 40 },
            { metric: "run.googleapis.com/container/memory/utilizations p99", percent },
        ];
        const hot = await runRelease(depsFor(new FakeStack(), fakeMetrics((cloud) => (cloud === "gcp" ? sample({ utilization: memory(97.5) }) : HEALTHY)).metrics));
        assert.deepStrictEqual(decided(hot), ["rolled-back", 10, "gcp", "release.maxUtilizationPercent", 97.5, 90]);
        assert.match(hot.summary, /memory\/utilizations p99 97\.5% > 90%/);
        const edge = await runRelease(depsFor(new FakeStack(), fakeMetrics((cloud) => (cloud === "gcp" ? sample({ utilization: memory(90) }) : HEALTHY)).metrics));
        assert.strictEqual(edge.decision, "promoted");
    });

    // The go-live checklist rolls back once resource use passes 90 %: 90.5 % is past it, however little.
    it("Cloud Run memory utilization just over 90 % (90.5 %) rolls back", async () => {
        const use = [{ metric: "run.googleapis.com/container/memory/utilizations p99", percent: 90.5 }];
        const outcome = await runRelease(depsFor(new FakeStack(), fakeMetrics((cloud) => (cloud === "gcp" ? sample({ utilization: use }) : HEALTHY)).metrics));
        assert.deepStrictEqual(decided(outcome), ["rolled-back", 10, "gcp", "release.maxUtilizationPercent", 90.5, 90]);
    });

    it("the worker's and the state machine's alarms are gates once traffic moved", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "aws" && step > 0 ? sample({ firingAlarms: ["pipeline-failed-executions-0ff"] }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.deepStrictEqual([outcome.decision, outcome.gate], ["rolled-back", "alarm:pipeline-failed-executions-0ff"]);
    });
});

describe("release: the worker is released with the API", () => {
    it("its stable version is recorded first, kept on rollback (weight 0 pins its alias) and replaced on promotion", async () => {
        const rolled = new FakeStack();
        await runRelease(depsFor(rolled, fakeMetrics((cloud) => (cloud === "aws" ? sample({ errors: 500 }) : HEALTHY)).metrics));
        assert.deepStrictEqual(rolled.weights(WORKER_STABLE), ["4"], "recorded before the deploy, never moved by the rollback");
        assert.strictEqual(rolled.setting("aws").canary.weightPercent, 0, "the worker's alias follows this weight back to version 4");

        const promoted = new FakeStack();
        await runRelease(depsFor(promoted, fakeMetrics(() => HEALTHY).metrics));
        assert.deepStrictEqual(promoted.weights(WORKER_STABLE), ["4", "5"]);
        assert.strictEqual(promoted.setting("release").workerStableVersion, 5);
    });
});

describe("release: gate windows end where each cloud's metrics are complete", () => {
    it("every window ends the cloud's ingestion delay before now; a step bakes until its data covers release.bakeMinutes", async () => {
        const stack = new FakeStack();
        // prod: aws.timeoutSeconds 60, so an invocation's metrics are complete 60 + 60 + 60 s later; Cloud Run's 180 s.
        const delays = { aws: lambdaIngestionDelaySeconds(60), gcp: CLOUD_RUN_INGESTION_DELAY_SECONDS };
        assert.deepStrictEqual(delays, { aws: 180, gcp: 180 });
        const { metrics, reads } = fakeMetrics(() => HEALTHY, delays);
        const events: ReleaseEvent[] = [];
        assert.strictEqual((await runRelease(depsFor(stack, metrics, events))).decision, "promoted");
        const step10 = (cloud: "aws" | "gcp") => reads.filter((r) => r.cloud === cloud && r.step === 10);
        const start = step10("aws")[0].start;
        const polls = events.filter((e) => e.kind === "bake" && e.percent === 10).length;
        // 10 min of bake plus the slowest cloud's 180 s: 13 polls of 60 s.
        assert.strictEqual(polls, 13);
        // No read until the cloud's data reaches past the step's start: both from the poll at 240 s.
        assert.deepStrictEqual([step10("aws").length, step10("gcp").length], [10, 10]);
        const lastAws = step10("aws").at(-1)!;
        const lastGcp = step10("gcp").at(-1)!;
        assert.strictEqual(lastAws.end - start, (13 * 60 - 180) * 1000, "AWS: now less 180 s");
        assert.strictEqual(lastGcp.end - start, (13 * 60 - 180) * 1000, "GCP: now less 180 s, exactly the 10 min bake");
        assert.ok(reads.every((r) => r.end > r.start), "never a window before the data's start");
    });

    it("Cloud Run's reads leave out the step's first sample, so its bake waits that much longer and still judges release.bakeMinutes", async () => {
        // The Cloud Monitoring source's own window rule (readInterval) and lead-in, over a healthy revision.
        const read: { period?: number }[] = [];
        const gcp: MetricSource = {
            ingestionDelaySeconds: CLOUD_RUN_INGESTION_DELAY_SECONDS,
            leadInSeconds: SAMPLE_SECONDS,
            async read(_target, window) {
                const interval = readInterval(window);
                read.push({ period: interval?.periodSeconds });
                return interval ? HEALTHY : { requests: 0, errors: 0, firingAlarms: [] };
            },
        };
        const gcpOnly = (edit: (doc: Record<string, any>) => void) =>
            new FakeStack("prod", undefined, (doc) => ((doc["multicloud-service:aws"].enabled = false), edit(doc)));
        const events: ReleaseEvent[] = [];
        assert.strictEqual((await runRelease(depsFor(gcpOnly(() => {}), { gcp }, events))).decision, "promoted");
        // 10 min of bake, Cloud Run's 180 s and its first sample: 14 polls of 60 s; the last reads the whole 10 min.
        assert.strictEqual(events.filter((e) => e.kind === "bake" && e.percent === 10).length, 14);
        assert.strictEqual(read.filter((r) => r.period !== undefined).at(-1)!.period, 600);
        // A step that starts between two seconds, as a real one almost always does, still judges the whole 10 min.
        // Before: the reads count from the next whole second, so the step passed on 9 min of 10.
        read.length = 0;
        const deps = depsFor(gcpOnly(() => {}), { gcp });
        assert.strictEqual((await runRelease({ ...deps, clock: new VirtualClock(Date.UTC(2026, 11, 4, 17, 0, 0, 500)) })).decision, "promoted");
        assert.deepStrictEqual([...new Set(read.map((r) => r.period).filter((p) => p !== undefined && p > 540))], [600], "the last reads of each step cover 10 min");
        // So does a step that may wait no longer than it bakes (maxWaitMinutes = bakeMinutes): its give-up counts from
        // the same whole second. Before: it gave up, and judged, a fraction of a second before the bake's end.
        read.length = 0;
        const noLonger = depsFor(gcpOnly((doc) => (doc["multicloud-service:release"] = { ...doc["multicloud-service:release"], bakeMinutes: 10, maxWaitMinutes: 10 })), { gcp });
        assert.strictEqual((await runRelease({ ...noLonger, clock: new VirtualClock(Date.UTC(2026, 11, 4, 17, 0, 0, 500)) })).decision, "promoted");
        assert.deepStrictEqual([...new Set(read.map((r) => r.period).filter((p) => p !== undefined && p > 540))], [600]);
        // The shortest bake the settings allow still gets a minute of data before it would be held.
        const shortest = gcpOnly((doc) => (doc["multicloud-service:release"] = { ...doc["multicloud-service:release"], bakeMinutes: 1, maxWaitMinutes: 1 }));
        assert.strictEqual((await runRelease(depsFor(shortest, { gcp }))).decision, "promoted");
    });

    // Before: the Lambda read skipped the minute the step began in (it holds the previous step's traffic) but declared no
    // lead-in, so a step starting between minutes passed on 9 minutes of 10, and the shortest bake (1 of 1) was held
    // with no data.
    it("Lambda's reads leave out the minute the step began in, so its bake waits that much longer and still judges release.bakeMinutes", async () => {
        // The CloudWatch source's own window rule (lambdaMetricDataRequest) and lead-in, over a healthy version.
        const read: { period?: number }[] = [];
        const aws: MetricSource = {
            ingestionDelaySeconds: 180,
            leadInSeconds: leadInSeconds("aws"),
            async read(target, window) {
                const period = lambdaMetricDataRequest(target, window)?.MetricDataQueries?.[0].MetricStat?.Period;
                read.push({ period });
                return period !== undefined ? HEALTHY : { requests: 0, errors: 0, firingAlarms: [] };
            },
        };
        const awsOnly = (edit: (doc: Record<string, any>) => void) =>
            new FakeStack("prod", undefined, (doc) => ((doc["multicloud-service:gcp"].enabled = false), edit(doc)));
        const at = () => new VirtualClock(Date.UTC(2026, 11, 4, 17, 0, 0, 500));
        assert.strictEqual((await runRelease({ ...depsFor(awsOnly(() => {}), { aws }), clock: at() })).decision, "promoted");
        assert.deepStrictEqual([...new Set(read.map((r) => r.period).filter((p) => p !== undefined && p > 540))], [600], "the last reads of each step cover 10 min");
        const shortest = awsOnly((doc) => (doc["multicloud-service:release"] = { ...doc["multicloud-service:release"], bakeMinutes: 1, maxWaitMinutes: 1 }));
        assert.strictEqual((await runRelease({ ...depsFor(shortest, { aws }), clock: at() })).decision, "promoted");
    });

    it("Lambda's delay follows the functions' timeout: its metrics are stamped when an invocation began, sent when it ends", () => {
        // A 900 s function begun in the window's last minute reports up to 15 min later (Lambda developer guide: "If,
        // for example, your function has a 10-minute timeout, look more than 10 minutes in the past").
        assert.strictEqual(lambdaIngestionDelaySeconds(900), 1020);
        const plan = releasePlanFromConfig(new FakeStack("prod", undefined, (doc) => (doc["multicloud-service:aws"].timeoutSeconds = 900)).config, "prod");
        assert.strictEqual(ingestionDelaySeconds("aws", plan), 1020);
        assert.strictEqual(ingestionDelaySeconds("gcp", plan), 180);
    });
});
