import { BakeWindow, DeployedTarget, Sample } from "../types";

/** Reads the new version's own metrics over a bake window, and which of the program's alarms fire. */
export interface MetricSource {
    /** Seconds after the fact the cloud's metrics are complete (ingestionDelay.ts): a window ends that long before now. */
    ingestionDelaySeconds: number;
    /** Seconds at a step's start whose data the source leaves out (Cloud Run: its first sample); unset: none. */
    leadInSeconds?: number;
    /** Rejects with MetricsUnreadable when the cloud refuses the read or cannot finish it. */
    read(target: DeployedTarget, window: BakeWindow): Promise<Sample>;
}

/**
 * The cloud did not answer a metric read with the data: it refused the release's credentials or permission, the API
 * is off, a quota ran out, the call timed out, or the answer was incomplete. Says nothing of the version: the bake
 * reads the whole step again at its next poll, and a release that cannot read a cloud's metrics moves no traffic
 * and passes no step.
 */
export class MetricsUnreadable extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "MetricsUnreadable";
    }
}
