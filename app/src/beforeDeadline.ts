/** Rejects with `expired(why)` when `signal` fires, whether or not the work underneath noticed (an SDK in a backoff, GCS). */
export function beforeDeadline<T>(signal: AbortSignal | undefined, work: () => Promise<T>, expired: (why: string) => Error): Promise<T> {
    if (!signal) return work();
    const reason = () => expired(String(signal.reason?.message ?? signal.reason));
    if (signal.aborted) return Promise.reject(reason());
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(reason());
        signal.addEventListener("abort", onAbort, { once: true });
        work().then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
}
