/** Time, behind an interface: the real release waits, a simulation and the tests only move the hands. */
export interface Clock {
    now(): number;
    /** Resolves after `ms`; rejects with the signal's reason, at once, when `stop` is aborted first. */
    sleep(ms: number, stop?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms, stop) =>
        new Promise((resolve, reject) => {
            if (stop?.aborted) return reject(stop.reason);
            const onStop = () => {
                clearTimeout(timer);
                reject(stop!.reason);
            };
            const timer = setTimeout(() => {
                stop?.removeEventListener("abort", onStop);
                resolve();
            }, ms);
            stop?.addEventListener("abort", onStop, { once: true });
        }),
};

/** A clock whose sleep returns at once, having moved time on by the sleep. */
export class VirtualClock implements Clock {
    constructor(private time = Date.UTC(2025, 0, 1)) {}
    now(): number {
        return this.time;
    }
    async sleep(ms: number, stop?: AbortSignal): Promise<void> {
        if (stop?.aborted) throw stop.reason;
        this.time += Math.max(0, ms);
    }
}
