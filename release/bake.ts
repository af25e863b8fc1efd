/** One step's bake: its health checks and metrics polled and judged until the step passes, breaches or is held. */
import { Candidate, refusalStops, unlessRefused } from "./candidate";
import { CloudReading } from "./events";
import { judge } from "./gates";
import { MetricSource, MetricsUnreadable } from "./metrics/metricSource";
import { CandidateProbe } from "./probe/probeReport";
import { ProbeRefused } from "./probe/transport";
import type { ReleaseDeps } from "./release";
import { CloudReleaseState, ReleasePlan } from "./settings";
import { BakeWindow, Cloud, DeployedTarget, OwnRequest, Sample } from "./types";

export type BakeResult = { kind: "passed" } | { kind: "breach"; reading: CloudReading } | { kind: "held"; reading: CloudReading };

/**
 * Polls in a row whose metric read failed, at a step's end, before the release stops: the next poll reads the whole
 * step again, so a read that fails now and then (a timeout, a quota's minute) costs a poll, not the release.
 */
export const UNREADABLE_POLLS_TO_STOP = 3;

/**
 * Each poll: one health check of every candidate alone, and its metrics from the step's start to where its cloud's
 * data is complete (now less the ingestion delay). A breach ends the bake at once; the step passes once every
 * cloud's complete data covers release.bakeMinutes and is healthy. `failedInARow` is the release's count of failed
 * health checks in a row per cloud, carried from step to step: the new version's own health does not change with the
 * traffic it gets, so two failures at one step's end and one at the next one's start are three in a row.
 */
export async function bake(plan: ReleasePlan, percent: number, candidates: Candidate[], deps: ReleaseDeps, failedInARow: Map<Cloud, number>): Promise<BakeResult> {
    const { clock } = deps;
    const source = (c: Candidate) => deps.metrics[c.cloud] as MetricSource;
    const start = clock.now();
    // A step's data is judged once it covers bakeMinutes: after each cloud's ingestion delay and the start it leaves out,
    // counted from the whole second after the start, as the reads count it (cloudMonitoring.ts readInterval: the
    // step's first whole second to the last whole second of the data), or a start at 17:00:00.5 would judge 9 minutes of 10.
    const lag = Math.max(...candidates.map((c) => (source(c).ingestionDelaySeconds + (source(c).leadInSeconds ?? 0)) * 1000));
    const from = Math.ceil(start / 1000) * 1000;
    const bakeEnd = from + plan.bakeMinutes * 60_000 + lag;
    const giveUp = from + plan.maxWaitMinutes * 60_000 + lag;
    const poll = deps.pollSeconds * 1000;
    const unreadableInARow = new Map<Cloud, { polls: number; last: MetricsUnreadable }>();
    const ownRequests = new Map<Cloud, OwnRequest[]>();
    for (;;) {
        const before = clock.now();
        await clock.sleep(Math.max(1, Math.min(poll, (before < bakeEnd ? bakeEnd : giveUp) - before)));
        const now = clock.now();
        const refusals: { candidate: Candidate; refused: ProbeRefused }[] = [];
        const readings: CloudReading[] = await Promise.all(
            candidates.map(async (c) => {
                const sentAt = new Date(clock.now());
                const { value: health, refused } = await unlessRefused((deps.probes[c.cloud] as CandidateProbe).health(c.target));
                if (refused) refusals.push({ candidate: c, refused });
                if (health) ownRequests.set(c.cloud, [...(ownRequests.get(c.cloud) ?? []), { at: sentAt, status: health.status, fromFront: health.fromFront }]);
                // A refused check counts neither way: the failures in a row stay as they were.
                const inARow = !health ? (failedInARow.get(c.cloud) ?? 0) : health.ok ? 0 : (failedInARow.get(c.cloud) ?? 0) + 1;
                failedInARow.set(c.cloud, inARow);
                const dataEnd = now - source(c).ingestionDelaySeconds * 1000;
                const gates = (plan.clouds[c.cloud] as CloudReleaseState).gates;
                const dataFrom = start + (source(c).leadInSeconds ?? 0) * 1000;
                const { sample, unreadable } = dataEnd > dataFrom ? await readOrUnreadable(source(c), c.target, { step: percent, start: new Date(start), end: new Date(dataEnd), ownRequests: ownRequests.get(c.cloud) }) : { sample: NO_DATA };
                const polls = unreadable ? (unreadableInARow.get(c.cloud)?.polls ?? 0) + 1 : 0;
                if (unreadable) unreadableInARow.set(c.cloud, { polls, last: unreadable });
                else unreadableInARow.delete(c.cloud);
                const verdict = judge(sample, gates, plan.minRequests, inARow);
                const waiting = dataEnd <= dataFrom && verdict.kind === "no-evidence";
                const reason = unreadable ? `${UNREADABLE_REASON} (${polls} in a row): ${unreadable.message}` : waiting ? `${c.cloud}'s metrics are complete ${source(c).ingestionDelaySeconds} s after the fact` : undefined;
                return {
                    cloud: c.cloud,
                    sample,
                    gates,
                    health: health && { ...health, inARow },
                    // No data is no evidence, whatever the health check said: only a breach still decides, of the health
                    // checks or of what an unreadable read did read (an alarm in ALARM beside one CloudWatch lacks).
                    verdict: reason && verdict.kind !== "breach" ? { kind: "no-evidence" as const, requests: sample.requests, minRequests: plan.minRequests, reason, ...(unreadable && { unreadable: true as const }) } : verdict,
                };
            }),
        );
        deps.report({ kind: "bake", percent, secondsLeft: Math.max(0, Math.ceil((bakeEnd - now) / 1000)), readings });
        const breach = readings.find((r) => r.verdict.kind === "breach");
        if (breach) return { kind: "breach", reading: breach };
        if (now < bakeEnd && clock.now() < giveUp) continue;
        // The step would end here: a cloud whose health check is still refused has no verdict of its own, so the
        // release stops with why. Until now it polled on, so that the other cloud's metrics, which arrive minutes
        // late, could still show a breach and roll both back.
        const stays = `Traffic stays where this step put it (${percent}% to the new version), and running the release again goes on from this step; or roll back by hand`;
        const refusal = candidates.map((c) => refusals.find((r) => r.candidate === c)).find((r) => r !== undefined);
        if (refusal) throw refusalStops(refusal.candidate, refusal.refused, stays);
        const blind = candidates.find((c) => (unreadableInARow.get(c.cloud)?.polls ?? 0) >= UNREADABLE_POLLS_TO_STOP);
        if (blind) throw refusalStops(blind, (unreadableInARow.get(blind.cloud) as { last: MetricsUnreadable }).last, stays);
        const lacking = readings.find((r) => r.verdict.kind !== "healthy");
        if (!lacking) return { kind: "passed" };
        // After the poll's work, not before it: a poll begun just before giveUp ends the step, not one more poll.
        if (clock.now() >= giveUp) return { kind: "held", reading: lacking };
    }
}

const NO_DATA: Sample = { requests: 0, errors: 0, firingAlarms: [] };

/**
 * Why a step did not pass in time, and the gate that held it with its figure and limit: too little traffic, enough
 * traffic with no latency figure (the p95 gate had nothing to judge), or (fewer than UNREADABLE_POLLS_TO_STOP)
 * unreadable reads at its end.
 */
export function heldBy(reading: CloudReading, minRequests: number): { gate: string; value: number | null; threshold: number | null; because: string } {
    const { verdict } = reading;
    if (verdict.kind === "no-evidence" && verdict.unreadable) return { gate: "release.metricsReadable", value: null, threshold: null, because: `${reading.cloud}'s ${verdict.reason}` };
    if (verdict.kind === "no-evidence" && verdict.latencyMissing) {
        return { gate: reading.gates.p95Ms.key, value: null, threshold: reading.gates.p95Ms.threshold, because: `${reading.cloud} had ${reading.sample.requests} requests but no p95 latency figure for them` };
    }
    return { gate: "release.minRequests", value: reading.sample.requests, threshold: minRequests, because: `${reading.cloud} had ${reading.sample.requests} of the ${minRequests} requests a step needs` };
}

const UNREADABLE_REASON = "metrics unreadable";

/**
 * A metric read, or why the cloud could not answer it whole (MetricsUnreadable) with what it did read (readSoFar, else
 * no data): the poll goes on, judging that only for a breach.
 */
export async function readOrUnreadable(source: MetricSource, target: DeployedTarget, window: BakeWindow): Promise<{ sample: Sample; unreadable?: MetricsUnreadable }> {
    try {
        const sample = await source.read(target, window);
        const figure = notAFigure(sample);
        if (figure) return { sample: NO_DATA, unreadable: new MetricsUnreadable(`the metrics read ${figure}, not a figure to judge`) };
        return { sample };
    } catch (err) {
        if (err instanceof MetricsUnreadable) return { sample: err.readSoFar && !notAFigure(err.readSoFar) ? err.readSoFar : NO_DATA, unreadable: err };
        throw err;
    }
}

/**
 * The first figure of a read that is not a finite number, named, or undefined. The gates compare with `>`, and NaN
 * compares false with everything: a NaN p95 or utilization, or the NaN rate of Infinity requests, would pass every
 * gate and promote. A read that hands one on is not judged: it counts as unreadable, as a failed read does.
 */
function notAFigure(sample: Sample): string | undefined {
    const figures: [string, number | undefined][] = [
        ["requests", sample.requests],
        ["errors", sample.errors],
        ["p95Ms", sample.p95Ms],
        ...(sample.utilization ?? []).map((u): [string, number] => [u.metric, u.percent]),
    ];
    const found = figures.find(([, value]) => value !== undefined && !Number.isFinite(value));
    return found && `${found[0]} as ${found[1]}`;
}

/** A breach as the release's messages and its outcome name it: the cloud, the gate, the figure and its limit. */
export function breachText(reading: CloudReading): string {
    const verdict = reading.verdict;
    if (verdict.kind !== "breach") return "";
    if (verdict.gate.startsWith("alarm:")) return `${reading.cloud} alarm ${verdict.gate.slice(6)} is in ALARM`;
    if (verdict.gate === reading.gates.healthFailures.key) return `${reading.cloud} ${verdict.gate}: ${verdict.value} health checks of the new version failed in a row (last: ${reading.health?.detail ?? "n/a"})`;
    if (verdict.gate === reading.gates.utilizationPercent.key) return `${reading.cloud} ${verdict.gate}: ${verdict.metric} ${verdict.value}% > ${verdict.threshold}%`;
    const unit = verdict.gate === reading.gates.errorRatePercent.key ? "%" : " ms";
    return `${reading.cloud} ${verdict.gate} ${verdict.value}${unit} > ${verdict.threshold}${unit}`;
}
