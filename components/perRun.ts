import * as pulumi from "@pulumi/pulumi";
import { isLastingRefusal } from "./lastingRefusal";

/**
 * A map kept for one run, keyed by the engine connection the run reports to: one per `pulumi up`, one per run under
 * the mocks (each setMocks is a new monitor), so a run never sees another's entries; outside a Pulumi program, the
 * process's.
 */
export function perRunMap<V>(): () => Map<string, V> {
    const byRun = new WeakMap<object, Map<string, V>>();
    const outsideARun = {};
    return () => {
        const run = pulumi.runtime.getMonitor() ?? outsideARun;
        let map = byRun.get(run);
        if (!map) byRun.set(run, (map = new Map()));
        return map;
    };
}

/**
 * A cache kept for one run (perRunMap). A read that failed is not kept, so the next asker reads again, unless it
 * failed with a refusal that lasts the run (lastingRefusal.ts: AccessDeniedException, a registry's 401/403): that is
 * kept, and the next asker gets the same refusal without asking.
 */
export function perRun<V>(): (key: string, read: () => Promise<V>) => Promise<V> {
    const cacheOfThisRun = perRunMap<Promise<V>>();
    return (key, read) => {
        const cache = cacheOfThisRun();
        let value = cache.get(key);
        if (!value) {
            cache.set(key, (value = read()));
            value.catch((err: unknown) => {
                if (!isLastingRefusal(err)) cache.delete(key);
            });
        }
        return value;
    };
}
