/**
 * A call to something the service depends on (storage, Step Functions, Secrets Manager) failed. `transient`: a later
 * try may succeed (no answer, a timeout, a 5xx, throttling, the request's deadline), and the client gets a 503 with
 * Retry-After; otherwise (a 4xx such as a real AccessDenied: a bug or a misconfiguration) a 500. The SDK's own
 * message stays in the logs, never in a response.
 */
export abstract class DependencyFailure extends Error {
    /** What is logged, and what the client is told when the failure is transient or not. */
    abstract readonly answers: { logged: string; unavailable: string; refused: string };

    constructor(
        message: string,
        readonly transient: boolean,
        options?: { cause?: unknown },
    ) {
        super(message, options);
    }
}
