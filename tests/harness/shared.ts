/**
 * One result per distinct arguments, per process (a mocha worker runs many files): component tests only read what
 * was registered, so a stack with the same args is deployed under mocks once and shared by every test that asks for
 * it; the offline plan of a committed stack file is run once. `R` may be a promise: the pending one is shared.
 */
export function sharedPerArgs<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => R {
    const results = new Map<string, R>();
    return (...args: A) => {
        const key = JSON.stringify(args);
        if (!results.has(key)) results.set(key, run(...args));
        return results.get(key)!;
    };
}
