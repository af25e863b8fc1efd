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
 * The longest one read of both clouds may take (their reads run at once): CloudWatch's calls at once, each at most
 * AWS_READ_ATTEMPTS (2 attempts of 15 s, and the SDK's backoff between them); Cloud Monitoring's queries at once,
 * each page at most TIME_SERIES_PAGE_TIMEOUT_MS (30 s) and the last wait between its attempts (3 s,
 * monitoringReadRetry.ts). A read of more than one page takes longer; the release's reads fit in one (one period per
 * query). deployments/releaseWindow.ts counts it.
 */
export const METRIC_READ_WORST_SECONDS = 45;

/**
 * The cloud did not answer a metric read with the data: it refused the release's credentials or permission, the API
 * is off, a quota ran out, the call timed out, or the answer was incomplete. Says nothing of the version: the bake
 * reads the whole step again at its next poll, and a release that cannot read a cloud's metrics moves no traffic
 * and passes no step.
 */
export class MetricsUnreadable extends Error {
    /**
     * What the read did get beside the part it could not (the alarms CloudWatch holds when one is missing; the metric
     * data when DescribeAlarms failed; the queries Cloud Monitoring answered): a breach in it rolls back at once, as
     * the poll judges it (bake.ts); nothing else in it counts, and the poll is still unreadable.
     */
    readonly readSoFar?: Sample;
    /**
     * What mends it, where the cause is one the message names with its own remedy (an alarm deleted by hand): the stop
     * ends with it, where it otherwise says to mend what the answer says (access, the API, a quota).
     */
    readonly remedy?: string;
    constructor(message: string, options?: { cause?: unknown; readSoFar?: Sample; remedy?: string }) {
        super(message, options);
        this.name = "MetricsUnreadable";
        if (options?.readSoFar) this.readSoFar = options.readSoFar;
        if (options?.remedy) this.remedy = options.remedy;
    }
}
