/**
 * One read made of parts read at once: CloudWatch's metric data and its alarms, Cloud Monitoring's queries. A part
 * unread used to make the whole read unreadable, so a breach or an alarm in ALARM in the parts that were read went
 * unseen until the unreadable polls stopped the release, traffic left on a version known to breach.
 */
import { Sample } from "../types";
import { MetricsUnreadable } from "./metricSource";

/** Each part's figures: what it measures and nothing else. */
export type SamplePart = Partial<Sample>;

/**
 * The parts as one sample when each was read. Else the first unread part's MetricsUnreadable (in the parts' order: one
 * refusal of the release's access is usually every part's, and one message says it), with the parts that were read
 * (and what an unread part did read: its own readSoFar) as its readSoFar. A part that failed other than
 * MetricsUnreadable is the release's own fault: it is thrown as it came.
 */
export function wholeOrReadSoFar(parts: readonly PromiseSettledResult<SamplePart>[]): Sample {
    const failed = parts.flatMap((p) => (p.status === "rejected" ? [p.reason as unknown] : []));
    const fault = failed.find((reason) => !(reason instanceof MetricsUnreadable));
    if (fault !== undefined) throw fault;
    const read = parts.map((p) => (p.status === "fulfilled" ? p.value : ((p.reason as MetricsUnreadable).readSoFar ?? {})));
    const sample = joined(read);
    if (!failed.length) return sample;
    const first = failed[0] as MetricsUnreadable;
    throw new MetricsUnreadable(first.message, { cause: first.cause, readSoFar: sample, remedy: first.remedy });
}

/** Each part measures its own figures, so none is counted twice; a part that has no p95 leaves the others' one. */
function joined(parts: readonly SamplePart[]): Sample {
    const utilization = parts.flatMap((p) => p.utilization ?? []);
    return {
        requests: parts.reduce((total, p) => total + (p.requests ?? 0), 0),
        errors: parts.reduce((total, p) => total + (p.errors ?? 0), 0),
        p95Ms: parts.find((p) => p.p95Ms !== undefined)?.p95Ms,
        firingAlarms: parts.flatMap((p) => p.firingAlarms ?? []),
        ...(utilization.length ? { utilization } : {}),
    };
}
