/**
 * /ready's answer: one probe at a time, its answer kept for `keepMs`, so an instance makes at most one storage call per
 * `keepMs` however often it is probed. Kept by the monotonic clock (performance.now): a wall-clock step back (an NTP
 * correction) would otherwise keep a stale answer until the wall clock caught up, and a step forward would probe early.
 */
export function cachedReadiness(probe: () => Promise<boolean>, keepMs: number): () => Promise<boolean> {
    let last = { at: -Infinity, ok: false };
    let probing: Promise<boolean> | undefined;
    return async () => {
        if (performance.now() - last.at > keepMs) {
            probing ??= probe().then((ok) => {
                last = { at: performance.now(), ok };
                probing = undefined;
                return ok;
            });
            await probing;
        }
        return last.ok;
    };
}
