/** The vocabulary every part of the release shares. */

export type Cloud = "aws" | "gcp";
export const CLOUDS: readonly Cloud[] = ["aws", "gcp"];

/** What one cloud's new version did in a bake window: its own requests, failed ones, p95 latency, alarms firing. */
export interface Sample {
    requests: number;
    errors: number;
    /** Undefined when the window holds no latency data. */
    p95Ms?: number;
    /** Names of this program's alarms that are in ALARM state now. */
    firingAlarms: string[];
    /** Resource use in the window, each in percent of what the new version may use (absent: not measured). */
    utilization?: Utilization[];
}

/** One resource's peak use: Lambda concurrency against its reservation, Cloud Run CPU or memory utilization. */
export interface Utilization {
    /** The documented metric it comes from, e.g. `run.googleapis.com/container/cpu/utilizations p99`. */
    metric: string;
    percent: number;
}

/** The stretch of time a step is judged on: from the end of its `pulumi up` until now. */
export interface BakeWindow {
    /** The step's percent of traffic on the new version. */
    step: number;
    start: Date;
    end: Date;
    /** The release's own health checks of the new version in the step, which a cloud may count as its traffic. */
    ownRequests?: readonly OwnRequest[];
}

/**
 * One request the release sent the new version itself: when, the status it got (none: no answer), and whether the
 * platform's front gave that answer (HealthResult.fromFront).
 */
export interface OwnRequest {
    at: Date;
    status?: number;
    fromFront?: boolean;
}

/** What one cloud runs, from the stack outputs: the version and where to read its metrics. */
export interface DeployedTarget {
    cloud: Cloud;
    /** AWS: the API function's newest published version. GCP: the latest ready revision's name. */
    version: string;
    /** AWS: the API function's name. GCP: the Cloud Run service's name. */
    service: string;
    /** The alarms whose state counts as a gate (AWS: the API's, the worker's and the state machine's alarm names). */
    alarms: string[];
    /** AWS: the stack output each of `alarms` came from (aws.apiAlarmNames or aws.pipelineAlarmNames), for messages. */
    alarmOutputs?: Record<string, string>;
    /** Where the new version alone is reached: AWS, its version qualifier; GCP, the tagged revision's URL. */
    candidateUrl?: string;
    /** GCP: the service's own run.app URL, the audience of the ID tokens that reach any of its revisions. */
    serviceUrl?: string;
    /** AWS: the pipeline worker, whose alias follows the API's canary. */
    worker?: { service: string; version: string };
    /** AWS: the SNS topic every alarm notifies (absent in the outputs of an older program). */
    alarmTopicArn?: string;
    /** GCP: the alert e-mail's notification channel (absent without an e-mail, or in the outputs of an older program). */
    alertChannel?: string;
    /** Where it runs, from its ARNs and resource names: AWS its region and account, GCP its project and region. */
    location?: { region: string; project?: string; account?: string };
}

/** One `pulumi config set --path <key> <value>`. */
export interface ConfigChange {
    key: string;
    value: string | number;
}

export type Decision = "promoted" | "rolled-back" | "held";

/** How a release ended; `--json` prints it as its final line (machineOutcome). */
export interface ReleaseOutcome {
    decision: Decision;
    /** The step (percent) it ended at; null when no step ran. */
    step: number | null;
    cloud: Cloud | null;
    /** The setting (or alarm) that decided: `gcp.alerts.p95LatencyMs`, `alarm:<name>`, `release.minRequests`. */
    gate: string | null;
    value: number | null;
    threshold: number | null;
    /** Every config change this run made (or, simulated, would make), in order. */
    configChanges: ConfigChange[];
    /** One sentence for a person. */
    summary: string;
}

export const EXIT_CODES: Record<Decision, number> = { promoted: 0, "rolled-back": 3, held: 4 };
