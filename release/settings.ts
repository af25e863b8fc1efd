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
    /** Failed health checks of the new version in a row; reaching it is a breach. */
    healthFailures: Gate;
    /** Peak resource use in percent (Lambda concurrency of the reservation, Cloud Run CPU and memory). */
    utilizationPercent: Gate;
}

/** The checks of the new version alone before any traffic moves, each a setting under release.verify. */
export interface VerifyThresholds {
    healthP95Ms: Gate;
    apiP95Ms: Gate;
    /** The go-live checklist's "over 50 RPS": a probe must sustain more; at or below it fails. */
    minRequestsPerSecond: Gate;
    errorRatePercent: Gate;
    seconds: number;
}

export interface CloudReleaseState {
    gates: CloudGates;
    /** The known-good version / revision the stack config records, if any. */
    stable?: string;
    /** The canary weight the stack config records now. */
    weight: number;
    /** The version the weight goes to, recorded by a release that has not ended (aws.canary.candidateVersion, gcp.canary.candidateRevision). */
    candidate?: string;
    /** The version a previous release rolled back, if the config records one. */
    rolledBack?: string;
    /** AWS: the worker's stable version (release.workerStableVersion). */
    workerStable?: string;
    /** AWS: the worker's version its share of the weight goes to (release.workerCandidateVersion). */
    workerCandidate?: string;
    /** AWS: the API function's reserved concurrency, the ceiling its concurrency is judged against. */
    reservedConcurrency?: number;
    /** AWS: who the alarms e-mail (aws.alarms.email); a release checks someone has confirmed a subscription. */
    alarmEmail?: string;
    /** GCP: who the alert policies e-mail (gcp.alerts.email). */
    alertEmail?: string;
    /** AWS: the functions' timeout (aws.timeoutSeconds): how late an invocation's metrics may arrive. */
    timeoutSeconds?: number;
}

export interface ReleasePlan {
    stack: string;
    steps: number[];
    bakeMinutes: number;
    minRequests: number;
    maxWaitMinutes: number;
    /**
     * How long one `pulumi up` may wait for its image, at most twice: for the push, then for the registry's scan
     * (image.waitMinutes each, components/image/serviceImage.ts). An image present and scanned is not waited for again.
     */
    imageWaitMinutes: number;
    verify: VerifyThresholds;
    /** Enabled clouds only. */
    clouds: Partial<Record<Cloud, CloudReleaseState>>;
    awsRegion: string;
    gcpProject?: string;
    gcpRegion: string;
}

/** Validates the stack's raw config (throws SettingsError) and derives the plan; `steps` overrides release.steps. */
export function releasePlanFromConfig(raw: RawStackConfig, stack: string, steps?: number[]): ReleasePlan {
    return releasePlan(parseStackSettings(raw, stack), steps);
}

export function releasePlan(settings: StackSettings, steps?: number[]): ReleasePlan {
    const { aws, gcp, release } = settings;
    const clouds: ReleasePlan["clouds"] = {};
    const shared = {
        healthFailures: { key: "release.healthFailures", threshold: release.healthFailures },
        utilizationPercent: { key: "release.maxUtilizationPercent", threshold: release.maxUtilizationPercent },
    };
    if (aws.enabled) {
        clouds.aws = {
            gates: {
                errorRatePercent: { key: "aws.alarms.errorRatePercent", threshold: aws.alarms.errorRatePercent },
                p95Ms: { key: "aws.alarms.p95DurationMs", threshold: aws.alarms.p95DurationMs },
                ...shared,
            },
            stable: aws.canary?.stableVersion,
            weight: aws.canary?.weightPercent ?? 0,
            candidate: aws.canary?.candidateVersion,
            rolledBack: release.rolledBack?.awsVersion,
            workerStable: release.workerStableVersion,
            workerCandidate: release.workerCandidateVersion,
            reservedConcurrency: aws.reservedConcurrency,
            alarmEmail: aws.alarms.email,
            timeoutSeconds: aws.timeoutSeconds,
        };
    }
    if (gcp.enabled) {
        clouds.gcp = {
            gates: {
                errorRatePercent: { key: "gcp.alerts.errorRatePercent", threshold: gcp.alerts.errorRatePercent },
                p95Ms: { key: "gcp.alerts.p95LatencyMs", threshold: gcp.alerts.p95LatencyMs },
                ...shared,
            },
            stable: gcp.canary?.stableRevision,
            weight: gcp.canary?.percent ?? 0,
            candidate: gcp.canary?.candidateRevision,
            rolledBack: release.rolledBack?.gcpRevision,
            alertEmail: gcp.alerts.email,
        };
    }
    return {
        stack: settings.stack,
        steps: steps ?? release.steps,
        bakeMinutes: release.bakeMinutes,
        minRequests: release.minRequests,
        maxWaitMinutes: release.maxWaitMinutes,
        imageWaitMinutes: 2 * settings.image.waitMinutes,
        verify: {
            healthP95Ms: { key: "release.verify.healthP95Ms", threshold: release.verify.healthP95Ms },
            apiP95Ms: { key: "release.verify.apiP95Ms", threshold: release.verify.apiP95Ms },
            minRequestsPerSecond: { key: "release.verify.minRequestsPerSecond", threshold: release.verify.minRequestsPerSecond },
            errorRatePercent: { key: "release.verify.errorRatePercent", threshold: release.verify.errorRatePercent },
            seconds: release.verify.seconds,
        },
        clouds,
        awsRegion: settings.providers["aws:region"],
        gcpProject: settings.providers["gcp:project"],
        gcpRegion: settings.providers["gcp:region"],
    };
}

export function enabledClouds(plan: ReleasePlan): Cloud[] {
    return (Object.keys(plan.clouds) as Cloud[]).sort();
}
