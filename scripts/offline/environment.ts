/** Environment variables to set (a string) or remove (undefined). */
export type EnvironmentChanges = Record<string, string | undefined>;

/** `base` with `changes` applied: what spawn's env needs, since it cannot say "unset" by itself. */
export function mergedEnvironment(base: NodeJS.ProcessEnv, changes: EnvironmentChanges): NodeJS.ProcessEnv {
    const env = { ...base };
    for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) delete env[k];
        else env[k] = v;
    }
    return env;
}

/** Applies `changes` to this process's environment; returns a function that puts the old values back. */
export function changeProcessEnvironment(changes: EnvironmentChanges): () => void {
    const saved: EnvironmentChanges = Object.fromEntries(Object.keys(changes).map((k) => [k, process.env[k]]));
    const apply = (values: EnvironmentChanges) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    apply(changes);
    return () => apply(saved);
}

/** `use`, run with `changes` applied to this process's environment; the old values are put back however it ends. */
export async function withProcessEnvironment<T>(changes: EnvironmentChanges, use: () => Promise<T> | T): Promise<T> {
    const restore = changeProcessEnvironment(changes);
    try {
        return await use();
    } finally {
        restore();
    }
}
