import * as pulumi from "@pulumi/pulumi";

/**
 * A cache kept for one run, keyed by the engine connection the run reports to: one per `pulumi up`, one per run under
 * the mocks (each setMocks is a new monitor), so a run never reuses another's answer; outside a Pulumi program, the
 * process's. A read that failed is not kept, so the next asker reads again.
 */
export function perRun<V>(): (key: string, read: () => Promise<V>) => Promise<V> {
    const byRun = new WeakMap<object, Map<string, Promise<V>>>();
    const outsideARun = {};
    return (key, read) => {
        const run = pulumi.runtime.getMonitor() ?? outsideARun;
        let cache = byRun.get(run);
        if (!cache) byRun.set(run, (cache = new Map()));
        let value = cache.get(key);
        if (!value) {
            const kept = cache;
            kept.set(key, (value = read()));
            value.catch(() => kept.delete(key));
        }
        return value;
    };
}
