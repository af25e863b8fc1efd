import { keptFor } from "./keptFor";

/**
 * /ready's answer: one probe at a time, its answer kept for `keepMs` (by the monotonic clock, keptFor), so an instance
 * makes at most one storage call per `keepMs` however often it is probed.
 */
export function cachedReadiness(probe: () => Promise<boolean>, keepMs: number): () => Promise<boolean> {
    return keptFor(probe, keepMs);
}
