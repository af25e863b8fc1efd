import { ECR_IMAGE_REF_PATTERN, cloudRunMemoryPairProblem } from "./cloudLimits";
import type { CrossFieldIssue } from "./errors";
import { limitedRequestsPerWindow } from "./probeLoad";
import { requestLimits, SERVICE_RATE_LIMIT } from "./requestLimits";
import { storageDeadlineIssues } from "./storageDeadlines";
import { awsRegionProblem } from "../components/aws/regions";
import { DEFAULT_REGIONS } from "./defaultRegions";
import { CLOUD_RUN_DEFAULTS, DEFAULT_MAX_UTILIZATION_PERCENT, PROBE_LOAD_DEFAULTS } from "./schema";

/** Settings read loosely: any key may be missing or of the wrong type. */
type Loose = Record<string, any>;

/**
 * Rules that span several keys. They read the settings loosely, so that they still run (and report) when
 * some other key is invalid: every problem is reported in one go.
 */
export function crossFieldIssues(settings: Loose, providers: Loose, isProduction: boolean): CrossFieldIssue[] {
    const issues: CrossFieldIssue[] = [];
    const service = settings.service ?? {};
    const aws = { enabled: true, ...settings.aws };
    const gcp = { enabled: true, ...CLOUD_RUN_DEFAULTS, ...settings.gcp };
    if (isProduction && service.adminFeatures === true) {
        issues.push({ path: ["service", "adminFeatures"], message: "must be false in a production stack" });
    }
    if (isProduction && service.debug === true) {
        issues.push({ path: ["service", "debug"], message: "must be false in a production stack" });
    }
    if (isProduction && aws.enabled === true && aws.functionUrl?.authType === "NONE") {
        issues.push({ path: ["aws", "functionUrl", "authType"], message: "must be AWS_IAM in a production stack (NONE makes the API public)" });
    }
    if (isProduction && gcp.enabled === true && gcp.publicInvoker === true && gcp.allowPublicInvokerInProd !== true) {
        issues.push({ path: ["gcp", "publicInvoker"], message: "must be false in a production stack unless gcp.allowPublicInvokerInProd is true" });
    }
    const buildsFromSource = (aws.enabled === true && aws.image === undefined) || (gcp.enabled === true && gcp.image === undefined);
    if (isProduction && buildsFromSource && settings.image?.promoteFrom === undefined) {
        issues.push({
            path: ["image", "promoteFrom"],
            message: "is required in a production stack: production runs the images another stack ran, promoted by digest (e.g. dev), never a build of its own",
        });
    }
    if (settings.image?.registriesOf !== undefined && settings.image?.promoteFrom !== undefined) {
        issues.push({ path: ["image", "registriesOf"], message: "cannot be set with image.promoteFrom: a stack either runs another stack's registries or gets images promoted into its own" });
    }
    if (isProduction && settings.image?.registriesOf !== undefined) {
        issues.push({ path: ["image", "registriesOf"], message: "must be unset in a production stack: production runs images promoted by digest into registries of its own (image.promoteFrom)" });
    }
    // Prebuilt images too: image.verify is what keeps an unsigned image out of production, wherever it was built.
    if (isProduction && (aws.enabled === true || gcp.enabled === true) && settings.image?.verify === undefined) {
        issues.push({
            path: ["image", "verify"],
            message: "is required in a production stack: production runs only images whose signature and provenance verify (signingKey, workflow)",
        });
    }
    // The runbook's alerts must reach a person in production: an alarm topic or an alert policy with nobody behind it is
    // a dashboard nobody watches.
    if (isProduction && aws.enabled === true && aws.alarms?.email === undefined) {
        issues.push({ path: ["aws", "alarms", "email"], message: "is required in a production stack: the alarms' SNS topic must notify someone (an e-mail subscription)" });
    }
    if (isProduction && gcp.enabled === true && gcp.alerts?.email === undefined) {
        issues.push({ path: ["gcp", "alerts", "email"], message: "is required in a production stack: the alert policies must notify someone (an e-mail notification channel)" });
    }
    if (typeof gcp.minInstances === "number" && typeof gcp.maxInstances === "number" && gcp.minInstances > gcp.maxInstances) {
        issues.push({ path: ["gcp", "minInstances"], message: `must not exceed gcp.maxInstances (${gcp.maxInstances})` });
    }
    const memoryProblem = cloudRunMemoryPairProblem(gcp.cpu, gcp.memory);
    if (memoryProblem) issues.push({ path: ["gcp", "memory"], message: memoryProblem });
    if (gcp.enabled === true && providers["gcp:project"] === undefined) {
        issues.push({ path: ["gcp:project"], message: "is required when gcp.enabled is true: pulumi config set gcp:project <project-id>" });
    }
    const imageRegion = typeof aws.image === "string" ? ECR_IMAGE_REF_PATTERN.exec(aws.image)?.[2] : undefined;
    const awsRegion = providers["aws:region"] ?? DEFAULT_REGIONS.aws;
    const regionProblem = aws.enabled === true && typeof awsRegion === "string" ? awsRegionProblem(awsRegion, "set aws.enabled to false") : undefined;
    if (regionProblem) issues.push({ path: ["aws:region"], message: regionProblem });
    if (aws.enabled === true && imageRegion !== undefined && imageRegion !== awsRegion) {
        issues.push({ path: ["aws", "image"], message: `must be in this stack's aws:region (${awsRegion}): Lambda cannot run an image from ${imageRegion}` });
    }
    const awsWeight = aws.canary?.weightPercent;
    if (typeof awsWeight === "number" && awsWeight > 0 && awsWeight < 100 && aws.canary?.stableVersion === undefined) {
        issues.push({ path: ["aws", "canary", "stableVersion"], message: "is required when canary.weightPercent is between 1 and 99" });
    }
    const gcpPercent = gcp.canary?.percent;
    if (typeof gcpPercent === "number" && gcpPercent > 0 && gcpPercent < 100 && gcp.canary?.stableRevision === undefined) {
        issues.push({ path: ["gcp", "canary", "stableRevision"], message: "is required when canary.percent is between 1 and 99" });
    }
    issues.push(...storageDeadlineIssues(service.storage ?? {}, aws, gcp));
    issues.push(...latencyThresholdIssues(aws, gcp));
    const access = gcp.registryAccess ?? {};
    const registriesOf = settings.image?.registriesOf;
    if (registriesOf !== undefined && [...(access.writers ?? []), ...(access.readers ?? [])].length > 0) {
        issues.push({ path: ["gcp", "registryAccess"], message: `must be empty with image.registriesOf: this stack has no repository of its own (set it in ${registriesOf}'s stack file)` });
    }
    const release = settings.release ?? {};
    if (typeof release.bakeMinutes === "number" && typeof release.maxWaitMinutes === "number" && release.maxWaitMinutes < release.bakeMinutes) {
        issues.push({ path: ["release", "maxWaitMinutes"], message: `must be at least release.bakeMinutes (${release.bakeMinutes})` });
    }
    issues.push(...probeLoadIssues(release.verify ?? {}));
    issues.push(...reservationUseIssues(aws, release));
    return issues;
}

/**
 * A reservation whose one execution is already over release.maxUtilizationPercent of it: the API's concurrency alarm
 * (components/aws/alarms.ts, GreaterThanThreshold on ConcurrentExecutions Maximum, threshold reservation x percent / 100)
 * and the bake's utilization gate (release/gates.ts, the same figure, a breach whatever the traffic) both judge the
 * function's concurrent executions, a whole number that is at least 1 in any minute a request runs (the minute's
 * health check of the `live` alias, the canary's traffic). Under a threshold of 1, every minute with a request pages and
 * every bake rolls back, so no release can pass. A reservation of 0 runs nothing and has no alarm nor gate (it stops
 * the function); unset shares the account's pool, judged by neither.
 */
function reservationUseIssues(aws: Loose, release: Loose): CrossFieldIssue[] {
    const reserved = aws.reservedConcurrency;
    if (aws.enabled !== true || typeof reserved !== "number" || !Number.isInteger(reserved) || reserved < 1) return [];
    const raw = release.maxUtilizationPercent;
    const percent = typeof raw === "number" ? raw : typeof raw === "string" && /^[0-9]+(\.[0-9]+)?$/.test(raw) ? Number(raw) : raw === undefined ? DEFAULT_MAX_UTILIZATION_PERCENT : undefined;
    if (percent === undefined || percent < 0 || percent >= 100 || reserved * percent >= 100) return [];
    const advice =
        percent === 0
            ? "no reservation passes 0 %: raise release.maxUtilizationPercent"
            : `reserve at least ${Math.ceil(100 / percent)}${reserved >= 2 ? `, or raise release.maxUtilizationPercent to ${Math.ceil(10000 / reserved) / 100} or more` : ""}`;
    return [
        {
            path: ["aws", "reservedConcurrency"],
            message:
                `with release.maxUtilizationPercent ${percent}, a single execution is ${Math.round(10000 / reserved) / 100} % of the reservation, over its ${percent} %: ` +
                "the API's concurrency alarm would notify in every minute a request runs (the health check runs one each minute) and every release's bake would roll back; " +
                `${advice} (0 stops the function; unset shares the account's pool)`,
        },
    ];
}

/**
 * The release's load comes from one client, and one instance may serve all of it: past the service's per-client
 * limit, the new version answers 429, the probe counts those as errors, and every release of a healthy version rolls
 * back.
 */
function probeLoadIssues(verify: Loose): CrossFieldIssue[] {
    const minRequestsPerSecond = typeof verify.minRequestsPerSecond === "number" ? verify.minRequestsPerSecond : PROBE_LOAD_DEFAULTS.minRequestsPerSecond;
    const seconds = typeof verify.seconds === "number" ? verify.seconds : PROBE_LOAD_DEFAULTS.seconds;
    const counted = limitedRequestsPerWindow(minRequestsPerSecond, seconds, SERVICE_RATE_LIMIT.windowSeconds);
    if (counted <= SERVICE_RATE_LIMIT.requests) return [];
    return [
        {
            path: ["release", "verify", "minRequestsPerSecond"],
            message:
                `with release.verify.seconds ${seconds}, may send one client ${counted} rate-limited requests within ${SERVICE_RATE_LIMIT.windowSeconds} s, over the service's ` +
                `${SERVICE_RATE_LIMIT.requests}: the new version would answer 429, counted as errors, and every release would roll back; lower it or release.verify.seconds`,
        },
    ];
}

/**
 * A latency threshold the metric cannot pass never fires: Lambda's Duration stops at the function's timeout ("The
 * maximum data point value possible is the function timeout configuration", CloudWatch's Lambda metrics), and Cloud
 * Run answers a request that reaches its timeout with a 504 at that latency. Both conditions fire above the threshold.
 */
function latencyThresholdIssues(aws: Loose, gcp: Loose): CrossFieldIssue[] {
    const issues: CrossFieldIssue[] = [];
    const thresholds = { aws: { ms: aws.alarms?.p95DurationMs, path: ["aws", "alarms", "p95DurationMs"] }, gcp: { ms: gcp.alerts?.p95LatencyMs, path: ["gcp", "alerts", "p95LatencyMs"] } };
    for (const limit of requestLimits(aws, gcp)) {
        const { ms, path } = thresholds[limit.cloud];
        if (typeof ms === "number" && ms >= limit.ms) {
            issues.push({ path, message: `must be below ${limit.key} (${limit.ms} ms): no request's latency passes its timeout, so the alert could never fire` });
        }
    }
    return issues;
}
