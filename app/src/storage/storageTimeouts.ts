import { Settings } from "../settings";

/** How long one storage attempt may take and how many attempts a call makes (STORAGE_* settings). */
export interface StorageTimeouts {
    attemptTimeoutMs: number;
    maxAttempts: number;
    /** The longest one request (or one worker key) waits on storage, all calls and retries together. */
    deadlineMs: number;
}

export function storageTimeouts(s: Pick<Settings, "STORAGE_ATTEMPT_TIMEOUT_MS" | "STORAGE_MAX_ATTEMPTS" | "STORAGE_DEADLINE_MS">): StorageTimeouts {
    return { attemptTimeoutMs: s.STORAGE_ATTEMPT_TIMEOUT_MS, maxAttempts: s.STORAGE_MAX_ATTEMPTS, deadlineMs: s.STORAGE_DEADLINE_MS };
}

/**
 * The slowest link to storage a write is given time for: one write attempt has STORAGE_ATTEMPT_TIMEOUT_MS plus
 * the time its body takes at this rate (within the deadline), so the attempt timeout never has to cover
 * sending a large body.
 */
export const SLOWEST_STORAGE_LINK_BYTES_PER_SECOND = 1024 * 1024;

/** How long one attempt at writing `bytes` may take, body sent and answer received. */
export function writeAttemptTimeoutMs(t: StorageTimeouts, bytes: number): number {
    return Math.min(t.deadlineMs, t.attemptTimeoutMs + Math.ceil((bytes * 1000) / SLOWEST_STORAGE_LINK_BYTES_PER_SECOND));
}
