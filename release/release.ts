/**
 * The release itself: deploy the new version with no traffic, then for each step move that share of traffic to it
 * on every cloud, `pulumi up`, and bake while its own metrics are judged. A breach anywhere puts both clouds back
 * on the stable version (exit 3); too little traffic for too long stops the release where it is (exit 4); after
 * the last step the new version is recorded as the stable one (exit 0). Everything it knows between runs is in
 * the stack config, so a rerun after a crash resumes from the recorded weight.
 */
import { LastAlarmActions } from "./alerts/alarmActions";
import { ListTopicSubscriptions } from "./alerts/alarmDelivery";
import { ReadChannelStatus } from "./alerts/channelStatus";
import { alertAddressProblems } from "./alerts/alertAddresses";
import { checkAlertsReachSomeone, outputsNameAlertTargets } from "./alerts/reachSomeone";
import { checkMetricsBeforeTraffic, verifyAll } from "./beforeTraffic";
import { Candidate, newVersions, stableVersions } from "./candidate";
import { candidatesCleared } from "./candidateKeys";
import { refuseCanaryByHand } from "./canaryByHand";
import { Clock } from "./clock";
import { RELEASE_KEYS } from "./configChanges";
import { ReleaseEvent } from "./events";
import { deployWithNoTraffic } from "./firstDeploy";
import { Interruption } from "./interruption";
import { MetricSource } from "./metrics/metricSource";
import { refuseDroppedCloud, refuseMovedStack } from "./movedStack";
import { refuseCallerOfAnotherAccount } from "./callerAccount";
import { refuseProbesWithoutCredentials } from "./probeCredentials";
import type { SdkIdentity } from "../components/aws/sdkIdentity";
import { CandidateProbe } from "./probe/probeReport";
import { promote } from "./promotion";
import { ReleaseError } from "./releaseError";
import { ReleaseRun } from "./releaseRun";
import { CloudReleaseState, enabledClouds, releasePlanFromConfig } from "./settings";
import { StackAccess } from "./stack/stackAccess";
import { runSteps } from "./steps";
import { Cloud, DeployedTarget, ReleaseOutcome } from "./types";

export interface ReleaseDeps {
    stack: StackAccess;
    metrics: Partial<Record<Cloud, MetricSource>>;
    /** Reach each cloud's new version alone: the verification before traffic, the health checks while it bakes. */
    probes: Partial<Record<Cloud, CandidateProbe>>;
    clock: Clock;
    report: (event: ReleaseEvent) => void;
    /** Seconds between metric reads while a step bakes. */
    pollSeconds: number;
    /** Steps to use instead of release.steps (a simulation scenario's). */
    steps?: number[];
    /** AWS: who the alarm topic notifies (absent in a simulation, which reaches no cloud). */
    alarmSubscriptions?: ListTopicSubscriptions;
    /** AWS: the alarms' newest notifications to the topic in CloudWatch's history (absent in a simulation). */
    alarmActions?: LastAlarmActions;
    /** GCP: the verification status of the alert e-mail's notification channel (absent in a simulation). */
    channelStatus?: ReadChannelStatus;
    /** A rehearsal (--simulate): it puts nothing live, so who the alerts reach is not asked of it. */
    rehearsal?: boolean;
    /** AWS: whose credentials the release's own reads and probes use (absent in a simulation, which reaches no cloud). */
    awsCaller?: () => Promise<SdkIdentity>;
    /** The release stopped from outside (release/interruption.ts); the clock's sleeps end with it too. */
    interruption?: Pick<Interruption, "received">;
}

type Deployed = Partial<Record<Cloud, DeployedTarget>>;

export async function runRelease(deps: ReleaseDeps): Promise<ReleaseOutcome> {
    const run = await openRun(deps);
    const resumeAt = resumeIndex(run);
    /** Where traffic stands if the release stops before it moves any. */
    const trafficSoFar = resumeAt < 0 ? "No traffic moved" : `Traffic stays where the release left it (${run.plan.steps[resumeAt]}% to the new version)`;
    const before = await refuseBadStart(run, trafficSoFar);
    /** Whether the alerts' recipients were checked on the outputs before the deploy (a stack an older program last updated names no topic or channel). */
    const alertsChecked = resumeAt < 0 && outputsNameAlertTargets(run.plan, before);
    if (alertsChecked) await checkAlertsReachSomeone(run.plan, before, deps);
    if (resumeAt < 0) await deployWithNoTraffic(run, before);

    // A resumed release made no up since `before` was read.
    const deployed = resumeAt < 0 ? await deps.stack.deployed() : before;
    const found = findCandidates(run, deployed, resumeAt);
    if (found.length === 0) return settleNothingNew(run);
    // A rolled-back version is never released again: also when the other cloud has something new to release, and
    // when a release that left it out resumes (its cloud has no candidate recorded, so its newest is the target).
    const rolledBackBefore = found.filter((c) => run.state(c.cloud).rolledBack === c.target.version);
    if (resumeAt < 0 && rolledBackBefore.length === found.length) return notReleasedAgain(run, found);
    const candidates = withoutRolledBack(run, found, rolledBackBefore);
    const leftOut = rolledBackBefore.length ? `; ${newVersions(rolledBackBefore)}, rolled back before, got no traffic` : "";

    if (resumeAt < 0 && !alertsChecked) await checkAlertsReachSomeone(run.plan, deployed, deps);
    reportStart(run, candidates, resumeAt);
    await checkMetricsBeforeTraffic(candidates, deps, trafficSoFar, { alarms: resumeAt < 0 });
    if (resumeAt < 0) {
        const failed = await verifyBeforeTraffic(run, candidates);
        if (failed) return failed;
    }

    /** The versions this release sends traffic to, as its messages name them. */
    const onNew = newVersions(candidates);
    /** Per cloud (and the AWS worker), a newer version this checkout deployed beside the candidate (said once, and again in the outcome). */
    const newer = new Map<string, string>();
    const ended = await runSteps(run, candidates, Math.max(resumeAt, 0), onNew, newer);
    if (ended) return ended;
    return promote(run, candidates, onNew, leftOut, newer);
}

async function openRun(deps: ReleaseDeps): Promise<ReleaseRun> {
    const plan = releasePlanFromConfig(await deps.stack.readConfig(), deps.stack.name, deps.steps);
    const clouds = enabledClouds(plan);
    if (clouds.length === 0) throw new ReleaseError(`stack ${plan.stack} enables neither aws nor gcp: nothing to release`);
    return new ReleaseRun(deps, plan, clouds);
}

/** The step a release that recorded traffic to its candidates resumes at; -1 for a fresh start (a weight set by hand is refused: refuseCanaryByHand). */
function resumeIndex(run: ReleaseRun): number {
    const recordedWeight = Math.max(...run.clouds.map((c) => (run.state(c).stable ? run.state(c).weight : 0)));
    return recordedWeight > 0 ? run.plan.steps.findIndex((step) => step >= recordedWeight) : -1;
}

/**
 * Refuses alerts that reach nobody, a canary weight set by hand, a stack moved from its state, a cloud dropped mid-release, AWS credentials of
 * another account than the stack's, and a probe without its credentials; returns what the stack runs now.
 */
async function refuseBadStart(run: ReleaseRun, trafficSoFar: string): Promise<Deployed> {
    const { plan, deps } = run;
    const nobodyAlerted = deps.rehearsal ? [] : alertAddressProblems(plan, deps.stack.cliName);
    if (nobodyAlerted.length > 0) throw new ReleaseError(`${nobodyAlerted.join("; ")}. ${trafficSoFar}`);
    const before = await deps.stack.deployed();
    refuseCanaryByHand(run, before);
    refuseMovedStack(plan, before);
    refuseDroppedCloud(plan, before);
    await refuseCallerOfAnotherAccount(plan, before, deps.awsCaller, trafficSoFar);
    await refuseProbesWithoutCredentials(run, before, trafficSoFar);
    return before;
}

/** Each enabled cloud's new version and the stable one it would replace; a cloud whose newest is its stable version has none. */
function findCandidates(run: ReleaseRun, deployed: Deployed, resumeAt: number): Candidate[] {
    const candidates: Candidate[] = [];
    for (const cloud of run.clouds) {
        const state = run.state(cloud);
        const newest = deployed[cloud];
        // A resumed release goes on with the version it recorded, which an update from another checkout may have left behind the newest.
        const target = newest && resumeAt >= 0 ? recordedCandidate(newest, state) : newest;
        if (!target) throw new ReleaseError(`${cloud}: the stack outputs have no ${cloud} section although ${cloud} is enabled`);
        if (!run.deps.metrics[cloud]) throw new ReleaseError(`${cloud}: no metric source`);
        if (!run.deps.probes[cloud]) throw new ReleaseError(`${cloud}: no probe to reach the new version alone`);
        if (target.version !== state.stable) candidates.push({ cloud, stable: state.stable as string, target });
    }
    return candidates;
}

/** The deployed target as the release recorded it: the candidate version (and worker version) its weight goes to. */
function recordedCandidate(newest: DeployedTarget, state: CloudReleaseState): DeployedTarget {
    const worker = newest.worker && { ...newest.worker, version: state.workerCandidate ?? newest.worker.version };
    return { ...newest, version: state.candidate ?? newest.version, ...(worker ? { worker } : {}) };
}

/** Nothing new to release: any weight or candidate a past release left recorded is cleared, and applied if this run wrote anything. */
async function settleNothingNew(run: ReleaseRun): Promise<ReleaseOutcome> {
    const { clouds } = run;
    await run.setConfig(clouds.flatMap((c) => [...(run.state(c).weight !== 0 ? [{ key: RELEASE_KEYS[c].weight, value: 0 }] : []), ...candidatesCleared(c, run.state(c), "recorded")]));
    if (run.made.length > 0) {
        await run.up("settle the recorded state", {
            recorded: "The release state records no traffic to any candidate",
            next: `Run the release again, or pulumi up --stack ${run.deps.stack.cliName}, to apply it`,
        });
    }
    return run.outcome({ decision: "promoted", step: null, cloud: null, gate: null, value: null, threshold: null, summary: `nothing new to release: the stable versions (${run.recordedStableVersions()}) are what the stack runs` });
}

function notReleasedAgain(run: ReleaseRun, candidates: Candidate[]): ReleaseOutcome {
    const first = candidates[0];
    return run.outcome({
        decision: "rolled-back",
        step: null,
        cloud: first.cloud,
        gate: "release.rolledBack",
        value: null,
        threshold: null,
        summary: `not released: ${newVersions(candidates)} was rolled back before; deploy a new version`,
    });
}

/** The candidates without those rolled back before, each of which is said to get no traffic. */
function withoutRolledBack(run: ReleaseRun, candidates: Candidate[], rolledBackBefore: Candidate[]): Candidate[] {
    for (const c of rolledBackBefore) {
        run.deps.report({ kind: "notice", text: `${c.cloud} ${c.target.version} was rolled back before: it gets no traffic, and ${c.cloud} stays on ${c.stable}; deploy a new ${c.cloud} version to release one` });
    }
    return candidates.filter((c) => !rolledBackBefore.includes(c));
}

function reportStart(run: ReleaseRun, candidates: Candidate[], resumeAt: number) {
    const { plan } = run;
    run.deps.report({
        kind: "start",
        stack: plan.stack,
        versions: candidates.map((c) => ({ cloud: c.cloud, stable: c.stable, candidate: c.target.version })),
        steps: plan.steps,
        bakeMinutes: plan.bakeMinutes,
        resumeAt: resumeAt >= 0 ? plan.steps[resumeAt] : undefined,
    });
}

/** Each new version alone, before any traffic: when one fails, all are recorded as rolled back and the release ends. */
async function verifyBeforeTraffic(run: ReleaseRun, candidates: Candidate[]): Promise<ReleaseOutcome | undefined> {
    const failed = await verifyAll(run.plan, candidates, run.deps);
    if (!failed) return undefined;
    await run.setConfig(candidates.map((c) => ({ key: RELEASE_KEYS[c.cloud].rolledBack, value: c.target.version })));
    return run.outcome({
        decision: "rolled-back",
        step: 0,
        cloud: failed.cloud,
        gate: failed.verdict.gate,
        value: failed.verdict.value,
        threshold: failed.verdict.threshold,
        summary: `not released: ${failed.cloud} ${failed.version} failed its verification before any traffic moved: ${failed.verdict.text}; all traffic stays on ${stableVersions(candidates)}`,
    });
}
