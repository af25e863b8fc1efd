/**
 * A property the engine may not know yet. In a preview, a value computed from another resource's output is unknown,
 * and @pulumi/policy's proxy throws UnknownValueError when a rule reads it (proxy.js, unknownCheckingProxy), which the
 * SDK turns into an advisory "can't run policy ... during preview" however mandatory the rule is (server.js): one
 * unknown environment variable hid a DEBUG=true beside it. `known` answers undefined for such a value instead, so a
 * rule judges every value it can see; `pulumi up` judges again with all of them known.
 */
export function known<T>(read: () => T): T | undefined;
export function known<T, U>(read: () => T, ifUnknown: U): T | U;
export function known<T, U>(read: () => T, ifUnknown?: U): T | U | undefined {
    try {
        return read();
    } catch (err) {
        if (isUnknownValueError(err)) return ifUnknown;
        throw err;
    }
}

/**
 * UnknownValueError carries the sentinel and the property path (@pulumi/policy proxy.js); a property name, not the
 * class name, so that a bundle that renames classes still recognizes it.
 */
function isUnknownValueError(err: unknown): err is Error {
    return err instanceof Error && "unknownTypeSentinel" in err;
}

/**
 * Runs each of a rule's checks, so that a value not known yet stops only the check that read it: the others still judge
 * what they can see and report. Then the rule says what it could not judge the SDK's way, by rethrowing the first
 * UnknownValueError, its message naming every check that waits: the SDK adds its advisory "can't run policy ... during
 * preview: <message>" beside the violations already reported (@pulumi/policy server.js, makeAnalyzeRpcFun and
 * makeAnalyzeStackRpcFun: reportViolation pushes each violation before the catch that adds the advisory).
 */
export function judgeEach(checks: readonly (readonly [what: string, check: () => void])[]): void {
    const waiting: [string, Error][] = [];
    for (const [what, check] of checks) {
        try {
            check();
        } catch (err) {
            if (!isUnknownValueError(err)) throw err;
            waiting.push([what, err]);
        }
    }
    if (waiting.length === 0) return;
    const first = waiting[0][1];
    first.message = waiting.map(([what, err]) => `${what}: ${err.message}`).join("; ");
    throw first;
}

/**
 * Whether every check holds, whatever their order: a check that reads a value not known yet waits only when no other
 * check fails, since a failing known value is a violation whatever the unknown one turns out to be. `[unknown, false]`
 * is false as `[false, unknown]` is; `[unknown, true]` rethrows the first UnknownValueError, for judgeEach or the SDK.
 */
export function allHold(checks: readonly (() => boolean)[]): boolean {
    let waiting: Error | undefined;
    for (const check of checks) {
        try {
            if (!check()) return false;
        } catch (err) {
            if (!isUnknownValueError(err)) throw err;
            waiting ??= err;
        }
    }
    if (waiting) throw waiting;
    return true;
}

/**
 * The known elements of a list that may itself be unknown, or hold unknown elements. A null element (a program's
 * `[null]`, sent as it is) holds nothing to judge, and is left out as an unknown one is. Anything but a list holds no
 * elements: an object's `length` is data, which Array.from would turn into a number by calling what it holds.
 */
export function knownElements<T>(list: () => readonly T[] | undefined): T[] {
    const all = known(list);
    if (!Array.isArray(all)) return [];
    return Array.from({ length: all.length }, (_, i) => known(() => all[i])).filter((e): e is T => e !== undefined && e !== null);
}

/** A property that is one value or a list of them (IAM's Action, Statement, managedPolicyArns): its known values. */
export function knownOneOrMany<T>(read: () => T | readonly T[] | undefined): T[] {
    const value = known(read);
    if (Array.isArray(value)) return knownElements(() => value as readonly T[]);
    return value === undefined || value === null ? [] : [value as T];
}
