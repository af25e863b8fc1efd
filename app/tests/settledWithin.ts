/** A promise's outcome, or "pending" if it has none after `ms`: a call that never ends is seen, not waited on. */
export const settledWithin = <T>(work: Promise<T>, ms: number): Promise<{ value: T } | { error: Error } | "pending"> =>
    Promise.race([work.then((v) => ({ value: v }), (err: Error) => ({ error: err })), new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms).unref())]);
