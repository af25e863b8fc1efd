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
