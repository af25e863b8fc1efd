/**
 * A release that cannot start or go on (missing outputs, no metric source, a failed `pulumi up`): exit 1, or 128 plus
 * the signal's number when a signal stopped it; the message says what the release state records.
 */
export class ReleaseError extends Error {
    constructor(
        message: string,
        readonly exitCode = 1,
    ) {
        super(message);
    }
}
