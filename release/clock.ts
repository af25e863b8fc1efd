/** Time, behind an interface: the real release waits, a simulation and the tests only move the hands. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock whose sleep returns at once, having moved time on by the sleep. */
export class VirtualClock implements Clock {
    constructor(private time = Date.UTC(2025, 0, 1)) {}
    now(): number {
        return this.time;
    }
    async sleep(ms: number): Promise<void> {
        this.time += Math.max(0, ms);
    }
}
