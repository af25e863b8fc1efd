import { BakeWindow, DeployedTarget, Sample } from "../types";

/** Reads the new version's own metrics over a bake window, and which of the program's alarms fire. */
export interface MetricSource {
    /** Seconds after the fact the cloud's metrics are complete (ingestionDelay.ts): a window ends that long before now. */
    ingestionDelaySeconds: number;
    /** Seconds at a step's start whose data the source leaves out (Cloud Run: its first sample); unset: none. */
    leadInSeconds?: number;
    read(target: DeployedTarget, window: BakeWindow): Promise<Sample>;
}

/** A period covering the whole window, in whole minutes (both clouds' metrics have 60 s resolution). */
export function windowPeriodSeconds(window: BakeWindow): number {
    const seconds = Math.ceil((window.end.getTime() - window.start.getTime()) / 1000);
    return Math.max(60, Math.ceil(seconds / 60) * 60);
}
