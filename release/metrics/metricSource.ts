import { BakeWindow, DeployedTarget, Sample } from "../types";

/** Reads the new version's own metrics over a bake window, and which of the program's alarms fire. */
export interface MetricSource {
    /** Seconds after the fact the cloud's metrics are complete (ingestionDelay.ts): a window ends that long before now. */
    ingestionDelaySeconds: number;
    /** Seconds at a step's start whose data the source leaves out (Cloud Run: its first sample); unset: none. */
    leadInSeconds?: number;
    read(target: DeployedTarget, window: BakeWindow): Promise<Sample>;
}
