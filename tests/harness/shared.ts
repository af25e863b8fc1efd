/**
 * One result per distinct arguments: component tests only read what was registered, so a stack with the same
 * args is deployed under mocks once and shared by every test that asks for it.
 */
export function sharedPerArgs<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    const results = new Map<string, Promise<R>>();
    return (...args: A) => {
        const key = JSON.stringify(args);
        if (!results.has(key)) results.set(key, run(...args));
        return results.get(key)!;
    };
}
