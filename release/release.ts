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
import { BakeResult, bake, breachText, heldBecause, isUnreadable } from "./bake";
import { checkMetricsBeforeTraffic, verifyAll } from "./beforeTraffic";
import { Candidate } from "./candidate";
import { Clock } from "./clock";
import { NO_CANDIDATE, RELEASE_KEYS, WORKER_STABLE_KEY } from "./configChanges";
import { ReleaseEvent } from "./events";
import { Interruption, ReleaseStopped, StopSignal, exitCodeFor } from "./interruption";
import { MetricSource } from "./metrics/metricSource";
import { CandidateProbe } from "./probe/probeReport";
import { ReleaseError } from "./releaseError";
import { CloudReleaseState, enabledClouds, releasePlanFromConfig } from "./settings";
import { mayLand, releaseStateEnvironment } from "./stack/escReleaseState";
import { StackAccess, WriteOptions, stackOrganization } from "./stack/stackAccess";
import { updateFailureReason } from "./stack/updateFailure";
import { refuseDroppedCloud, refuseMovedStack } from "./movedStack";
import { Cloud, ConfigChange, DeployedTarget, ReleaseOutcome } from "./types";

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
    /** The release stopped from outside (release/interruption.ts); the clock's sleeps end with it too. */
    interruption?: Pick<Interruption, "received">;
}

/** What a release that ends early has left: what the release state records, and what to do next. */
interface Standing {
    recorded: string;
    next: string;
}

export async function runRelease(deps: ReleaseDeps): Promise<ReleaseOutcome> {
    const { stack, report } = deps;
    const plan = releasePlanFromConfig(await stack.readConfig(), stack.name, deps.steps);
    const clouds = enabledClouds(plan);
    if (clouds.length === 0) throw new ReleaseError(`stack ${plan.stack} enables neither aws nor gcp: nothing to release`);
    const made: ConfigChange[] = [];
    /** What the release state records so far: each `up` says it; before the first, what this run found. */
    let standing: Standing = {
        recorded: "The release state is as this run found it",
        next: "This run moved no traffic: run the release again to go on",
    };
    /**
     * A write of the release state. A stopped release records nothing more (a step's weight written after a signal
     * that came during a verification or a poll would let the rerun resume past checks that never ended), except the
     * rollback (`over`), which takes traffic off a version that breached.
     */
    const setConfig = async (changes: ConfigChange[], options?: WriteOptions) => {
        const signal = deps.interruption?.received;
        if (signal && !options?.over) throw stoppedError(signal, "before the release recorded anything more", standing);
        if (changes.length === 0) return;
        report({ kind: "config", changes });
        try {
            await stack.setConfig(changes, options);
        } catch (err) {
            // A rollback's failure says its own below. Any other write that still fails (after the store's own tries)
            // stops the release where its last `up` left traffic: say where that is and how to go on, not only ESC's words.
            if (options?.over) throw err;
            const recorded = standing.recorded.charAt(0).toLowerCase() + standing.recorded.slice(1);
            // A write that may have landed (the store's own judgement, mayLand): then the state holds it, and a rerun goes on from there.
            const orLanded = err instanceof Error && mayLand(err) ? ", or the write above if it landed" : "";
            throw new ReleaseError(`${(err as Error).message}. This run's last record: ${recorded}${orLanded}. ${standing.next}`);
        }
        made.push(...changes);
    };
    /**
     * The run's first `up` may wait for this checkout's image (its push and scan): the later ones find it there, so
     * they get no such allowance, and the release window counts the wait once (deployments/releaseWindow.ts).
     */
    let imageWaitMinutes = plan.imageWaitMinutes;
    /** One `pulumi up`; a failure or a stop ends the release with what `standing` says is recorded. */
    const up = async (purpose: string, after: Standing) => {
        standing = after;
        report({ kind: "up", purpose });
        const allowance = { imageWaitMinutes };
        imageWaitMinutes = 0;
        try {
            await stack.up(allowance);
        } catch (err) {
            const signal = stopSignal(err, deps.interruption);
            if (signal) throw stoppedError(signal, `during pulumi up (${purpose}), which it interrupted`, standing);
            throw new ReleaseError(`pulumi up failed (${purpose}): ${updateFailureReason(err)}. ${standing.recorded}. ${standing.next}`);
        }
        const signal = deps.interruption?.received;
        if (signal) throw stoppedError(signal, `after pulumi up (${purpose})`, standing);
    };
    const state = (cloud: Cloud) => plan.clouds[cloud] as CloudReleaseState;
    const outcome = (o: Omit<ReleaseOutcome, "configChanges">): ReleaseOutcome => {
        const result = { ...o, configChanges: made };
        report({ kind: "outcome", outcome: result });
        return result;
    };

    const recordedWeight = Math.max(...clouds.map((c) => (state(c).stable ? state(c).weight : 0)));
    const resumeAt = recordedWeight > 0 ? plan.steps.findIndex((step) => step >= recordedWeight) : -1;
    /** Where traffic stands if the release stops before it moves any. */
    const trafficSoFar = resumeAt < 0 ? "No traffic moved" : `Traffic stays where the release left it (${plan.steps[resumeAt]}% to the new version)`;
    const nobodyAlerted = deps.rehearsal ? [] : alertAddressProblems(plan, stack.cliName);
    if (nobodyAlerted.length > 0) throw new ReleaseError(`${nobodyAlerted.join("; ")}. ${trafficSoFar}`);
    /** Whether the alerts' recipients were checked on the outputs before the deploy (a stack an older program last updated names no topic or channel). */
    let alertsChecked = false;
    const before = await stack.deployed();
    refuseMovedStack(plan, before);
    refuseDroppedCloud(plan, before);
    if (resumeAt < 0) {
        if (outputsNameAlertTargets(plan, before)) {
            await checkAlertsReachSomeone(plan, before, deps);
            alertsChecked = true;
        }
        const firstStable: ConfigChange[] = [];
        for (const cloud of clouds) {
            if (state(cloud).stable) continue;
            const running = before[cloud];
            if (!running) throw new ReleaseError(`${cloud}: stack ${plan.stack} has no deployed version to fall back to; run pulumi up once before the first release`);
            state(cloud).stable = running.version;
            firstStable.push({ key: RELEASE_KEYS[cloud].stable, value: running.version });
        }
        // The worker's alias follows the API's canary from the worker version running now (docs/releases.md).
        const worker = before.aws?.worker;
        if (clouds.includes("aws") && worker && !state("aws").workerStable) {
            state("aws").workerStable = worker.version;
            firstStable.push({ key: WORKER_STABLE_KEY, value: worker.version });
        }
        await setConfig(firstStable);
        await up("deploy the new version with no traffic on it", {
            recorded: `The release state records the stable versions (${clouds.map((c) => `${c} ${state(c).stable}`).join(", ")}) and no traffic to the new one`,
            next: "No traffic moved: mend what stopped it, then run the release again",
        });
    }

    // A resumed release made no up since `before` was read.
    const deployed = resumeAt < 0 ? await stack.deployed() : before;
    const candidates: Candidate[] = [];
    for (const cloud of clouds) {
        const newest = deployed[cloud];
        // A resumed release goes on with the version it recorded, which an update from another checkout may have left behind the newest.
        const target = newest && resumeAt >= 0 ? recordedCandidate(newest, state(cloud)) : newest;
        if (!target) throw new ReleaseError(`${cloud}: the stack outputs have no ${cloud} section although ${cloud} is enabled`);
        if (!deps.metrics[cloud]) throw new ReleaseError(`${cloud}: no metric source`);
        if (!deps.probes[cloud]) throw new ReleaseError(`${cloud}: no probe to reach the new version alone`);
        if (target.version !== state(cloud).stable) candidates.push({ cloud, stable: state(cloud).stable as string, target });
    }

    if (candidates.length === 0) {
        await setConfig(clouds.flatMap((c) => [...(state(c).weight !== 0 ? [{ key: RELEASE_KEYS[c].weight, value: 0 }] : []), ...candidatesCleared(c, state(c), "recorded")]));
        if (made.length > 0) {
            await up("settle the recorded state", {
                recorded: "The release state records no traffic to any candidate",
                next: `Run the release again, or pulumi up --stack ${stack.cliName}, to apply it`,
            });
        }
        const running = clouds.map((c) => `${c} ${state(c).stable}`).join(", ");
        return outcome({ decision: "promoted", step: null, cloud: null, gate: null, value: null, threshold: null, summary: `nothing new to release: the stable versions (${running}) are what the stack runs` });
    }
    // A rolled-back version is never released again: also when the other cloud has something new to release, and
    // when a release that left it out resumes (its cloud has no candidate recorded, so its newest is the target).
    const rolledBackBefore = candidates.filter((c) => state(c.cloud).rolledBack === c.target.version);
    if (resumeAt < 0 && rolledBackBefore.length === candidates.length) {
        const first = candidates[0];
        return outcome({
            decision: "rolled-back",
            step: null,
            cloud: first.cloud,
            gate: "release.rolledBack",
            value: null,
            threshold: null,
            summary: `not released: ${candidates.map((c) => `${c.cloud} ${c.target.version}`).join(", ")} was rolled back before; deploy a new version`,
        });
    }

    for (const c of rolledBackBefore) {
        candidates.splice(candidates.indexOf(c), 1);
        report({ kind: "notice", text: `${c.cloud} ${c.target.version} was rolled back before: it gets no traffic, and ${c.cloud} stays on ${c.stable}; deploy a new ${c.cloud} version to release one` });
    }
    const leftOut = rolledBackBefore.length ? `; ${rolledBackBefore.map((c) => `${c.cloud} ${c.target.version}`).join(", ")}, rolled back before, got no traffic` : "";

    if (resumeAt < 0 && !alertsChecked) await checkAlertsReachSomeone(plan, deployed, deps);

    const startIndex = Math.max(resumeAt, 0);
    /** Per cloud (and the AWS worker), a newer version this checkout deployed beside the candidate (said once, and again in the outcome). */
    const newer = new Map<string, string>();
    report({
        kind: "start",
        stack: plan.stack,
        versions: candidates.map((c) => ({ cloud: c.cloud, stable: c.stable, candidate: c.target.version })),
        steps: plan.steps,
        bakeMinutes: plan.bakeMinutes,
        resumeAt: resumeAt >= 0 ? plan.steps[resumeAt] : undefined,
    });

    await checkMetricsBeforeTraffic(candidates, deps, trafficSoFar, { alarms: resumeAt < 0 });

    if (resumeAt < 0) {
        const failed = await verifyAll(plan, candidates, deps);
        if (failed) {
            await setConfig(candidates.map((c) => ({ key: RELEASE_KEYS[c.cloud].rolledBack, value: c.target.version })));
            return outcome({
                decision: "rolled-back",
                step: 0,
                cloud: failed.cloud,
                gate: failed.verdict.gate,
                value: failed.verdict.value,
                threshold: failed.verdict.threshold,
                summary: `not released: ${failed.cloud} ${failed.version} failed its verification before any traffic moved: ${failed.verdict.text}; all traffic stays on ${candidates.map((c) => `${c.cloud} ${c.stable}`).join(", ")}`,
            });
        }
    }

    /** The versions this release sends traffic to, as its messages name them. */
    const onNew = candidates.map((c) => `${c.cloud} ${c.target.version}`).join(", ");
    /** Failed health checks of the new versions in a row, per cloud, across the steps (bake.ts). */
    const healthFailuresInARow = new Map<Cloud, number>();
    for (let index = startIndex; index < plan.steps.length; index++) {
        const percent = plan.steps[index];
        report({ kind: "step", index, total: plan.steps.length, percent });
        await setConfig(candidates.flatMap((c) => [{ key: RELEASE_KEYS[c.cloud].weight, value: percent }, ...candidateRecord(c, state(c.cloud))]));
        const atStep: Standing = {
            recorded: `The release state records ${percent}% of traffic to ${onNew}`,
            next:
                `Each cloud's traffic is as far as its update got (\`pulumi stack history --stack ${stack.cliName}\` shows what changed), so up to ${percent}% of users may reach ${onNew} with no bake watching: ` +
                `rerun the release to go on from ${percent}% (its first pulumi up applies what is recorded, then that step bakes again), or roll back by hand (docs/releases.md, "Rollback by hand")`,
        };
        await up(`${percent}% of traffic to the new version`, atStep);
        reportNewerVersions(candidates, await stack.deployed(), newer, report);
        let result: BakeResult;
        try {
            result = await bake(plan, percent, candidates, deps, healthFailuresInARow);
        } catch (err) {
            const signal = stopSignal(err, deps.interruption);
            if (signal) throw stoppedError(signal, `while ${percent}% of traffic baked`, atStep);
            throw err;
        }
        if (result.kind === "breach") {
            const { reading } = result;
            const rollback = [
                ...clouds.map((c) => ({ key: RELEASE_KEYS[c].weight, value: 0 })),
                ...candidates.map((c) => ({ key: RELEASE_KEYS[c.cloud].rolledBack, value: c.target.version })),
                ...clouds.flatMap((c) => candidatesCleared(c, state(c), "all")),
            ];
            const breach = `rolled back at ${percent}%: ${breachText(reading)}`;
            try {
                await setConfig(rollback, { over: true });
            } catch (err) {
                const commands = rollback.filter((c) => String(c.value) !== NO_CANDIDATE).map((c) => envSetCommand(stack.cliName, c));
                throw new ReleaseError(
                    `${breach}; but the rollback could not be recorded (${(err as Error).message}), so no pulumi up ran: ${percent}% of traffic is still on ${onNew}. ` +
                        `Record it by hand, then run pulumi up --stack ${stack.cliName} (a rerun of the release before that would go on from ${percent}%):\n  ${commands.join("\n  ")}`,
                );
            }
            await up("all traffic back on the stable version", {
                recorded: `${breach[0].toUpperCase()}${breach.slice(1)}; the rollback is recorded (weights 0, ${onNew} rolled back)`,
                next: `Up to ${percent}% of traffic may still be on ${onNew}: run pulumi up --stack ${stack.cliName}, or rerun the release, whose first up applies the rollback`,
            });
            const verdict = reading.verdict as Extract<typeof reading.verdict, { kind: "breach" }>;
            return outcome({
                decision: "rolled-back",
                step: percent,
                cloud: reading.cloud,
                gate: verdict.gate,
                value: verdict.value,
                threshold: verdict.threshold,
                summary: `rolled back at ${percent}%: ${breachText(reading)}; all traffic is on ${candidates.map((c) => `${c.cloud} ${c.stable}`).join(", ")}`,
            });
        }
        if (result.kind === "held") {
            const { reading } = result;
            const unreadable = isUnreadable(reading);
            return outcome({
                decision: "held",
                step: percent,
                cloud: reading.cloud,
                gate: unreadable ? "release.metricsReadable" : "release.minRequests",
                value: unreadable ? null : reading.sample.requests,
                threshold: unreadable ? null : plan.minRequests,
                summary: `held at ${percent}%: after ${plan.maxWaitMinutes} min ${heldBecause(reading, plan.minRequests)}; traffic is left where it is (rerun to go on, or roll back by hand)`,
            });
        }
    }

    await setConfig(candidates.flatMap((c) => [
        { key: RELEASE_KEYS[c.cloud].stable, value: c.target.version },
        ...(c.target.worker ? [{ key: WORKER_STABLE_KEY, value: c.target.worker.version }] : []),
        { key: RELEASE_KEYS[c.cloud].weight, value: 0 },
        ...candidatesCleared(c.cloud, state(c.cloud), "all"),
    ]));
    await up("record the new version as the stable one", {
        recorded: `The release state records ${onNew} as the stable version, with all traffic`,
        next: `Traffic stays where the last step left it until an update applies that: rerun the release, or pulumi up --stack ${stack.cliName}`,
    });
    return outcome({
        decision: "promoted",
        step: plan.steps[plan.steps.length - 1],
        cloud: null,
        gate: null,
        value: null,
        threshold: null,
        summary: `promoted: ${onNew} is now the stable version${leftOut}${newerText(newer)}`,
    });
}

/** The deployed target as the release recorded it: the candidate version (and worker version) its weight goes to. */
function recordedCandidate(newest: DeployedTarget, state: CloudReleaseState): DeployedTarget {
    const worker = newest.worker && { ...newest.worker, version: state.workerCandidate ?? newest.worker.version };
    return { ...newest, version: state.candidate ?? newest.version, ...(worker ? { worker } : {}) };
}

/**
 * The candidate keys a step writes with its weight, where the config does not hold them yet: the program sends the
 * weight to these versions, not to a newer one that an update from another checkout publishes meanwhile.
 */
function candidateRecord(c: Candidate, state: CloudReleaseState): ConfigChange[] {
    const keys = RELEASE_KEYS[c.cloud];
    const changes: ConfigChange[] = [];
    if (state.candidate !== c.target.version) changes.push({ key: keys.candidate, value: c.target.version });
    if (keys.workerCandidate && c.target.worker && state.workerCandidate !== c.target.worker.version) changes.push({ key: keys.workerCandidate, value: c.target.worker.version });
    state.candidate = c.target.version;
    if (c.target.worker) state.workerCandidate = c.target.worker.version;
    return changes;
}

/** When a release ends, a cloud's candidate keys say "none": all of them, or only those the config holds. */
function candidatesCleared(cloud: Cloud, state: CloudReleaseState, which: "all" | "recorded"): ConfigChange[] {
    const keys = RELEASE_KEYS[cloud];
    const changes: ConfigChange[] = [];
    if (which === "all" || state.candidate !== undefined) changes.push({ key: keys.candidate, value: NO_CANDIDATE });
    if (keys.workerCandidate && (which === "all" || state.workerCandidate !== undefined)) changes.push({ key: keys.workerCandidate, value: NO_CANDIDATE });
    return changes;
}

/** Says once per version when the stack runs a newer version than a candidate: it gets no traffic, and the next release judges it. */
function reportNewerVersions(candidates: Candidate[], deployed: Partial<Record<Cloud, DeployedTarget>>, newer: Map<string, string>, report: (event: ReleaseEvent) => void) {
    const say = (what: string, newest: string | undefined, candidate: string | undefined) => {
        if (newest === undefined || candidate === undefined || newest === candidate || newer.get(what) === newest) return;
        newer.set(what, newest);
        report({ kind: "notice", text: `${what}: this checkout deployed ${newest}, which is not the candidate ${candidate} this release started with; ${newest} gets no traffic, and the next release judges it` });
    };
    for (const c of candidates) {
        say(c.cloud, deployed[c.cloud]?.version, c.target.version);
        say(`${c.cloud} worker`, deployed[c.cloud]?.worker?.version, c.target.worker?.version);
    }
}

/** The promotion's postscript when this checkout's own versions are still to be released. */
function newerText(newer: Map<string, string>): string {
    if (newer.size === 0) return "";
    const versions = [...newer].map(([cloud, version]) => `${cloud} ${version}`).join(", ");
    return `; the stack also runs ${versions} (this checkout's) with no traffic, which no release has judged: run the release again from this checkout to release it`;
}

/**
 * The `pulumi env set` that records `change` in the stack's release state environment, as docs/releases.md "Rollback by
 * hand" writes it: in the stack's own organization where the release knows it, ready to paste.
 */
function envSetCommand(cliName: string, change: ConfigChange): string {
    const [top, ...path] = change.key.split(".");
    return `pulumi env set ${stackOrganization(cliName) ?? "<org>"}/${releaseStateEnvironment(cliName)} 'pulumiConfig["${top}"].${path.join(".")}' ${JSON.stringify(String(change.value))}`;
}

/** The signal that stopped the release, when `err` is its stop (or came after one). */
function stopSignal(err: unknown, interruption: ReleaseDeps["interruption"]): StopSignal | undefined {
    return err instanceof ReleaseStopped ? err.signal : interruption?.received;
}

function stoppedError(signal: StopSignal, when: string, standing: Standing): ReleaseError {
    return new ReleaseError(`stopped by ${signal} ${when}. ${standing.recorded}. ${standing.next}`, exitCodeFor(signal));
}
