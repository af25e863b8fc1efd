/** The judgement of a new version's verification (probe/load.ts) against release.verify: pure, like gates.ts. */
import { ProbeReport } from "./probe/probeReport";
import { VerifyThresholds } from "./settings";

export type VerificationVerdict =
    | { kind: "passed" }
    | { kind: "failed"; gate: string; value: number | null; threshold: number | null; text: string };

/** The smoke test first (any route that did not answer as expected), then each load figure against its setting. */
export function judgeVerification(report: ProbeReport, limits: VerifyThresholds): VerificationVerdict {
    const broken = report.smoke.find((s) => !s.ok);
    if (broken) return { kind: "failed", gate: "release.verify.smoke", value: null, threshold: null, text: `smoke test ${broken.route} answered ${broken.detail}` };
    const load = report.load;
    if (!load) return { kind: "failed", gate: "release.verify.smoke", value: null, threshold: null, text: "the load probe did not run" };
    const errorRate = load.requests === 0 ? 0 : (100 * load.errors) / load.requests;
    // The go-live checklist's figures are strict: health and API p95 under, errors under, throughput over. A value
    // at its threshold fails here (the bake's gates, "rolls back when passed", let it through).
    const notUnder = (gate: { key: string; threshold: number }, value: number | undefined, unit: string): VerificationVerdict | undefined => {
        if (value === undefined) return { kind: "failed", gate: gate.key, value: null, threshold: gate.threshold, text: `${gate.key}: no answered request to measure` };
        if (!Number.isFinite(value)) return notAFigure(gate, value);
        const shown = round(value);
        if (value >= gate.threshold) return { kind: "failed", gate: gate.key, value: shown, threshold: gate.threshold, text: `${gate.key} ${shown}${unit} ${shown > gate.threshold ? ">" : "="} ${gate.threshold}${unit}, not under it` };
        return undefined;
    };
    const throughput = limits.minRequestsPerSecond;
    return (
        notUnder(limits.errorRatePercent, errorRate, "%") ??
        (!Number.isFinite(load.requestsPerSecond)
            ? notAFigure(throughput, load.requestsPerSecond)
            : load.requestsPerSecond <= throughput.threshold
            ? {
                  kind: "failed",
                  gate: throughput.key,
                  value: load.requestsPerSecond,
                  threshold: throughput.threshold,
                  text: `${throughput.key} ${load.requestsPerSecond} req/s ${load.requestsPerSecond < throughput.threshold ? "<" : "="} ${throughput.threshold} req/s sustained over ${load.seconds} s, not over it`,
              }
            : undefined) ??
        notUnder(limits.healthP95Ms, load.healthP95Ms, " ms") ??
        notUnder(limits.apiP95Ms, load.apiP95Ms, " ms") ?? { kind: "passed" }
    );
}

/**
 * A figure that is not a finite number fails its gate: every comparison with NaN is false, so `value >= threshold`
 * would let it through (the rate of Infinity requests, a percentile of nothing).
 */
function notAFigure(gate: { key: string; threshold: number }, value: number): VerificationVerdict {
    return { kind: "failed", gate: gate.key, value: null, threshold: gate.threshold, text: `${gate.key}: measured ${value}, not a figure to judge` };
}

function round(value: number): number {
    return Math.round(value * 1000) / 1000;
}
