/** The judgement of one cloud's bake window against its gates: the decision logic, free of any cloud or clock. */
import { CloudGates } from "./settings";
import { Sample } from "./types";

export type Verdict =
    | { kind: "healthy"; errorRatePercent: number; p95Ms: number }
    /** `metric`: which resource, for a utilization breach. */
    | { kind: "breach"; gate: string; value: number | null; threshold: number | null; metric?: string }
    /** Too little to judge on: never a pass, never a failure. */
    | {
          kind: "no-evidence";
          requests: number;
          minRequests: number;
          reason: string;
          /** The read failed (MetricsUnreadable): no data, not too little. */
          unreadable?: true;
          /** Enough requests, but no p95 among them: the latency gate had nothing to judge. */
          latencyMissing?: true;
      };

/** The new version's error rate in percent; 0 with no requests. */
export function errorRatePercent(sample: Sample): number {
    return sample.requests === 0 ? 0 : (100 * sample.errors) / sample.requests;
}

/**
 * Alarms firing, `healthFailures` failed health checks in a row and resource use strictly over its threshold are a
 * breach whatever the traffic. Rates are judged only on at least `minRequests` requests; a value strictly over its
 * threshold is a breach, a value at the threshold is not.
 */
export function judge(sample: Sample, gates: CloudGates, minRequests: number, failedHealthInARow = 0): Verdict {
    const alarm = sample.firingAlarms[0];
    if (alarm !== undefined) return { kind: "breach", gate: `alarm:${alarm}`, value: null, threshold: null };
    if (failedHealthInARow >= gates.healthFailures.threshold) {
        return { kind: "breach", gate: gates.healthFailures.key, value: failedHealthInARow, threshold: gates.healthFailures.threshold };
    }
    const busiest = [...(sample.utilization ?? [])].sort((a, b) => b.percent - a.percent)[0];
    if (busiest && busiest.percent > gates.utilizationPercent.threshold) {
        return { kind: "breach", gate: gates.utilizationPercent.key, value: round(busiest.percent), threshold: gates.utilizationPercent.threshold, metric: busiest.metric };
    }
    if (sample.requests < minRequests) {
        return { kind: "no-evidence", requests: sample.requests, minRequests, reason: `${sample.requests} of the ${minRequests} requests needed` };
    }
    const rate = errorRatePercent(sample);
    if (rate > gates.errorRatePercent.threshold) {
        return { kind: "breach", gate: gates.errorRatePercent.key, value: round(rate), threshold: gates.errorRatePercent.threshold };
    }
    if (sample.p95Ms === undefined) {
        return { kind: "no-evidence", requests: sample.requests, minRequests, reason: "no latency data yet", latencyMissing: true };
    }
    if (sample.p95Ms > gates.p95Ms.threshold) {
        return { kind: "breach", gate: gates.p95Ms.key, value: round(sample.p95Ms), threshold: gates.p95Ms.threshold };
    }
    return { kind: "healthy", errorRatePercent: rate, p95Ms: sample.p95Ms };
}

/** Reported values: 3 decimals are plenty for percents and milliseconds (the comparison uses the exact value). */
function round(value: number): number {
    return Math.round(value * 1000) / 1000;
}
