/** `promise`, or an Error ("<what>: no answer within <ms> ms") once `ms` have passed without it; it is left to finish unseen. */
export function within<T>(promise: Promise<T>, ms: number, what?: string): Promise<T> {
    let timer: NodeJS.Timeout;
    const message = `${what ? `${what}: ` : ""}no answer within ${ms} ms`;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
