/** Keys one pipeline run accepts: the state machine's Map runs one worker invocation per key. */
export const MAX_RUN_KEYS = 1000;
/** Step Functions refuses an execution input over 256 KiB (UTF-8), and state data past it fails the run. */
export const MAX_EXECUTION_INPUT_BYTES = 262_144;

/** The execution input exactly as it is sent to StartExecution. */
export function executionInput(bucket: string | undefined, keys: string[]): string {
    return JSON.stringify({ bucket, keys });
}

/** The refusal of a run of `count` keys, over MAX_RUN_KEYS. */
export const tooManyRunKeys = (count: number) => `at most ${MAX_RUN_KEYS} keys per run (got ${count})`;

/**
 * Why these keys cannot start one run, or undefined when they can. Their count is the request's to check (app.ts's
 * RunRequest refuses over MAX_RUN_KEYS before any key is read), so only the execution input's size is checked here.
 */
export function runInputProblem(bucket: string | undefined, keys: string[]): string | undefined {
    const bytes = Buffer.byteLength(executionInput(bucket, keys), "utf8");
    if (bytes > MAX_EXECUTION_INPUT_BYTES) return `the run's execution input would be ${bytes} bytes; Step Functions accepts at most ${MAX_EXECUTION_INPUT_BYTES}`;
    return undefined;
}

/**
 * The event the state machine wakes the worker with before its keys: the worker answers it at once, touching no
 * storage. Lambda rejects the invocation that wakes a function idle for weeks (Inactive), and those that come while it
 * is Pending, so the state machine sends this one, and its retries, before the Map's invocations.
 */
export const WAKE_UP_EVENT = { wakeUp: true } as const;
