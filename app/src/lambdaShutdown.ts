import { log } from "./log";

/**
 * What Lambda really does with SIGTERM: it sends one to the runtime only when an extension is registered
 * (external, or internal such as an APM agent), in the Shutdown phase, and SIGKILLs the runtime 300 ms later
 * (500 ms with an internal extension; 2 s in all with the extensions). Without an extension there is no
 * SIGTERM: the environment is simply killed. Lambda shuts an environment down between invocations
 * ("spindown") or after one failed or timed out ("timeout", "failure"): an invocation still running then has
 * already been reported to its caller as failed, so nothing it finishes now was acknowledged.
 * So the handler here only lets such work settle for a moment (bounded well inside those 300 ms), logs, and
 * exits 0, instead of Node's default of dying by the signal mid-write.
 */
export const LAMBDA_SHUTDOWN_BUDGET_MS = 250;

/** Wraps a Lambda handler so that SIGTERM waits for invocations in flight (at most the budget), then exits 0. */
export function drainOnSigterm<H extends (...args: any[]) => Promise<unknown>>(handler: H, lifecycle: { draining: boolean }, drainTimeoutMs: number): H {
    const inFlight = new Set<Promise<unknown>>();
    const budgetMs = Math.min(drainTimeoutMs, LAMBDA_SHUTDOWN_BUDGET_MS);
    process.once("SIGTERM", () => {
        lifecycle.draining = true;
        log.info("shutdown: SIGTERM from the Lambda runtime", { inFlight: inFlight.size, budgetMs });
        const settled = Promise.allSettled([...inFlight]);
        const timeout = new Promise((r) => setTimeout(r, budgetMs).unref());
        void Promise.race([settled, timeout]).then(() => {
            if (inFlight.size > 0) log.warn("shutdown with invocations in flight", { inFlight: inFlight.size });
            process.exit(0);
        });
    });
    return ((...args: Parameters<H>) => {
        const running = handler(...args);
        inFlight.add(running);
        const forget = () => inFlight.delete(running);
        running.then(forget, forget);
        return running;
    }) as H;
}
