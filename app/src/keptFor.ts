/**
 * `read`'s value, kept for `keepMs` by the monotonic clock (performance.now: a wall-clock step back, an NTP correction,
 * would otherwise keep a value past its time, and a step forward read early), one read at a time. A failed read is
 * not kept: the next call reads again, and a value past its time is never answered meanwhile.
 */
export function keptFor<T>(read: () => Promise<T>, keepMs: number): () => Promise<T> {
    let kept: { value: T; at: number } | undefined;
    let reading: Promise<T> | undefined;
    return async () => {
        if (kept && performance.now() - kept.at < keepMs) return kept.value;
        reading ??= read()
            .then((value) => {
                kept = { value, at: performance.now() };
                return value;
            })
            .finally(() => {
                reading = undefined;
            });
        return reading;
    };
}
