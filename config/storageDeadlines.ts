/**
 * The service's storage deadline must end before the request does: a storage call that outlives the Lambda timeout
 * dies with the invocation (the Function URL answers 502), one that outlives Cloud Run's request timeout is cut off
 * (504), where the service would have answered a clean 503 with Retry-After. Unset deadlines follow the timeouts.
 */
import { CLOUD_RUN_DRAIN_MS } from "./cloudLimits";
import type { CrossFieldIssue } from "./errors";
import { RequestLimit, requestLimits } from "./requestLimits";

type Loose = Record<string, any>;

export const DEFAULT_DEADLINE_MS = 6000;
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 2000;

/** Time the service keeps after the storage deadline to answer: a second, or a fifth of a shorter timeout. */
export function answerMarginMs(limitMs: number): number {
    return Math.min(1000, Math.floor(limitMs / 5));
}

const latestDeadline = (limits: RequestLimit[]) => Math.min(Infinity, ...limits.map((l) => l.ms - answerMarginMs(l.ms)));

/** The deadlines the service gets: as set, or the defaults shortened to fit the shortest request timeout. */
export function effectiveStorageDeadlines(storage: Loose, aws: Loose, gcp: Loose): { attemptTimeoutMs: number; maxAttempts: number; deadlineMs: number } {
    const deadlineMs = storage.deadlineMs ?? Math.min(DEFAULT_DEADLINE_MS, latestDeadline(requestLimits(aws, gcp)));
    const attemptTimeoutMs = storage.attemptTimeoutMs ?? Math.min(DEFAULT_ATTEMPT_TIMEOUT_MS, deadlineMs);
    return { attemptTimeoutMs, maxAttempts: storage.maxAttempts ?? 3, deadlineMs };
}

/** Problems with deadlines a stack sets itself (derived ones always fit). */
export function storageDeadlineIssues(storage: Loose, aws: Loose, gcp: Loose): CrossFieldIssue[] {
    const issues: CrossFieldIssue[] = [];
    const deadline = typeof storage.deadlineMs === "number" ? storage.deadlineMs : undefined;
    const attempt = typeof storage.attemptTimeoutMs === "number" ? storage.attemptTimeoutMs : undefined;
    if (deadline !== undefined) {
        for (const limit of requestLimits(aws, gcp)) {
            const margin = answerMarginMs(limit.ms);
            if (deadline > limit.ms - margin) {
                issues.push({ path: ["service", "storage", "deadlineMs"], message: `must end at least ${margin} ms before ${limit.key} (${limit.ms / 1000} s), so a slow store is answered 503 rather than cut off` });
            }
        }
    }
    if (deadline !== undefined && gcp.enabled !== false && deadline >= CLOUD_RUN_DRAIN_MS) {
        issues.push({
            path: ["service", "storage", "deadlineMs"],
            message: `must be under ${CLOUD_RUN_DRAIN_MS} ms while GCP is enabled: Cloud Run's server drains for ${CLOUD_RUN_DRAIN_MS / 1000} s after SIGTERM, and a storage call must end within the drain (the service refuses to start otherwise)`,
        });
    }
    const effective = effectiveStorageDeadlines(storage, aws, gcp);
    if (attempt !== undefined && attempt > effective.deadlineMs) {
        const where = deadline !== undefined ? "service.storage.deadlineMs" : "the storage deadline that fits the request timeouts";
        issues.push({ path: ["service", "storage", "attemptTimeoutMs"], message: `must fit in ${where} (${effective.deadlineMs} ms): one attempt has to end before the deadline` });
    }
    return issues;
}
