/**
 * The largest and the smallest of a list of figures, however long. `Math.max(...values)` passes each value as an
 * argument, and past about 125,000 of them V8 throws "RangeError: Maximum call stack size exceeded": a verification
 * load of 1,000 requests a second for 300 s (config/schema.ts verify's limits) holds 360,000 answers, and a cloud's
 * answer holds as many values as it sends.
 */
export function largest(values: readonly number[]): number {
    return values.reduce((most, value) => (value > most ? value : most), -Infinity);
}

export function smallest(values: readonly number[]): number {
    return values.reduce((least, value) => (value < least ? value : least), Infinity);
}
