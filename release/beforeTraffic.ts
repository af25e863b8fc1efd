/** The checks before a release moves traffic: every cloud's metrics readable, and each new version alone verified. */
import { Candidate, refusalStops, unlessRefused } from "./candidate";
import { readOrUnreadable } from "./bake";
import { MetricSource, MetricsUnreadable } from "./metrics/metricSource";
import { CandidateProbe } from "./probe/probeReport";
import { ProbeRefused } from "./probe/transport";
import type { ReleaseDeps } from "./release";
import { ReleaseError } from "./releaseError";
import { ReleasePlan } from "./settings";
import { VerificationVerdict, judgeVerification } from "./verification";

/** How far back the check before traffic reads: long enough for one whole minute of every source's data. */
const READABLE_CHECK_SECONDS = 180;

/**
 * One read of every candidate's metrics over the last minutes, before its traffic moves (or moves on, when resumed):
 * the same calls a bake makes, so that a cloud refusing them (permission, the API off, the credentials) stops the
 * release here, not once a step has sent users to a version nothing can judge. The figures are not judged; with
 * `alarms`, the alarms are: the program's alarms watch the whole alias, the worker and the pipeline, so one already
 * in ALARM before any traffic moves is about what runs now, and the first poll would blame the new version for it
 * and bar it for good.
 */
export async function checkMetricsBeforeTraffic(candidates: Candidate[], deps: ReleaseDeps, traffic: string, judge: { alarms: boolean }) {
    const now = deps.clock.now();
    const reads = await Promise.all(
        candidates.map(async (c) => {
            const source = deps.metrics[c.cloud] as MetricSource;
            const end = now - source.ingestionDelaySeconds * 1000;
            const start = end - ((source.leadInSeconds ?? 0) + READABLE_CHECK_SECONDS) * 1000;
            return { candidate: c, ...(await readOrUnreadable(source, c.target, { step: 0, start: new Date(start), end: new Date(end) })) };
        }),
    );
    const refusals = reads.filter((r) => r.unreadable);
    if (refusals.length === 1) throw refusalStops(refusals[0].candidate, refusals[0].unreadable as MetricsUnreadable, traffic);
    if (refusals.length > 1) {
        const both = refusals.map((r) => `${r.candidate.cloud}: ${(r.unreadable as MetricsUnreadable).message}`).join("; ");
        throw new ReleaseError(`${both}. ${traffic}; nothing is recorded as rolled back: mend what the answers say (the release's access, the APIs, a quota), then run the release again`);
    }
    const firing = judge.alarms ? reads.find((r) => r.sample.firingAlarms.length > 0) : undefined;
    if (firing) {
        const { cloud, target } = firing.candidate;
        throw new ReleaseError(
            `${cloud}: ${firing.sample.firingAlarms.join(", ")} in ALARM before any traffic moved to ${target.version}: what runs now is unhealthy, and a release would blame the new version for it. ${traffic}; mend what the alarm says, or wait until it is OK, then run the release again`,
        );
    }
}

/** Each candidate alone, both clouds at once; the first failed check (by cloud order) decides, then a refused probe. */
export async function verifyAll(plan: ReleasePlan, candidates: Candidate[], deps: ReleaseDeps) {
    const load = { requestsPerSecond: plan.verify.minRequestsPerSecond.threshold, seconds: plan.verify.seconds };
    const results = await Promise.all(
        candidates.map(async (c) => {
            const { value: report, refused } = await unlessRefused((deps.probes[c.cloud] as CandidateProbe).verify(c.target, load));
            if (!report) return { candidate: c, refused };
            const verdict = judgeVerification(report, plan.verify);
            deps.report({ kind: "verify", cloud: c.cloud, version: c.target.version, report, verdict });
            return { candidate: c, verdict };
        }),
    );
    const failed = results.find((r) => r.verdict?.kind === "failed");
    if (failed) return { cloud: failed.candidate.cloud, version: failed.candidate.target.version, verdict: failed.verdict as Extract<VerificationVerdict, { kind: "failed" }> };
    const refusal = results.find((r) => r.refused);
    if (refusal) throw refusalStops(refusal.candidate, refusal.refused as ProbeRefused, "No traffic moved");
    return undefined;
}
