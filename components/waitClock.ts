/** What the program's waits read and sleep on. */
export interface WaitClock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

/**
 * The machine's own clock (REAL_CLOCK), and the clock the program's waits read and sleep on (waitClock): IAM
 * propagation, API activation, Google APIs' and registries' retries, an image's push and its registry scan. Runs under
 * mocks replace the latter (a mock cloud has nothing to wait for) and so do tests, to see a wait without spending it.
 * One pair per process, kept on globalThis as the Pulumi SDK keeps its state: program.js runs a bundle with its own
 * copy of this module, and a harness outside the bundle, loaded before or after it, must reach the same clock and tell
 * the real one by the same functions.
 */
const clocks: { real: Readonly<WaitClock>; current: WaitClock } = ((globalThis as Record<symbol, typeof clocks | undefined>)[Symbol.for("multicloud-service/waitClock")] ??= (() => {
    const real = {
        now: (): number => Date.now(),
        sleep: (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    };
    return { real, current: { ...real } };
})());

export const REAL_CLOCK = clocks.real;
export const waitClock = clocks.current;
