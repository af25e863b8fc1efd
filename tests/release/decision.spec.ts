import * as assert from "assert";
import { SettingsError } from "../../config/errors";
import { ReleaseEvent } from "../../release/events";
import { MetricsUnreadable } from "../../release/metrics/metricSource";
import { runRelease } from "../../release/release";
import { ReleaseError } from "../../release/releaseError";
import { ConfigChange, Sample } from "../../release/types";
import { EventEmitter } from "events";
import { ReleaseStopped, stoppableClock, watchForInterruption } from "../../release/interruption";
import { FakeStack, HEALTHY, PASSING_PROBE, STACK_ACCOUNT, depsFor, fakeMetrics, fakeProbes } from "./fakes";
import { SANDBOX_CALLER } from "../harness/sandboxCaller";
import { RELEASE_KEYS } from "../../release/configChanges";
import { FAILED_UP_REASON } from "./sdkErrors";
import { regExpText } from "../harness/regExpText";

/**
 * What the release recorded against a version: its writes to either cloud's rolled-back key. (Before, the tests below
 * filtered on keys ending in ".rolledBack", which no key does, so they passed whatever was written.)
 */
const rolledBackWrites = (stack: FakeStack) => stack.setCalls.flat().filter((c) => c.key === RELEASE_KEYS.aws.rolledBack || c.key === RELEASE_KEYS.gcp.rolledBack);

const AWS_WEIGHT = "multicloud-service:aws.canary.weightPercent";
const GCP_WEIGHT = "multicloud-service:gcp.canary.percent";
const sample = (s: Partial<Sample>): Sample => ({ ...HEALTHY, ...s });

/** A release held at its first step (too few requests on GCP to judge), its candidates recorded. */
async function heldAtFirstStep(stack: FakeStack): Promise<void> {
    const held = fakeMetrics((cloud) => (cloud === "gcp" ? sample({ requests: 3 }) : HEALTHY));
    assert.strictEqual((await runRelease(depsFor(stack, held.metrics))).decision, "held");
}

/**
 * heldAtFirstStep, then docs/releases.md's "Rollback by hand": both weights to 0, with `settings`; the candidate keys
 * the release recorded are left as they are.
 */
async function heldThenRolledBackByHand(stack: FakeStack, settings: ConfigChange[]): Promise<void> {
    await heldAtFirstStep(stack);
    await stack.setConfig([{ key: AWS_WEIGHT, value: 0 }, { key: GCP_WEIGHT, value: 0 }, ...settings]);
}

describe("release decisions (stack and metrics behind fakes)", () => {
    it("healthy at every step: promoted, the new versions recorded as stable, canary weights back to 0", async () => {
        const stack = new FakeStack();
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        const events: ReleaseEvent[] = [];
        const outcome = await runRelease(depsFor(stack, metrics, events));

        assert.strictEqual(outcome.decision, "promoted");
        assert.strictEqual(outcome.step, 100);
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 50, 100, 0]);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10, 50, 100, 0]);
        assert.deepStrictEqual(stack.setting("aws").canary, { stableVersion: 8, weightPercent: 0, candidateVersion: "" }, "what pulumi config set --path stores");
        assert.deepStrictEqual(stack.setting("gcp").canary, { stableRevision: "service-00008-def", percent: 0, candidateRevision: "" });
        // Deploy at 0 %, one up per step, one to record the promotion. The first may wait for its image (2 x
        // image.waitMinutes); the others find it there, and a hung one is interrupted at its own limit.
        assert.strictEqual(stack.ups, 5);
        assert.deepStrictEqual(stack.upAllowances, [40, 0, 0, 0, 0]);
        assert.ok(reads.every((r) => r.version === (r.cloud === "aws" ? "8" : "service-00008-def")), "only the new version's own metrics are read");
        // The first release of a stack records the running versions as the fallback before anything moves.
        assert.deepStrictEqual(stack.setCalls[0], [
            { key: "multicloud-service:aws.canary.stableVersion", value: "7" },
            { key: "multicloud-service:gcp.canary.stableRevision", value: "service-00007-abc" },
            { key: "multicloud-service:release.workerStableVersion", value: "4" },
        ]);
        // Each step bakes its full 10 minutes (10 reads at 60 s) before the next.
        const bakes = events.filter((e) => e.kind === "bake");
        assert.strictEqual(bakes.length, 30);
        // Each read is handed the release's own health checks of that cloud in the step so far (the n-th read: n checks,
        // each sent before the read, each answered 200), for the cloud that counts them as traffic to leave them out.
        for (const step of [10, 50, 100]) {
            const gcpReads = reads.filter((r) => r.cloud === "gcp" && r.step === step);
            assert.deepStrictEqual(gcpReads.map((r) => r.ownRequests.length), Array.from({ length: gcpReads.length }, (_, i) => i + 1), `step ${step}`);
            for (const r of gcpReads) assert.ok(r.ownRequests.every((o) => o.status === 200 && o.at >= r.start && o.at <= r.end + 180_000));
        }
        assert.deepStrictEqual(outcome.configChanges, stack.setCalls.flat());
        // The stack ran only the candidates all along: no newer version is said to be beside them, while it ran or in its outcome.
        assert.deepStrictEqual(events.filter((e) => e.kind === "notice"), []);
        assert.strictEqual(outcome.summary, "promoted: aws 8, gcp service-00008-def is now the stable version");
    });

    it("an error spike at the first step: rolled back at 10 %, both clouds on the stable version, exit data names the gate", async () => {
        const stack = new FakeStack();
        const { metrics, reads } = fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));

        assert.deepStrictEqual(
            { decision: outcome.decision, step: outcome.step, cloud: outcome.cloud, gate: outcome.gate, value: outcome.value, threshold: outcome.threshold },
            { decision: "rolled-back", step: 10, cloud: "aws", gate: "aws.alarms.errorRatePercent", value: 10, threshold: 5 },
        );
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 0]);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10, 0]);
        assert.ok(!reads.some((r) => r.step > 10), "never went past the first step");
        assert.strictEqual(reads.filter((r) => r.step === 10).length, 2, "the breach at the first read ends the bake at once");
        assert.deepStrictEqual(stack.setting("release").rolledBack, { awsVersion: 8, gcpRevision: "service-00008-def" });
        // The check the no-rollback tests below make sees a rollback's writes (it can fail).
        assert.deepStrictEqual(rolledBackWrites(stack).map((c) => [c.key, c.value]), [
            [RELEASE_KEYS.aws.rolledBack, "8"],
            [RELEASE_KEYS.gcp.rolledBack, "service-00008-def"],
        ]);
        assert.strictEqual(stack.setting("aws").canary.stableVersion, 7, "the stable version stays the known-good one");
        assert.match(outcome.summary, /; all traffic is on aws 7, gcp service-00007-abc$/, "the outcome names the stable versions traffic went back to");
        assert.strictEqual(stack.ups, 3, "deploy, 10 %, rollback");
    });

    // The rollback's write is made over an unrelated change another writer made to the state environment since the
    // release read it (ESC answers the release's conditional PATCH 409): refused, it left traffic at the step, the
    // breach unrecorded, and a rerun went on from that step to promote the version that breached.
    it("a breach whose rollback meets an environment someone else changed meanwhile still rolls back, writing over it", async () => {
        const stack = new FakeStack().conflictFromWrite(3); // first stable, 10 %, then the rollback
        const { metrics } = fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "rolled-back");
        assert.deepStrictEqual(stack.writesOver, [false, false, true], "only the rollback's write goes over another writer's change");
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 0]);
        assert.strictEqual(stack.ups, 3, "deploy, 10 %, rollback");
    });

    // A step's write that still fails after the store's own tries (tests/release/releaseState.spec.ts): before, the
    // release printed ESC's words alone, with 10% of traffic live, no bake watching it, and nothing said about resuming.
    it("a step whose weight cannot be recorded runs no up and says where traffic is and how to go on", async () => {
        const stack = new FakeStack().conflictFromWrite(3, new Error("release state: writing acme/multicloud-service/prod-release: 503 Service Unavailable")); // first stable, 10 %, then 50 %
        const { metrics } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
            assert.ok(err instanceof ReleaseError && err.exitCode === 1, String(err));
            assert.match(err.message, /^release state: writing acme\/multicloud-service\/prod-release: 503 Service Unavailable\. This run's last record: the release state records 10% of traffic to aws 8, gcp service-00008-def\. .*rerun the release to go on from 10%/);
            return true;
        });
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10]);
        assert.strictEqual(stack.ups, 2, "deploy and 10 %: no up for the step that was not recorded");
    });

    it("a step's write nobody answered may have landed: the message says a rerun may go on from it", async () => {
        const { UnansweredCall } = await import("../../components/noAnswer");
        const unanswered = new UnansweredCall("release state: writing acme/multicloud-service/prod-release: PATCH https://api.pulumi.com/api/esc/environments/acme/multicloud-service/prod-release did not answer within 15 s (a server or proxy that takes the request and stays silent); the write may have been applied all the same (pulumi env get acme/multicloud-service/prod-release shows the environment as it is)");
        const stack = new FakeStack().conflictFromWrite(3, unanswered);
        const { metrics } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
            assert.match(err.message, /This run's last record: the release state records 10% of traffic to aws 8, gcp service-00008-def, or the write above if it landed\. /);
            return true;
        });
    });

    // Whether a write may have landed is the store's own judgement (escReleaseState.ts, mayLand): a connection that was
    // never made carried nothing. Before, any NoAnswer was said to have perhaps landed, beside its own "could not be reached".
    it("a step's write whose connection was never made cannot have landed: the message does not say a rerun may go on from it", async () => {
        // The project's own words for it, built by its own code (components/httpAttempt.ts boundedFetch), from what Node's
        // fetch throws for a refused connection: TypeError "fetch failed" over the system's connect error.
        const { boundedFetch } = await import("../../components/httpAttempt");
        const { ConnectionFailure } = await import("../../components/noAnswer");
        const econnrefused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED", syscall: "connect" });
        const refused = await boundedFetch("https://api.pulumi.com/api/esc/environments/acme/multicloud-service/prod-release", { method: "PATCH" }, {
            what: "release state: writing acme/multicloud-service/prod-release",
            fetch: async () => Promise.reject(new TypeError("fetch failed", { cause: econnrefused })),
        }).then(
            () => assert.fail("the refused connection was answered"),
            (err: Error) => err,
        );
        assert.ok(refused instanceof ConnectionFailure && refused.neverSent, String(refused));
        const stack = new FakeStack().conflictFromWrite(3, refused);
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
            assert.match(err.message, /This run's last record: the release state records 10% of traffic to aws 8, gcp service-00008-def\. /);
            assert.doesNotMatch(err.message, /if it landed/);
            return true;
        });
    });

    it("a rollback that cannot be recorded runs no up and says where traffic is, with the commands that record it", async () => {
        const stack = new FakeStack().conflictFromWrite(3, new Error("release state: writing acme/multicloud-service/prod-release: 503 unavailable"));
        // Even `over`, the environment cannot be written.
        stack.setConfig = async (changes, options) => {
            if (stack.writesOver.length >= 2) throw new Error("release state: writing acme/multicloud-service/prod-release: 503 unavailable");
            return FakeStack.prototype.setConfig.call(stack, changes, options);
        };
        const { metrics } = fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY));
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.match(err.message, /^rolled back at 10%: .*; but the rollback could not be recorded \(release state: writing .* 503 unavailable\), so no pulumi up ran: 10% of traffic is still on aws 8, gcp service-00008-def\./);
            assert.match(err.message, /pulumi env set my-org\/multicloud-service\/prod-release 'pulumiConfig\["multicloud-service:aws"\]\.canary\.weightPercent' "0"/);
            assert.match(err.message, /'pulumiConfig\["multicloud-service:release"\]\.rolledBack\.awsVersion' "8"/);
            return true;
        });
        assert.strictEqual(stack.ups, 2, "deploy and 10 %: no up after the unrecorded rollback");
    });

    it("a rollback whose pulumi up fails names the breach, what is recorded, and how to finish it", async () => {
        const stack = new FakeStack().failUp(3); // deploy, 10 %, then the rollback's up fails
        const { metrics } = fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY));
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            // The reason is the resource's diagnostic from the CLI's output, not the SDK's "code: -2" first line.
            assert.strictEqual(err.exitCode, 1);
            assert.ok(err.message.startsWith(`pulumi up failed (all traffic back on the stable version): ${FAILED_UP_REASON}. Rolled back at 10%: `), err.message);
            assert.match(err.message, /; the rollback is recorded \(weights 0, aws 8, gcp service-00008-def rolled back\)\. Up to 10% of traffic may still be on aws 8, gcp service-00008-def: run pulumi up --stack my-org\/prod, or rerun the release/);
            return true;
        });
        assert.deepStrictEqual(stack.setting("release").rolledBack, { awsVersion: 8, gcpRevision: "service-00008-def" });
        // The rerun's first up applies the recorded rollback, and the rolled-back version is not released again.
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "rolled-back");
        assert.strictEqual(stack.setting("aws").canary.weightPercent, 0);
    });

    it("a p95 breach at a later step on one cloud (GCP at 50 %) rolls back both clouds", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "gcp" && step === 50 ? sample({ p95Ms: 2350 }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));

        assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate, outcome.value, outcome.threshold], ["rolled-back", 50, "gcp", "gcp.alerts.p95LatencyMs", 2350, 2000]);
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 50, 0], "AWS was healthy and goes back too: one release is one version");
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10, 50, 0]);
        assert.match(outcome.summary, /rolled back at 50%: gcp gcp\.alerts\.p95LatencyMs 2350 ms > 2000 ms/);
    });

    it("an alarm of this program in ALARM once traffic moved is a breach, whatever the traffic", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "aws" && step > 0 ? sample({ requests: 3, firingAlarms: ["pipeline-api-error-rate-abc"] }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.deepStrictEqual([outcome.decision, outcome.gate], ["rolled-back", "alarm:pipeline-api-error-rate-abc"]);
    });

    it("too little traffic: held after release.maxWaitMinutes, never promoted, traffic left where it is", async () => {
        const stack = new FakeStack();
        const { metrics, reads } = fakeMetrics((cloud) => (cloud === "gcp" ? sample({ requests: 99, errors: 50 }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));

        assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate, outcome.value, outcome.threshold], ["held", 10, "gcp", "release.minRequests", 99, 100]);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10], "no rollback on 99 requests, no promotion either");
        assert.strictEqual(stack.setting("gcp").canary.percent, 10);
        assert.strictEqual(stack.setting("gcp").canary.stableRevision, "service-00007-abc");
        assert.strictEqual(reads.filter((r) => r.cloud === "gcp" && r.step === 10).length, 35, "polled every minute for the 35 minutes of prod's release.maxWaitMinutes");
    });

    it("little traffic that grows: waits past the bake, then passes once a window has release.minRequests", async () => {
        const stack = new FakeStack();
        let gcpReads = 0;
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "gcp" && step === 10 ? sample({ requests: 10 * ++gcpReads }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "promoted");
        assert.strictEqual(gcpReads, 10, "the 10th minute's window had 100 requests");
    });

    it("exactly at the threshold is not a breach (5 % errors, p95 = 2000 ms)", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => sample({ requests: 1000, errors: 50, p95Ms: 2000 }));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "promoted");

        const over = new FakeStack();
        const { metrics: justOver } = fakeMetrics(() => sample({ requests: 1000, errors: 50, p95Ms: 2000.5 }));
        assert.strictEqual((await runRelease(depsFor(over, justOver))).gate, "aws.alarms.p95DurationMs");
    });

    // The go-live checklist rolls back once errors pass 5 %: 5.1 % is past it, however little.
    it("just over the error threshold is a breach (5.1 % errors)", async () => {
        const { metrics } = fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 1000, errors: 51 }) : HEALTHY));
        const outcome = await runRelease(depsFor(new FakeStack(), metrics));
        assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate, outcome.value, outcome.threshold], ["rolled-back", 10, "aws", "aws.alarms.errorRatePercent", 5.1, 5]);
    });

    // release/gates.ts: with enough requests but no latency figure ("no latency data yet") the p95 gate has judged
    // nothing, so the step cannot pass on it: it waits, and is held at release.maxWaitMinutes, never promoted.
    it("enough requests but no p95 figure is no evidence: the step is held, not promoted", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics((cloud) => (cloud === "gcp" ? sample({ requests: 1000, errors: 0, p95Ms: undefined }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud], ["held", 10, "gcp"]);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10], "traffic left where the step put it");
        // What stopped it is the p95 gate that had nothing to judge, not too little traffic: 1,000 requests is 10 times
        // release.minRequests, and the summary must not send the engineer looking for traffic.
        assert.deepStrictEqual([outcome.gate, outcome.value, outcome.threshold], ["gcp.alerts.p95LatencyMs", null, 2000]);
        assert.match(outcome.summary, /^held at 10%: after \d+ min gcp had 1000 requests but no p95 latency figure for them; traffic is left where it is/);
    });

    it("a crash mid-step: the rerun resumes from the weight the stack config records, and promotes", async () => {
        const stack = new FakeStack().failUp(3); // deploy, 10 %, then the 50 % up fails
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics)), /pulumi up failed \(50% of traffic to the new version\): updating Lambda Alias \(arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live\)/);
        assert.strictEqual(stack.setting("aws").canary.weightPercent, 50, "the config records the step it was in");

        const before = reads.length;
        const events: ReleaseEvent[] = [];
        const upsBefore = stack.ups;
        const outcome = await runRelease(depsFor(stack, metrics, events));
        assert.strictEqual(outcome.decision, "promoted");
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 50, 50, 100, 0], "resumed at 50 %, not at 10 % and not from a new deploy");
        assert.deepStrictEqual(stack.upAllowances.slice(upsBefore), [40, 0, 0], "the rerun's first up may wait for its checkout's image");
        assert.deepStrictEqual([...new Set(reads.slice(before).map((r) => r.step))], [0, 50, 100], "the check that the metrics can be read (step 0), then the steps left");
        const start = events.find((e) => e.kind === "start");
        assert.strictEqual(start?.kind === "start" && start.resumeAt, 50);
    });

    // A stack no `pulumi up` has deployed has no running version for a rollback to return to: the first release must
    // stop before it records anything or runs an up, and say what to run first.
    it("a stack whose outputs show nothing deployed yet: the release refuses before any write or up, saying to run pulumi up once", async () => {
        const stack = new FakeStack();
        stack.deployed = async () => ({});
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.strictEqual(err.message, "aws: stack prod has no deployed version to fall back to; run pulumi up once before the first release");
            return true;
        });
        assert.deepStrictEqual([stack.ups, stack.setCalls.length], [0, 0]);
    });

    // The settings allow a weight of 100 with no stable version (config/crossFieldIssues.ts asks for one only between 1
    // and 99), and the program then sends everything to the newest (components/aws/canary.ts aliasWeights,
    // components/gcp/traffic.ts trafficSplit). Once the first release records the stable versions, that weight would
    // promote the new one in the deploy that is meant to put no traffic on it, before any verification or bake.
    it("a weight of 100 left with no stable version: the first release's deploy still puts no traffic on the new version", async () => {
        const stack = new FakeStack("prod", undefined, (doc) => {
            doc["multicloud-service:aws"].canary = { weightPercent: 100 };
            doc["multicloud-service:gcp"].canary = { percent: 100 };
        });
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.deepStrictEqual(stack.traffic[0], { aws: { "7": 1 }, worker: { "4": 1 }, gcp: { "service-00007-abc": 1 }, gcpTagged: "service-00008-def" }, "the deploy: all on the running versions");
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [0, 10, 50, 100, 0]);
        assert.strictEqual(outcome.summary, "promoted: aws 8, gcp service-00008-def is now the stable version");
    });

    // The providers replace a stack's buckets, registries and secrets in another region or project rather than move
    // them, and the Automation API's up skips the preview (`up --yes --skip-preview`): prod's protect would stop the
    // update only on reaching them (pulumi/pulumi step_generator.go, "In Update mode, we bail"), after the resources
    // before them had changed in the new place.
    for (const [setting, value, runs] of [
        ["aws:region", "eu-west-1", "aws runs in ap-northeast-1"],
        ["gcp:region", "europe-west1", "gcp runs in project multicloud-service-prod, region asia-northeast1"],
        ["gcp:project", "another-project", "gcp runs in project multicloud-service-prod, region asia-northeast1"],
    ] as const) {
        it(`settings that move the stack (${setting}) stop the release before anything changes, saying how to move it`, async () => {
            const stack = new FakeStack("prod", undefined, (values) => (values[setting] = value));
            await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
                assert.ok(err instanceof ReleaseError);
                assert.match(err.message, new RegExp(`^${regExpText(`stack prod: ${setting} is ${value} in its settings, and ${runs}:`)}`));
                assert.match(err.message, /Nothing was changed\. To move a stack, deploy a new stack in the new place and destroy the old one \(README, "Fixed after the first `up`"\); or set it back/);
                return true;
            });
            assert.deepStrictEqual([stack.ups, stack.setCalls.length], [0, 0]);
        });
    }

    // Before: the release's probes and reads used whatever AWS credentials its process had, while its ups used the stack's
    // (the ESC environment Pulumi.prod.yaml imports). With another account's, the probe's Invoke of the new version
    // answers ResourceNotFoundException (no such function there), which the probe counts as the version's errors: a
    // healthy version failed its verification and was recorded as rolled back, never to be released again.
    it("AWS credentials of another account than the stack's stop the release before anything changes, naming both accounts", async () => {
        const stack = new FakeStack();
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        const deps = { ...depsFor(stack, metrics), awsCaller: async () => SANDBOX_CALLER };
        await assert.rejects(runRelease(deps), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.match(
                err.message,
                new RegExp(
                    `^${regExpText(`the release's AWS credentials (the environment's keys, AWS_PROFILE or AWS_DEFAULT_PROFILE, the machine's role) are ${SANDBOX_CALLER.arn}, of account ${SANDBOX_CALLER.account}, but stack prod's AWS resources are in account ${STACK_ACCOUNT}:`)}`,
                ),
            );
            assert.match(err.message, /pulumi env run <org>\/<environment> -- npm run release -- prod.*No traffic moved$/);
            return true;
        });
        assert.deepStrictEqual([stack.ups, stack.setCalls.length, reads.length], [0, 0, 0]);
    });

    it("AWS credentials of the stack's account: the release goes on", async () => {
        const stack = new FakeStack();
        const deps = { ...depsFor(stack, fakeMetrics(() => HEALTHY).metrics), awsCaller: async () => ({ ...SANDBOX_CALLER, account: STACK_ACCOUNT }) };
        assert.strictEqual((await runRelease(deps)).decision, "promoted");
    });

    // A cloud switched off in the settings while the stack's outputs show it deployed: the release's up (no preview)
    // would delete that cloud's resources, in dependency order, until it reached the protected bucket or registry
    // (pulumi/pulumi pkg/resource/deploy/step.go, DeleteStep.Apply: "unable to delete resource ... as it is currently
    // marked for protection"), so the functions, alarms and grants in front of them would already be gone.
    for (const cloud of ["aws", "gcp"] as const) {
        it(`a cloud disabled in the settings (${cloud}.enabled false) but deployed stops the release before anything changes`, async () => {
            const stack = new FakeStack("prod", undefined, (values) => (values[`multicloud-service:${cloud}`].enabled = false));
            // Deployed by the update before the setting changed: the outputs still show it.
            stack.deployed = async () => stack.deployedAsBefore();
            await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
                assert.ok(err instanceof ReleaseError);
                assert.match(err.message, new RegExp(`^${regExpText(`stack prod: ${cloud}.enabled is false in its settings, and the stack's outputs show ${cloud} deployed:`)}`));
                assert.match(err.message, /Nothing was changed\./);
                return true;
            });
            assert.deepStrictEqual([stack.ups, stack.setCalls.length], [0, 0]);
        });
    }

    // A cloud switched off is not also judged as moved: its region setting, left behind or changed with it, is no
    // longer where anything is deployed; what stops the release is the deletion its update would make.
    for (const [cloud, setting, value] of [["aws", "aws:region", "eu-west-1"], ["gcp", "gcp:region", "europe-west1"]] as const) {
        it(`a cloud disabled in the settings whose ${setting} changed too is refused for the deletion, not as a move`, async () => {
            const stack = new FakeStack("prod", undefined, (values) => {
                values[`multicloud-service:${cloud}`].enabled = false;
                values[setting] = value;
            });
            stack.deployed = async () => stack.deployedAsBefore();
            await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
                assert.ok(err instanceof ReleaseError);
                assert.match(err.message, new RegExp(`^${regExpText(`stack prod: ${cloud}.enabled is false in its settings, and the stack's outputs show ${cloud} deployed:`)}`));
                return true;
            });
            assert.deepStrictEqual([stack.ups, stack.setCalls.length], [0, 0]);
        });
    }

    /** A FakeStack whose outputs show its Cloud Run service running in `project` and `region`. */
    const gcpRunningIn = (project: string, region: string) => {
        const stack = new FakeStack();
        const deployed = stack.deployed.bind(stack);
        stack.deployed = async () => {
            const d = await deployed();
            return { ...d, gcp: { ...d.gcp!, location: { project, region } } };
        };
        return stack;
    };

    // Google may name a revision by its project's number (projects/<number>/locations/...; release/movedStack.ts names where
    // Cloud Run does), which the settings do not
    // hold: a release must not stop on that, and a region moved is still seen.
    it("a revision named by its project's number: the region is still compared, the project is not mistaken for a move", async () => {
        const byNumber = (region: string) => gcpRunningIn("123456789012", region);
        const promoted = await runRelease(depsFor(byNumber("asia-northeast1"), fakeMetrics(() => HEALTHY).metrics));
        assert.strictEqual(promoted.decision, "promoted");
        await assert.rejects(runRelease(depsFor(byNumber("europe-west1"), fakeMetrics(() => HEALTHY).metrics)), /gcp:region is asia-northeast1 in its settings, and gcp runs in project 123456789012, region europe-west1/);
    });

    // Only an all-digit name is a project's number: a project ID holds digits too (6-30 lowercase letters, digits and
    // hyphens, starting with a letter: config/schema.ts, Google's "Creating and managing projects"), and a stack deployed
    // in such a project whose settings name another has still moved.
    it("a stack running in a project whose ID holds digits is still refused when its settings name another project", async () => {
        const stack = gcpRunningIn("acme-prod-2024", "asia-northeast1");
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.match(err.message, /^stack prod: gcp:project is multicloud-service-prod in its settings, and gcp runs in project acme-prod-2024, region asia-northeast1:/);
            return true;
        });
        assert.deepStrictEqual([stack.ups, stack.setCalls.length], [0, 0]);
    });

    it("a step whose pulumi up fails ends the release with the CLI's reason, the weight it recorded and what to do next", async () => {
        const stack = new FakeStack().failUp(3); // deploy, 10 %, then the 50 % up fails
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.strictEqual(err.exitCode, 1);
            assert.strictEqual(
                err.message,
                `pulumi up failed (50% of traffic to the new version): ${FAILED_UP_REASON}. The release state records 50% of traffic to aws 8, gcp service-00008-def. ` +
                    "Each cloud's traffic is as far as its update got (`pulumi stack history --stack my-org/prod` shows what changed), so up to 50% of users may reach aws 8, gcp service-00008-def with no bake watching: " +
                    'rerun the release to go on from 50% (its first pulumi up applies what is recorded, then that step bakes again), or roll back by hand (docs/releases.md, "Rollback by hand")',
            );
            return true;
        });
    });

    /** Deps whose release a SIGINT or SIGTERM on `signals` stops, as release/main.ts wires a real one (not from a terminal). */
    const stoppable = (stack: FakeStack, metrics: ReturnType<typeof fakeMetrics>["metrics"], signals: EventEmitter) => {
        const interruption = watchForInterruption(signals, { fromTerminal: false, say: () => {}, exitNow: () => assert.fail("only a terminal's second ^C exits at once") });
        const deps = depsFor(stack, metrics);
        return { ...deps, interruption, clock: stoppableClock(deps.clock, interruption.stopped) };
    };

    /** Metrics that answer `reading` and send a SIGTERM with the first poll of the 10 % step. */
    const sigtermInFirstStep = (reading: (cloud: "aws" | "gcp") => Sample) => {
        const signals = new EventEmitter();
        let sent = false;
        const { metrics } = fakeMetrics((cloud, step) => {
            if (step === 10 && !sent) {
                sent = true;
                signals.emit("SIGTERM");
            }
            return reading(cloud);
        });
        return { signals, metrics };
    };

    it("a SIGTERM while a step bakes stops the release at once (exit 143), saying what it recorded; the rerun goes on from that step", async () => {
        const stack = new FakeStack();
        const { signals, metrics } = sigtermInFirstStep(() => HEALTHY);
        await assert.rejects(runRelease(stoppable(stack, metrics, signals)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.strictEqual(err.exitCode, 143);
            assert.match(err.message, /^stopped by SIGTERM while 10% of traffic baked\. The release state records 10% of traffic to aws 8, gcp service-00008-def\. .*rerun the release to go on from 10%/);
            return true;
        });
        assert.strictEqual(stack.ups, 2, "deploy and 10 %: nothing after the signal");
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.strictEqual(outcome.decision, "promoted");
    });

    it("a SIGTERM that comes with a breach's reading still records the rollback, which takes traffic off the version that breached", async () => {
        const stack = new FakeStack();
        const { signals, metrics } = sigtermInFirstStep((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY));
        await assert.rejects(runRelease(stoppable(stack, metrics, signals)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.strictEqual(err.exitCode, 143);
            assert.match(err.message, /^stopped by SIGTERM after pulumi up \(all traffic back on the stable version\)\. Rolled back at 10%: .*the rollback is recorded/);
            return true;
        });
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT).slice(-1), [0], "the rollback's weights are recorded");
        assert.deepStrictEqual(stack.setting("release").rolledBack, { awsVersion: 8, gcpRevision: "service-00008-def" });
    });

    it("a SIGTERM during the verification before any traffic records no step: the release ends saying no traffic moved, and the rerun verifies again", async () => {
        const signals = new EventEmitter();
        const stack = new FakeStack();
        const up = stack.up.bind(stack);
        // As openAutomationStack does: a stopped release starts no update.
        let stopped = false;
        stack.up = async (allowance) => (stopped ? Promise.reject(new ReleaseStopped("SIGTERM")) : up(allowance));
        const probes = fakeProbes((cloud) => {
            if (cloud === "aws" && !stopped) (stopped = true), signals.emit("SIGTERM");
            return PASSING_PROBE;
        }).probes;
        const deps = stoppable(stack, fakeMetrics(() => HEALTHY).metrics, signals);
        await assert.rejects(runRelease({ ...deps, probes }), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.strictEqual(err.exitCode, 143);
            assert.match(err.message, /^stopped by SIGTERM before the release recorded anything more\. The release state records the stable versions \(aws 7, gcp service-00007-abc\) and no traffic to the new one\. No traffic moved/);
            return true;
        });
        assert.strictEqual(stack.setting("aws").canary.weightPercent ?? 0, 0, "no step's weight recorded after the signal");
        assert.strictEqual(stack.ups, 1, "the deploy only");
        stack.up = up;
        const rerun = fakeProbes();
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], rerun.probes))).decision, "promoted");
        assert.deepStrictEqual(rerun.verified, [{ cloud: "aws", version: "8" }, { cloud: "gcp", version: "service-00008-def" }], "the rerun verifies before any traffic");
    });

    it("a SIGINT during a step's pulumi up ends the release once that update has stopped (exit 130), and no other update starts", async () => {
        const signals = new EventEmitter();
        const stack = new FakeStack();
        const up = stack.up.bind(stack);
        // What openAutomationStack does on the signal: the CLI is interrupted once, and the up ends with ReleaseStopped.
        stack.up = async (allowance) => {
            if (stack.ups === 1) {
                stack.ups++;
                signals.emit("SIGINT");
                throw new ReleaseStopped("SIGINT");
            }
            return up(allowance);
        };
        await assert.rejects(runRelease(stoppable(stack, fakeMetrics(() => HEALTHY).metrics, signals)), (err: Error) => {
            assert.ok(err instanceof ReleaseError);
            assert.strictEqual(err.exitCode, 130);
            assert.match(err.message, /^stopped by SIGINT during pulumi up \(10% of traffic to the new version\), which it interrupted\. The release state records 10% of traffic to aws 8, gcp service-00008-def\./);
            return true;
        });
        assert.strictEqual(stack.ups, 2);
    });

    it("a rerun from a newer checkout goes on with the recorded candidate: the newer version gets no traffic, is not judged and is not promoted", async () => {
        const stack = new FakeStack().failUp(3); // deploy 8 at 0 %, 10 %, then the 50 % up fails
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), /pulumi up failed \(50% of traffic to the new version\): updating Lambda Alias \(arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live\)/);
        assert.deepStrictEqual([stack.setting("aws").canary.candidateVersion, stack.setting("gcp").canary.candidateRevision, stack.setting("release").workerCandidateVersion], [8, "service-00008-def", 5], "the step recorded what its weight goes to");

        // The rerun's checkout is newer (a later release tag): each of its `pulumi up`s deploys 9.
        stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
        stack.nextWorker = "6";
        const upsBefore = stack.traffic.length;
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        const probes = fakeProbes();
        const events: ReleaseEvent[] = [];
        const outcome = await runRelease(depsFor(stack, metrics, events, probes.probes));

        assert.strictEqual(outcome.decision, "promoted");
        assert.match(outcome.summary, /^promoted: aws 8, gcp service-00008-def is now the stable version; the stack also runs aws 9, aws worker 6, gcp service-00009-ghi \(this checkout's\) with no traffic, which no release has judged: run the release again from this checkout to release it$/);
        const resumed = stack.traffic.slice(upsBefore);
        assert.deepStrictEqual(
            resumed[0],
            { aws: { "7": 0.5, "8": 0.5 }, worker: { "4": 0.5, "5": 0.5 }, gcp: { "service-00008-def": 0.5, "service-00007-abc": 0.5 }, gcpTagged: "service-00008-def" },
            "50 % on 8, the version this release judges, and the tag the Cloud Run probe uses on it",
        );
        assert.deepStrictEqual(resumed[1], { aws: { "8": 1 }, worker: { "5": 1 }, gcp: { "service-00008-def": 1 }, gcpTagged: "service-00008-def" });
        assert.ok(resumed.every((t) => !("9" in t.aws) && !("6" in t.worker) && !("service-00009-ghi" in t.gcp)), "9 had no traffic at any step");
        assert.ok(reads.every((r) => r.version === (r.cloud === "aws" ? "8" : "service-00008-def")), "only 8's metrics were judged");
        assert.ok(probes.checked.every((c) => c.version === (c.cloud === "aws" ? "8" : "service-00008-def")), "only 8 was health-checked");
        assert.deepStrictEqual(stack.setting("aws").canary, { stableVersion: 8, weightPercent: 0, candidateVersion: "" }, "8 is the stable version, not 9");
        assert.deepStrictEqual(stack.setting("gcp").canary, { stableRevision: "service-00008-def", percent: 0, candidateRevision: "" });
        assert.strictEqual(stack.setting("release").workerStableVersion, 5);
        const notices = events.flatMap((e) => (e.kind === "notice" ? [e.text] : []));
        assert.deepStrictEqual(notices.length, 3, "said once per cloud and for the worker");
        assert.match(notices[0], /^aws: this checkout deployed 9, which is not the candidate 8 this release started with; 9 gets no traffic, and the next release judges it$/);

        // The next release judges 9 from 0 %.
        const next = fakeProbes();
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, [], next.probes))).decision, "promoted");
        assert.deepStrictEqual(next.verified, [{ cloud: "aws", version: "9" }, { cloud: "gcp", version: "service-00009-ghi" }]);
        assert.strictEqual(stack.setting("aws").canary.stableVersion, 9);
    });

    it("a release that leaves the worker as it was keeps it there when a newer checkout publishes a worker version mid-release", async () => {
        // The API changes (7 -> 8), the worker does not (4 stays 4): its recorded candidate is its stable version.
        const stack = new FakeStack().failUp(3);
        stack.nextWorker = "4";
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), /pulumi up failed \(50% of traffic to the new version\): updating Lambda Alias \(arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live\)/);
        assert.strictEqual(stack.setting("release").workerCandidateVersion, 4);
        stack.nextWorker = "6";
        const upsBefore = stack.traffic.length;
        const events: ReleaseEvent[] = [];
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics, events))).decision, "promoted");
        assert.deepStrictEqual(stack.traffic.slice(upsBefore).map((t) => t.worker), [{ "4": 1 }, { "4": 1 }, { "4": 1 }], "worker 6 never ran a pipeline");
        assert.ok(events.some((e) => e.kind === "notice" && /^aws worker: this checkout deployed 6, which is not the candidate 4/.test(e.text)));
        assert.strictEqual(stack.setting("release").workerStableVersion, 4);
    });

    // Another checkout's pulumi up between a stopped release and its rerun (a newer tag's deploy): the outputs the rerun
    // starts from already name the newer versions, while the recorded candidate keys still say where its weight goes.
    it("a rerun after another checkout's up deployed newer versions goes on with the recorded candidates, not the newest the outputs name", async () => {
        const stack = new FakeStack().failUp(3); // deploy 8 at 0 %, 10 %, then the 50 % up fails
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), /pulumi up failed \(50% of traffic to the new version\)/);
        stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
        stack.nextWorker = "6";
        stack.running = { ...stack.nextVersions };
        stack.runningWorker = stack.nextWorker;

        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        assert.strictEqual((await runRelease(depsFor(stack, metrics))).decision, "promoted");
        assert.deepStrictEqual([...new Set(reads.map((r) => `${r.cloud} ${r.version}`))], ["aws 8", "gcp service-00008-def"], "only the recorded candidates were judged");
        assert.deepStrictEqual(
            [stack.setting("aws").canary.stableVersion, stack.setting("release").workerStableVersion, stack.setting("gcp").canary.stableRevision],
            [8, 5, "service-00008-def"],
            "the judged versions are the stable ones, not 9, worker 6 and service-00009-ghi",
        );
    });

    it("a rollback by hand after a held release, then nothing new: the release clears every candidate key it finds", async () => {
        const stack = new FakeStack();
        // docs/releases.md "Rollback by hand" without its candidate lines: weights to 0, the running versions as stable.
        await heldThenRolledBackByHand(stack, [
            { key: "multicloud-service:aws.canary.stableVersion", value: "8" },
            { key: "multicloud-service:gcp.canary.stableRevision", value: "service-00008-def" },
            { key: "multicloud-service:release.workerStableVersion", value: "5" },
        ]);
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.match(outcome.summary, /nothing new to release/);
        assert.deepStrictEqual(
            [stack.setting("aws").canary.candidateVersion, stack.setting("gcp").canary.candidateRevision, stack.setting("release").workerCandidateVersion],
            ["", "", ""],
            "a later canary by hand goes to the newest version, not to a stale candidate",
        );
    });

    // docs/releases.md "Canary and rollback by hand" promotes with one `pulumi env set` per key, the stable versions
    // first: stopped before the weight lines, the state records the candidates as stable with the step's weight beside
    // them. The release finds nothing new; a weight left there, with the candidates cleared, would be refused as a
    // canary by hand by every later release (mutant R07 of release.ts, writing no weight, survived).
    it("a promotion by hand stopped before its weight lines, then nothing new: the release sets the weights to 0 with the candidates cleared", async () => {
        const stack = new FakeStack();
        await heldAtFirstStep(stack);
        await stack.setConfig([
            { key: RELEASE_KEYS.aws.stable, value: "8" },
            { key: "multicloud-service:release.workerStableVersion", value: "5" },
            { key: RELEASE_KEYS.gcp.stable, value: "service-00008-def" },
        ]);
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.match(outcome.summary, /nothing new to release/);
        assert.deepStrictEqual(
            [stack.setting("aws").canary.weightPercent, stack.setting("gcp").canary.percent, stack.setting("aws").canary.candidateVersion, stack.setting("gcp").canary.candidateRevision],
            [0, 0, "", ""],
        );
        stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
        stack.nextWorker = "6";
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics))).decision, "promoted", "the next release is not refused as a canary by hand");
    });

    // docs/releases.md "Rollback by hand" sets the weights to 0 and leaves a held release's candidate keys as they are.
    // The next release's first step must write its own candidates with its weight: the program sends the weight to the
    // recorded candidate, which would still be the version just rolled back (mutant K01 of candidateKeys.ts survived).
    it("a release after a held one was rolled back by hand sends its first step to its own new versions, not the recorded ones", async () => {
        const stack = new FakeStack();
        await heldThenRolledBackByHand(stack, [
            { key: RELEASE_KEYS.aws.rolledBack, value: "8" },
            { key: RELEASE_KEYS.gcp.rolledBack, value: "service-00008-def" },
        ]);
        stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
        stack.nextWorker = "6";
        const upsBefore = stack.traffic.length;
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics))).decision, "promoted");
        assert.deepStrictEqual(
            stack.traffic[upsBefore + 1],
            { aws: { "7": 0.9, "9": 0.1 }, worker: { "4": 0.9, "6": 0.1 }, gcp: { "service-00007-abc": 0.9, "service-00009-ghi": 0.1 }, gcpTagged: "service-00009-ghi" },
            "10 % on 9, the version this release verified, none on 8, which was rolled back",
        );
    });

    it("running it twice is harmless: the second run finds nothing new and moves no traffic", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => HEALTHY);
        await runRelease(depsFor(stack, metrics));
        const setsBefore = stack.setCalls.length;
        const again = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(again.decision, "promoted");
        assert.strictEqual(again.step, null);
        assert.deepStrictEqual(again.configChanges, []);
        assert.strictEqual(stack.setCalls.length, setsBefore, "no weight was set");
        assert.match(again.summary, /nothing new to release/);
    });

    /** Probes whose verification of the new GCP revision fails with `err` before any traffic moves. */
    const gcpVerifyThrows = (err: Error) => {
        const { probes } = fakeProbes();
        probes.gcp.verify = async () => {
            throw err;
        };
        return probes;
    };

    // The platform refusing the probe (Cloud Run's 401/403 for its ID token, Lambda's AccessDeniedException) judges
    // nothing of the version: recorded as rolled back, a missing grant barred a healthy version for good.
    it("a probe the platform refuses before traffic moves stops the release; the version is not recorded as rolled back, and a rerun releases it", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => HEALTHY);
        const refusing = gcpVerifyThrows(new ProbeRefused("https://candidate---service-0a1b2c3-an.a.run.app refused the probe's ID token: 403 403 Forbidden Error: Forbidden"));
        await assert.rejects(runRelease(depsFor(stack, metrics, [], refusing)), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.match(err.message, /^gcp: .*refused the probe's ID token: 403.*\. No traffic moved; service-00008-def is not recorded as rolled back: mend the release's access, then run the release again$/);
            return true;
        });
        assert.deepStrictEqual(rolledBackWrites(stack), []);
        assert.deepStrictEqual([...stack.weights(AWS_WEIGHT), ...stack.weights(GCP_WEIGHT)], []);
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
    });

    // Only a refusal (ProbeRefused) is kept aside: any other failure of the probe itself (here cloudRunProbe's own, when
    // the stack outputs lack the tagged URL: release/probe/candidateProbes.ts) judged nothing and is not a missing grant.
    it("a probe that fails other than by a refusal stops the release with its own words before traffic moves, not as a refusal nor as a pass", async () => {
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => HEALTHY);
        const broken = gcpVerifyThrows(new Error("gcp: the stack outputs have no gcp.candidateUrl (the tagged URL of revision service-00008-def); update the stack with this version of the program first (pulumi up)"));
        await assert.rejects(runRelease(depsFor(stack, metrics, [], broken)), (err: Error) => {
            assert.match(err.message, /gcp: the stack outputs have no gcp\.candidateUrl/);
            assert.doesNotMatch(err.message, /mend the release's access/);
            return true;
        });
        assert.deepStrictEqual([...stack.weights(AWS_WEIGHT), ...stack.weights(GCP_WEIGHT)], [], "no traffic moved");
    });

    it("a health check the platform refuses from mid-bake on stops the release at the step's end where it is, nothing recorded against the version; a rerun goes on from that step", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => HEALTHY);
        const refusing = fakeProbes();
        const health = refusing.probes.aws.health;
        let checks = 0;
        refusing.probes.aws.health = async (target) => {
            if (++checks >= 3) throw new ProbeRefused("Lambda refused the probe's Invoke of pipeline-api-1234567:8: AccessDeniedException: User: x is not authorized to perform: lambda:InvokeFunction");
            return health(target);
        };
        await assert.rejects(runRelease(depsFor(stack, metrics, [], refusing.probes)), /^Error: aws: Lambda refused .*AccessDeniedException.*\. Traffic stays where this step put it \(10% to the new version\), and running the release again goes on from this step; or roll back by hand; 8 is not recorded as rolled back/);
        assert.deepStrictEqual(rolledBackWrites(stack), []);
        assert.strictEqual(stack.setting("aws").canary.weightPercent, 10);
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
        assert.deepStrictEqual(stack.weights(AWS_WEIGHT), [10, 10, 50, 100, 0], "resumed at 10 %");
    });

    it("a refused probe on one cloud does not hide the other's failure: a failed verification, or a breach mid-bake, still rolls back", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const refused = () => Promise.reject(new ProbeRefused("front refused the probe's ID token: 403"));
        // Before traffic: GCP's probe refused, AWS's version failing its smoke test.
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => HEALTHY);
        const probes = fakeProbes((cloud) => (cloud === "aws" ? { smoke: [{ route: "GET /health", ok: false, detail: "503" }] } : PASSING_PROBE)).probes;
        probes.gcp.verify = refused;
        const outcome = await runRelease(depsFor(stack, metrics, [], probes));
        assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate], ["rolled-back", 0, "aws", "release.verify.smoke"]);
        // Mid-bake: GCP's health check refused at every poll, AWS's errors at 10 %, its metrics arriving as late as
        // CloudWatch's and Cloud Monitoring's do (after the first polls).
        const baking = new FakeStack();
        const { metrics: breaching } = fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY), { aws: 150, gcp: 180 });
        const refusedHealth = fakeProbes().probes;
        refusedHealth.gcp.health = refused;
        const rolled = await runRelease(depsFor(baking, breaching, [], refusedHealth));
        assert.deepStrictEqual([rolled.decision, rolled.step, rolled.cloud, rolled.gate], ["rolled-back", 10, "aws", "aws.alarms.errorRatePercent"]);
        assert.strictEqual(baking.setting("aws").canary.weightPercent, 0, "all traffic back on the stable version");
    });

    it("a health check refused once mid-bake, then answered, counts neither way: the step goes on and the release promotes", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const stack = new FakeStack();
        const { metrics } = fakeMetrics(() => HEALTHY, { aws: 150, gcp: 180 });
        const probes = fakeProbes().probes;
        const health = probes.gcp.health;
        let checks = 0;
        probes.gcp.health = async (target) => {
            if (++checks === 2) throw new ProbeRefused("front refused the probe's ID token: 401");
            return health(target);
        };
        const outcome = await runRelease(depsFor(stack, metrics, [], probes));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
    });

    it("a probe refused in the middle of the verification load ends the load and refuses, not counted as the version's errors", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const { verifyCandidate } = await import("../../release/probe/load");
        let sent = 0;
        const send = async () => {
            if (++sent > 40) throw new ProbeRefused("Lambda refused the probe's Invoke of f:8: ExpiredTokenException: The security token included in the request is expired");
            return { status: 200, body: '{"status":"ok","exists":{}}', serviceMs: 1 };
        };
        await assert.rejects(verifyCandidate(send, { requestsPerSecond: 50, seconds: 2 }), { name: "ProbeRefused", message: /ExpiredTokenException/ });
        // 4 smoke requests and 30 that open the sockets come first; the timed load then stops at the refusal.
        assert.ok(sent < 50, `the load stopped at the refusal: ${sent} of 154 requests sent`);
    });

    it("a refusal answered while the probe's own machine stalled ends the load before the requests that fell behind are sent", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const { pacedLoad } = await import("../../release/probe/load");
        let sent = 0;
        const send = async () => {
            // The 11th timed request: the runner stalls for 600 ms (a busy neighbour, a GC pause), and the answer is a
            // refusal. At 50 req/s some 30 requests are overdue when it resumes; none of them says anything of the
            // version, and each is one more request with credentials the cloud has just refused.
            if (++sent === 11) {
                const until = performance.now() + 600;
                while (performance.now() < until);
                throw new ProbeRefused("Lambda refused the probe's Invoke of f:8: ExpiredTokenException: The security token included in the request is expired");
            }
            return { status: 200, body: '{"status":"ok","exists":{}}', serviceMs: 1 };
        };
        await assert.rejects(pacedLoad(Object.assign(send, { openConnection: async () => {} }), 50, 2), { name: "ProbeRefused" });
        // The sockets were opened without send (openConnection): every request counted here is a timed one.
        assert.ok(sent <= 12, `the load stopped at the refusal: ${sent} requests sent, the refusal was the 11th`);
    });

    it("the verification load ends on time when the version is too slow for its pace: what it could not send is fewer requests a second", async () => {
        const { pacedLoad, MAX_IN_FLIGHT } = await import("../../release/probe/load");
        // Every answer takes 2.5 s: the 64 slots are full after 0.64 s of a 100 req/s pace, and the next frees past the
        // load's 1 s and its 1 s of grace. Sent on regardless, the 36 others would end near 5.6 s.
        const slow = async () => (await new Promise((r) => setTimeout(r, 2500)), { status: 200, body: "{}", serviceMs: 2500 });
        const openConnection = async () => {};
        const started = performance.now();
        const load = await pacedLoad(Object.assign(slow, { openConnection }), 100, 1);
        const seconds = (performance.now() - started) / 1000;
        assert.strictEqual(load.requests, MAX_IN_FLIGHT, `sent ${load.requests} of 100`);
        assert.ok(seconds < 4.6, `the load took ${seconds} s: the first slot freed at 2.5 s ended it, then the last answers`);
        assert.ok(load.requestsPerSecond < 100, String(load.requestsPerSecond));
    });

    it("what a request needs (Cloud Run's ID token, Transport.prepare) is had before the request is timed, and one that cannot be had refuses", async () => {
        const { ProbeRefused } = await import("../../release/probe/transport");
        const { verifyCandidate } = await import("../../release/probe/load");
        const order: string[] = [];
        let mints = 0;
        const answer = { status: 200, body: '{"status":"ok","exists":{}}', serviceMs: 1 };
        // The first mint takes 300 ms (IAM Credentials asked again after a 503); later ones come from the cache.
        const prepare = async (): Promise<void> => {
            order.push("prepare");
            if (mints++ === 0) await new Promise((resolve) => setTimeout(resolve, 300));
        };
        const send = Object.assign(async () => (order.push("send"), answer), { prepare });
        const report = await verifyCandidate(send, { requestsPerSecond: 50, seconds: 1 });
        assert.ok(report.smoke.every((s) => s.ok));
        assert.deepStrictEqual(order.slice(0, 2), ["prepare", "send"], "the token first, then the timed request");
        assert.ok(report.load!.healthP95Ms! < 100, `the minting is not the version's time: ${JSON.stringify(report.load)}`);
        const refusing = Object.assign(async () => answer, { prepare: async () => Promise.reject(new ProbeRefused("the probe's credentials: gcp: an ID token for r@p.iam.gserviceaccount.com (audience x): 503 The service is currently unavailable.")) });
        await assert.rejects(verifyCandidate(refusing, { requestsPerSecond: 50, seconds: 1 }), { name: "ProbeRefused", message: /503 The service is currently unavailable/ });
    });

    // A metric read the cloud refuses or cannot finish (MetricsUnreadable) judges nothing of the version either. The
    // texts are what the reads wrap: grpc-js's "<code> <NAME>: <details>" for Cloud Monitoring (a Node poller's log in
    // the Memorystore/AlloyDB autoscalers' README, "Poller can't read metrics"), and CloudWatch's refusal of a role
    // without cloudwatch:GetMetricData: code AccessDenied (not AccessDeniedException, which CloudWatch's model does not
    // have; client-cloudwatch takes the code from x-amzn-query-error) and IAM's words, "AccessDenied: User: <arn> is not
    // authorized to perform: cloudwatch:<action>" with status code 403 (as logged in grafana/grafana#9076 and
    // RafalWilinski/cloudwatch-public-metrics#6), as metricQueries.spec.ts has it.
    const MONITORING_DENIED = "Cloud Monitoring did not answer timeSeries.list of run.googleapis.com/request_count: 7 PERMISSION_DENIED: Permission monitoring.timeSeries.list denied (or the resource may not exist).";
    const MONITORING_TIMEOUT = "Cloud Monitoring did not answer timeSeries.list of run.googleapis.com/request_latencies: 4 DEADLINE_EXCEEDED: Deadline exceeded";
    /** `sources` with `cloud`'s reads failing with `message` when `fails(n)` says so of its n-th read (from 1). */
    const failingReads = (sources: ReturnType<typeof fakeMetrics>, cloud: "aws" | "gcp", message: string, fails: (n: number) => boolean) => {
        const source = sources.metrics[cloud];
        const read = source.read.bind(source);
        let n = 0;
        source.read = async (target, window) => {
            if (fails(++n)) throw new MetricsUnreadable(message);
            return read(target, window);
        };
        return sources.metrics;
    };

    it("metrics a cloud refuses to read stop the release before any traffic moves; nothing is recorded against the version, and a rerun releases it", async () => {
        const stack = new FakeStack();
        const events: ReleaseEvent[] = [];
        const metrics = failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_DENIED, () => true);
        await assert.rejects(runRelease(depsFor(stack, metrics, events)), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.strictEqual(err.message, `gcp: ${MONITORING_DENIED}. No traffic moved; service-00008-def is not recorded as rolled back: mend what the answer says (the release's access, the API, a quota), then run the release again`);
            return true;
        });
        assert.deepStrictEqual([...stack.weights(AWS_WEIGHT), ...stack.weights(GCP_WEIGHT)], [], "no step began");
        assert.deepStrictEqual(events.filter((e) => e.kind === "verify"), [], "stopped before the verification load too");
        assert.deepStrictEqual(rolledBackWrites(stack), []);
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
    });

    it("a metric read that fails now and then mid-bake costs a poll, not the release: the next poll reads the whole step again", async () => {
        const stack = new FakeStack();
        const events: ReleaseEvent[] = [];
        // The check before traffic is read 1; reads 5 and 6 fail, two polls in a row in the first step.
        const metrics = failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_TIMEOUT, (n) => n === 5 || n === 6);
        const outcome = await runRelease(depsFor(stack, metrics, events));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
        const waiting = events.flatMap((e) => (e.kind === "bake" ? e.readings : [])).filter((r) => r.verdict.kind === "no-evidence" && r.verdict.reason.startsWith("metrics unreadable"));
        assert.deepStrictEqual(waiting.map((r) => r.verdict.kind === "no-evidence" && r.verdict.reason), [`metrics unreadable (1 in a row): ${MONITORING_TIMEOUT}`, `metrics unreadable (2 in a row): ${MONITORING_TIMEOUT}`]);
    });

    // release/bake.ts: a poll whose read failed has no evidence, "whatever the health check said: only a breach of the
    // health checks still decides". A new version failing every health check while its metrics cannot be read must
    // roll back at the third failure in a row, not bake on until the unreadable polls stop the release.
    it("health failing 3 times in a row rolls back while the same cloud's metrics are unreadable", async () => {
        const stack = new FakeStack();
        // GCP's reads fail from the first poll on (read 2, after the check before traffic); its first 3 health checks fail.
        const metrics = failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_TIMEOUT, (n) => n >= 2);
        const probes = fakeProbes(undefined, (cloud, n) => !(cloud === "gcp" && n <= 3));
        const outcome = await runRelease(depsFor(stack, metrics, [], probes.probes));
        assert.deepStrictEqual([outcome.decision, outcome.step, outcome.cloud, outcome.gate, outcome.value], ["rolled-back", 10, "gcp", "release.healthFailures", 3]);
        assert.strictEqual(probes.checks.gcp, 3, "it stopped at the third failure in a row");
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10, 0]);
    });

    it("metrics still unreadable at a step's end stop the release there after 3 polls in a row, where the step put traffic; a breach on the other cloud still rolls back", async () => {
        // GCP's reads fail from the step's 8th poll on (read 9, after the check before traffic): polls 8, 9 and 10
        // fail, the 10th ends the step, and the 3rd in a row stops the release.
        const stack = new FakeStack();
        const metrics = failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_DENIED, (n) => n >= 9);
        await assert.rejects(
            runRelease(depsFor(stack, metrics)),
            new ReleaseError(`gcp: ${MONITORING_DENIED}. Traffic stays where this step put it (10% to the new version), and running the release again goes on from this step; or roll back by hand; service-00008-def is not recorded as rolled back: mend what the answer says (the release's access, the API, a quota), then run the release again`),
        );
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10]);
        assert.deepStrictEqual(rolledBackWrites(stack), []);
        const rerun = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.strictEqual(rerun.decision, "promoted", rerun.summary);
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10, 10, 50, 100, 0], "resumed at 10 %");

        // GCP blind from the first poll on, AWS's errors at 10 %: AWS's breach decides, both clouds roll back.
        const breaching = new FakeStack();
        const blind = failingReads(fakeMetrics((cloud) => (cloud === "aws" ? sample({ requests: 400, errors: 40 }) : HEALTHY), { aws: 150, gcp: 180 }), "gcp", MONITORING_DENIED, (n) => n >= 2);
        const rolled = await runRelease(depsFor(breaching, blind));
        assert.deepStrictEqual([rolled.decision, rolled.step, rolled.cloud, rolled.gate], ["rolled-back", 10, "aws", "aws.alarms.errorRatePercent"]);
        assert.strictEqual(breaching.setting("gcp").canary.percent, 0, "all traffic back on the stable version");
    });

    it("unreadable polls at a step's end: 2 in a row are waited out (promoted), and at release.maxWaitMinutes fewer than 3 hold the release, saying why", async () => {
        // Reads 9 and 10 fail (the step's 8th and 9th polls; the 10th ends the step and reads again).
        const stack = new FakeStack();
        const outcome = await runRelease(depsFor(stack, failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_TIMEOUT, (n) => n === 10 || n === 11)));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
        // No wait past the bake (release.maxWaitMinutes = release.bakeMinutes): one unreadable poll at its end leaves
        // nothing judged, which is a held step (exit 4), not a refusal.
        const tight = new FakeStack("prod", undefined, (values) => Object.assign(values["multicloud-service:release"], { bakeMinutes: 10, maxWaitMinutes: 10 }));
        const held = await runRelease(depsFor(tight, failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_TIMEOUT, (n) => n === 11)));
        assert.deepStrictEqual([held.decision, held.step, held.cloud, held.gate, held.value], ["held", 10, "gcp", "release.metricsReadable", null]);
        assert.match(held.summary, new RegExp(`^held at 10%: after \\d+ min gcp's metrics unreadable \\(1 in a row\\): ${MONITORING_TIMEOUT.replace(/[.()]/g, "\\$&")}; traffic is left where it is`));
    });

    // A gate compares with `>`, and NaN compares false: a read handing on a NaN p95 passed every gate. Before: promoted.
    it("a read whose figures are not numbers (a NaN p95, Infinity requests) is unreadable, never judged healthy", async () => {
        for (const figures of [{ p95Ms: NaN }, { requests: Infinity, errors: Infinity }]) {
            const stack = new FakeStack();
            const metrics = fakeMetrics((cloud, step) => (cloud === "gcp" && step > 0 ? sample(figures) : HEALTHY)).metrics;
            await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
                assert.ok(err instanceof ReleaseError, String(err));
                assert.match(err.message, /^gcp: the metrics read (p95Ms as NaN|requests as Infinity), not a figure to judge\. Traffic stays where this step put it \(10% to the new version\)/);
                return true;
            });
            assert.deepStrictEqual(stack.weights(GCP_WEIGHT), [10], "no step past the first");
        }
    });

    it("3 unreadable polls in a row at a step's end stop the release (exit 1) even with no wait past the bake: not a held step", async () => {
        // As docs/releases.md says it, still failing at the step's end for 3 polls in a row, the release stops with
        // exit 1. GCP's reads fail from read 9 on: the step's polls 8, 9 and 10, the 10th ending it
        // (release.maxWaitMinutes = bakeMinutes).
        const tight = new FakeStack("prod", undefined, (values) => Object.assign(values["multicloud-service:release"], { bakeMinutes: 10, maxWaitMinutes: 10 }));
        await assert.rejects(runRelease(depsFor(tight, failingReads(fakeMetrics(() => HEALTHY), "gcp", MONITORING_DENIED, (n) => n >= 9))), (err: Error) => {
            assert.ok(err instanceof ReleaseError, String(err));
            assert.ok(err.message.startsWith(`gcp: ${MONITORING_DENIED}. Traffic stays where this step put it (10% to the new version)`), err.message);
            return true;
        });
        assert.deepStrictEqual(tight.weights(GCP_WEIGHT), [10]);
    });

    it("a held step ends with the poll that finds it past release.maxWaitMinutes, its work (a health check, a read) counted in the credentials' budget", async () => {
        // Each poll's work takes time: 10 s of health check and 45 s of read (METRIC_READ_WORST_SECONDS), on a clock that
        // moves only when something waits. Too little traffic: the step is held.
        const stack = new FakeStack();
        const deps = depsFor(stack, fakeMetrics((cloud) => (cloud === "gcp" ? sample({ requests: 5 }) : HEALTHY)).metrics);
        const clock = deps.clock;
        const probes = fakeProbes().probes;
        for (const cloud of ["aws", "gcp"] as const) {
            const health = probes[cloud].health;
            probes[cloud].health = async (target) => (await clock.sleep(10_000), health(target));
            const read = deps.metrics[cloud]!.read.bind(deps.metrics[cloud]);
            deps.metrics[cloud]!.read = async (target, window) => (await clock.sleep(45_000), read(target, window));
        }
        const stepStarts: number[] = [];
        const report = deps.report;
        const outcome = await runRelease({ ...deps, probes, report: (e) => (e.kind === "step" && stepStarts.push(clock.now()), report(e)) });
        assert.strictEqual(outcome.decision, "held");
        // Both clouds poll at once, so in real time a poll's work is the slower cloud's 55 s; this VirtualClock moves its
        // hands by each wait, so here the two clouds' waits add up (110 s). The step ends with the first poll that ends
        // past release.maxWaitMinutes: within one poll's work of it, never a whole poll interval (60 s) later. The
        // fakes' ingestion delay is 0.
        const { METRIC_READ_WORST_SECONDS } = await import("../../release/metrics/metricSource");
        const pollWork = 2 * (10 + METRIC_READ_WORST_SECONDS);
        const stepSeconds = (clock.now() - stepStarts[0]) / 1000;
        const maxWait = stack.setting("release").maxWaitMinutes * 60;
        assert.ok(stepSeconds > maxWait && stepSeconds <= maxWait + pollWork, `the held step took ${stepSeconds} s (release.maxWaitMinutes ${maxWait} s)`);
    });

    it("both clouds' reads refused before traffic: the release names both", async () => {
        const stack = new FakeStack();
        const sources = fakeMetrics(() => HEALTHY);
        failingReads(sources, "gcp", MONITORING_DENIED, () => true);
        const metrics = failingReads(sources, "aws", "CloudWatch did not answer GetMetricData: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/release-prod/release is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action", () => true);
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: Error) => {
            assert.match(err.message, /^aws: CloudWatch did not answer GetMetricData: AccessDenied: User: .* is not authorized to perform: cloudwatch:GetMetricData.*; gcp: Cloud Monitoring did not answer timeSeries\.list.*PERMISSION_DENIED.*\. No traffic moved; nothing is recorded as rolled back/);
            return true;
        });
    });

    it("an alarm already in ALARM before any traffic moves stops the release: the new version is not blamed, nor barred", async () => {
        const stack = new FakeStack();
        // The pipeline's alarm fires before the release (step 0) and clears afterwards.
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "aws" && step === 0 ? sample({ firingAlarms: ["pipeline-failed-executions-0ff"] }) : HEALTHY));
        await assert.rejects(
            runRelease(depsFor(stack, metrics)),
            new ReleaseError("aws: pipeline-failed-executions-0ff in ALARM before any traffic moved to 8: what runs now is unhealthy, and a release would blame the new version for it. No traffic moved; mend what the alarm says, or wait until it is OK, then run the release again"),
        );
        assert.deepStrictEqual([...stack.weights(AWS_WEIGHT), ...stack.weights(GCP_WEIGHT)], []);
        assert.deepStrictEqual(rolledBackWrites(stack), []);
        const outcome = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
    });

    it("a resumed release does not judge the alarms before going on: its version has traffic, and its alarms are its gates", async () => {
        const stack = new FakeStack().failUp(3); // deploy, 10 %, then the 50 % up fails
        await assert.rejects(runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics)), /pulumi up failed \(50% of traffic to the new version\): updating Lambda Alias \(arn:aws:lambda:ap-northeast-1:111122223333:function:multicloud-service-prod-api:live\)/);
        // The rerun's check before going on sees an alarm (step 0); the bake's own reads see none.
        const { metrics } = fakeMetrics((cloud, step) => (cloud === "aws" && step === 0 ? sample({ firingAlarms: ["pipeline-api-error-rate-abc"] }) : HEALTHY));
        const outcome = await runRelease(depsFor(stack, metrics));
        assert.strictEqual(outcome.decision, "promoted", outcome.summary);
    });

    it("a rerun after a rollback does not release the rolled-back version again", async () => {
        const stack = new FakeStack();
        const bad = fakeMetrics(() => sample({ errors: 900 }));
        assert.strictEqual((await runRelease(depsFor(stack, bad.metrics))).decision, "rolled-back");
        const good = fakeMetrics(() => HEALTHY);
        const again = await runRelease(depsFor(stack, good.metrics));
        assert.deepStrictEqual([again.decision, again.gate, again.step], ["rolled-back", "release.rolledBack", null]);
        assert.strictEqual(good.reads.length, 0, "no traffic was moved to it");
        assert.ok(!again.configChanges.some((c) => c.value !== 0 && /weight|percent/.test(c.key)));
    });

    it("after a rollback, a change to one cloud only releases that cloud; the other's rolled-back version gets no traffic", async () => {
        // The usual fix after a rollback touches one cloud (a Cloud Run memory setting): Lambda publishes nothing new
        // and still has the rolled-back version 8 as its newest.
        const stack = new FakeStack();
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => sample({ errors: 900 })).metrics))).decision, "rolled-back");
        stack.nextVersions = { aws: "8", gcp: "service-00009-ghi" };
        const trafficBefore = stack.traffic.length;
        const good = fakeMetrics(() => HEALTHY);
        const events: ReleaseEvent[] = [];
        const again = await runRelease({ ...depsFor(stack, good.metrics), report: (e) => events.push(e) });
        assert.strictEqual(again.decision, "promoted");
        assert.ok(!good.reads.some((r) => r.cloud === "aws"), "aws 8 is not judged again");
        const rerun = stack.traffic.slice(trafficBefore);
        assert.ok(rerun.length > 0 && rerun.every((t) => (t.aws["8"] ?? 0) === 0), `aws 8 got traffic: ${JSON.stringify(rerun.map((t) => t.aws))}`);
        assert.ok(good.reads.some((r) => r.cloud === "gcp" && r.version === "service-00009-ghi"), "the new Cloud Run revision is released");
        assert.ok(events.some((e) => e.kind === "notice" && e.text.startsWith("aws 8 was rolled back before: it gets no traffic, and aws stays on 7")));
        assert.match(again.summary, /^promoted: gcp service-00009-ghi is now the stable version; aws 8, rolled back before, got no traffic/);
    });

    // rollback.ts clears the candidate keys with the weights (candidateKeys.ts: "When a release ends, a cloud's candidate
    // keys say none"): a candidate left recorded is the version a rerun's weight goes to (release.ts, recordedCandidate).
    it("after a rollback, a fixed version of both clouds is the next release's candidate, not the rolled-back one still recorded", async () => {
        const stack = new FakeStack();
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => sample({ errors: 900 })).metrics))).decision, "rolled-back");
        assert.deepStrictEqual([stack.setting("aws").canary.candidateVersion, stack.setting("gcp").canary.candidateRevision, stack.setting("release").workerCandidateVersion], ["", "", ""]);
        stack.nextVersions = { aws: "9", gcp: "service-00009-ghi" };
        const good = fakeMetrics(() => HEALTHY);
        const again = await runRelease(depsFor(stack, good.metrics));
        assert.strictEqual(again.decision, "promoted", again.summary);
        assert.match(again.summary, /^promoted: aws 9, gcp service-00009-ghi is now the stable version/);
        assert.ok(good.reads.some((r) => r.cloud === "aws" && r.version === "9"), "aws 9 is judged");
    });

    it("a release that left a rolled-back version out and was held stays without it when rerun", async () => {
        const stack = new FakeStack();
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics(() => sample({ errors: 900 })).metrics))).decision, "rolled-back");
        stack.nextVersions = { aws: "8", gcp: "service-00009-ghi" };
        // Too little traffic on Cloud Run: held at the first step, to be rerun ("rerun to go on").
        assert.strictEqual((await runRelease(depsFor(stack, fakeMetrics((cloud) => (cloud === "gcp" ? sample({ requests: 5 }) : HEALTHY)).metrics))).decision, "held");
        const trafficBefore = stack.traffic.length;
        const resumed = await runRelease(depsFor(stack, fakeMetrics(() => HEALTHY).metrics));
        const rerun = stack.traffic.slice(trafficBefore);
        assert.ok(rerun.length > 0 && rerun.every((t) => (t.aws["8"] ?? 0) === 0), `aws 8 got traffic: ${JSON.stringify(rerun.map((t) => t.aws))}`);
        assert.match(resumed.summary, /^promoted: gcp service-00009-ghi is now the stable version; aws 8, rolled back before, got no traffic/);
    });

    it("a cloud disabled in the stack is left out: no reads, no weights", async () => {
        const stack = new FakeStack("prod", undefined, (doc) => (doc["multicloud-service:gcp"] = { enabled: false }));
        const { metrics, reads } = fakeMetrics(() => HEALTHY);
        assert.strictEqual((await runRelease(depsFor(stack, metrics))).decision, "promoted");
        assert.ok(reads.every((r) => r.cloud === "aws"));
        assert.deepStrictEqual(stack.weights(GCP_WEIGHT), []);
    });

    it("bad release settings stop it before anything changes, with the same SettingsError as the program", async () => {
        const stack = new FakeStack("prod", undefined, (doc) => (doc["multicloud-service:release"] = { steps: [50, 10], bakeMinutes: 0 }));
        const { metrics } = fakeMetrics(() => HEALTHY);
        await assert.rejects(runRelease(depsFor(stack, metrics)), (err: unknown) => {
            assert.ok(SettingsError.isInstance(err));
            assert.deepStrictEqual([...new Set(err.problems.map((p) => p.key))].sort(), ["multicloud-service:release.bakeMinutes", "multicloud-service:release.steps"]);
            return true;
        });
        assert.strictEqual(stack.setCalls.length + stack.ups, 0);
    });
});
