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
    const over = (gate: { key: string; threshold: number }, value: number | undefined, unit: string): VerificationVerdict | undefined => {
        if (value === undefined) return { kind: "failed", gate: gate.key, value: null, threshold: gate.threshold, text: `${gate.key}: no answered request to measure` };
        if (value > gate.threshold) return { kind: "failed", gate: gate.key, value: round(value), threshold: gate.threshold, text: `${gate.key} ${round(value)}${unit} > ${gate.threshold}${unit}` };
        return undefined;
    };
    return (
        over(limits.errorRatePercent, errorRate, "%") ??
        (load.requestsPerSecond < limits.minRequestsPerSecond.threshold
            ? {
                  kind: "failed",
                  gate: limits.minRequestsPerSecond.key,
                  value: load.requestsPerSecond,
                  threshold: limits.minRequestsPerSecond.threshold,
                  text: `${limits.minRequestsPerSecond.key} ${load.requestsPerSecond} req/s < ${limits.minRequestsPerSecond.threshold} req/s sustained over ${load.seconds} s`,
              }
            : undefined) ??
        over(limits.healthP95Ms, load.healthP95Ms, " ms") ??
        over(limits.apiP95Ms, load.apiP95Ms, " ms") ?? { kind: "passed" }
    );
}

function round(value: number): number {
    return Math.round(value * 1000) / 1000;
}
