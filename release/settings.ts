/**
 * The release's view of a stack's settings: validated by the program's own schema (so a bad release setting is
 * a SettingsError like any other), reduced to what a release needs per enabled cloud.
 */
import { RawStackConfig, StackSettings, parseStackSettings } from "../config";
import { Cloud } from "./types";

/** One gate: the setting it comes from and its threshold; a value strictly above it is a breach. */
export interface Gate {
    key: string;
    threshold: number;
}

export interface CloudGates {
    errorRatePercent: Gate;
    p95Ms: Gate;
}

export interface CloudReleaseState {
    gates: CloudGates;
    /** The known-good version / revision the stack config records, if any. */
    stable?: string;
    /** The canary weight the stack config records now. */
    weight: number;
    /** The version a previous release rolled back, if the config records one. */
    rolledBack?: string;
}

export interface ReleasePlan {
    stack: string;
    steps: number[];
    bakeMinutes: number;
    minRequests: number;
    maxWaitMinutes: number;
    /** Enabled clouds only. */
    clouds: Partial<Record<Cloud, CloudReleaseState>>;
    awsRegion: string;
    gcpProject?: string;
}

/** Validates the stack's raw config (throws SettingsError) and derives the plan; `steps` overrides release.steps. */
export function releasePlanFromConfig(raw: RawStackConfig, stack: string, steps?: number[]): ReleasePlan {
    return releasePlan(parseStackSettings(raw, stack), steps);
}

export function releasePlan(settings: StackSettings, steps?: number[]): ReleasePlan {
    const { aws, gcp, release } = settings;
    const clouds: ReleasePlan["clouds"] = {};
    if (aws.enabled) {
        clouds.aws = {
            gates: {
                errorRatePercent: { key: "aws.alarms.errorRatePercent", threshold: aws.alarms.errorRatePercent },
                p95Ms: { key: "aws.alarms.p95DurationMs", threshold: aws.alarms.p95DurationMs },
            },
            stable: aws.canary?.stableVersion,
            weight: aws.canary?.weightPercent ?? 0,
            rolledBack: release.rolledBack?.awsVersion,
        };
    }
    if (gcp.enabled) {
        clouds.gcp = {
            gates: {
                errorRatePercent: { key: "gcp.alerts.errorRatePercent", threshold: gcp.alerts.errorRatePercent },
                p95Ms: { key: "gcp.alerts.p95LatencyMs", threshold: gcp.alerts.p95LatencyMs },
            },
            stable: gcp.canary?.stableRevision,
            weight: gcp.canary?.percent ?? 0,
            rolledBack: release.rolledBack?.gcpRevision,
        };
    }
    return {
        stack: settings.stack,
        steps: steps ?? release.steps,
        bakeMinutes: release.bakeMinutes,
        minRequests: release.minRequests,
        maxWaitMinutes: release.maxWaitMinutes,
        clouds,
        awsRegion: settings.providers["aws:region"],
        gcpProject: settings.providers["gcp:project"],
    };
}

export function enabledClouds(plan: ReleasePlan): Cloud[] {
    return (Object.keys(plan.clouds) as Cloud[]).sort();
}
