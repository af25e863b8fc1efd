import { StackSettings } from "../../config";

export type TrafficNote = StackSettings["cost"]["assumedTraffic"];

/** The traffic assumption in one line, so a reader can tell what the figures rest on. */
export function trafficNote(t: TrafficNote): string {
    return [
        `${t.requestsPerMonth.toLocaleString("en-US")} requests/month per cloud of ${t.avgDurationMs} ms`,
        `${t.pipelineRunsPerMonth.toLocaleString("en-US")} pipeline runs of ${t.workerDurationMs} ms per key`,
        `${t.logKiBPerRequest} KiB of logs per request or key`,
        `${t.storedGiB} GiB stored per cloud`,
    ].join(", ") + " (cost.assumedTraffic)";
}
