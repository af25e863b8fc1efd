import { WAKE_UP_EVENT } from "../../app/src/pipelineRun";
import { WORKER_ERRORS } from "../../app/src/workerErrorNames";

/**
 * The pipeline as Amazon States Language: a Map over the batch's object keys that invokes the worker once per
 * key, retrying what may pass (Lambda's service faults and throttling, and the worker's own storage faults) with
 * backoff, and failing the execution with the worker's error and cause when a key cannot be processed.
 *
 * Results stay in S3 (`results/<key>.json`), never in the execution's state: state data is limited to 256 KiB
 * and `States.DataLimitExceeded` is not caught by `States.ALL`, so each iteration outputs a constant and the
 * Map discards what it collects; a caught error replaces the state rather than joining an input that may already be
 * near 256 KiB.
 *
 * An inline Map's iterations are events in the execution's own history, which Step Functions caps at 25,000 ("Using
 * Map state in Inline mode"): a key takes about 7 events (iteration started and succeeded; the task entered, scheduled,
 * started, succeeded, exited) and each failed attempt 3 more (scheduled, started, failed), so the retries are sized for
 * the API's largest run (historyEventsAtMost).
 */
export interface PipelineDefinitionArgs {
    workerAliasArn: string;
    maxConcurrency: number;
    /** The worker function's own timeout: the task waits that long, and a margin, for Lambda's answer. */
    workerTimeoutSeconds: number;
}

/**
 * What the task waits beyond the worker's timeout: an invocation may first spend up to 10 s in the function's init
 * (Lambda's "Lambda execution environment lifecycle"), and the answer has to travel back. A Task without TimeoutSeconds
 * waits for an answer that may never come ("Using timeouts to avoid stuck Step Functions workflow executions"): the
 * key, and the execution, would stay running with no error to retry or catch.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 60;

/**
 * Lambda errors worth retrying: the service exceptions Step Functions' best practice lists ("Handle Lambda service
 * exceptions") and throttling, not the function's own errors (a timeout or out of memory is Lambda.Unknown). The
 * task's own States.Timeout is one too: by then the worker has timed out on its own, so Step Functions lost the answer.
 * And a worker waking up: a function idle for weeks is Inactive, and Lambda rejects the invocation that wakes it while it
 * optimizes the image again ("Invoking functions defined as container images"), with CodeArtifactUserPendingException
 * (aws/aws-cdk#20123, whose provider retries it), ResourceNotReadyException for an inactive function, or
 * ResourceConflictException while it is Pending (the Invoke API reference's Errors). None of them ran the worker.
 */
export const TRANSIENT_LAMBDA_ERRORS = [
    "States.Timeout",
    "Lambda.ClientExecutionTimeoutException",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Lambda.CodeArtifactUserPendingException",
    "Lambda.ResourceNotReadyException",
    "Lambda.ResourceConflictException",
];

/**
 * The worker's own error names, from the service itself: Lambda reports a thrown error's `name` as its error
 * type, which is what `ErrorEquals` matches. A storage fault may pass; a rejected key never will.
 */
export { WORKER_ERRORS };

/** Retries of a key after its first attempt. */
const RETRY_ATTEMPTS = 5;

/**
 * The wake-up's retries: 10, 20, 40, 60, 60 and 60 s, over four minutes in all, for a worker idle for weeks, which
 * Lambda takes a minute or more to make Active again (40-106 s in aws-solutions-library-samples/
 * accelerated-intelligent-document-processing-on-aws#801). Without jitter: it is one call per run.
 */
export const WAKE_UP_RETRY = { IntervalSeconds: 10, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60 } as const;

/**
 * How long the wake-up waits for its answer: the worker answers it at once, after an init of at most 10 s. A lost answer
 * (States.Timeout) is not retried: the run goes on to its keys, whose own timeouts and retries then apply, rather than
 * waiting the worker's whole timeout seven times over.
 */
export const WAKE_UP_TIMEOUT_SECONDS = 30;

/** The most history events a run over `keys` keys writes: every key retried to the last attempt (see above). */
export function historyEventsAtMost(keys: number): number {
    const perKey = 7 + 3 * RETRY_ATTEMPTS;
    const perExecution = 8; // execution started and ended; the Map state entered, started, succeeded, exited; BatchDone entered, exited
    const wakeUp = 5 + 3 * WAKE_UP_RETRY.MaxAttempts; // the task entered, scheduled, started, succeeded or caught, exited; 3 a retry
    return keys * perKey + perExecution + wakeUp;
}

export function pipelineDefinition(a: PipelineDefinitionArgs) {
    return {
        Comment: "Processes a batch of uploaded objects: one worker invocation per key, results under results/.",
        StartAt: "WakeWorker",
        States: {
            // One call before the keys: Lambda rejects the invocation that wakes a worker idle for weeks, and those that
            // come while it is Pending, which the keys' own retries (about a minute) may not outlast. Whatever it ends
            // in, the run goes on to its keys with its input unchanged, and their retries still apply.
            WakeWorker: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: a.workerAliasArn, Payload: WAKE_UP_EVENT },
                TimeoutSeconds: WAKE_UP_TIMEOUT_SECONDS,
                ResultPath: null,
                Retry: [{ ErrorEquals: TRANSIENT_LAMBDA_ERRORS.filter((e) => e !== "States.Timeout"), ...WAKE_UP_RETRY, JitterStrategy: "NONE" }],
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "ProcessKeys" }],
                Next: "ProcessKeys",
            },
            ProcessKeys: {
                Type: "Map",
                ItemsPath: "$.keys",
                MaxConcurrency: a.maxConcurrency,
                ItemSelector: {
                    "bucket.$": "$.bucket",
                    "keys.$": "States.Array($$.Map.Item.Value)",
                },
                ItemProcessor: {
                    ProcessorConfig: { Mode: "INLINE" },
                    StartAt: "ProcessKey",
                    States: {
                        ProcessKey: {
                            Type: "Task",
                            Resource: "arn:aws:states:::lambda:invoke",
                            Parameters: { FunctionName: a.workerAliasArn, "Payload.$": "$" },
                            TimeoutSeconds: a.workerTimeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS,
                            ResultSelector: { processed: true },
                            Retry: [
                                {
                                    ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS, WORKER_ERRORS.storageUnavailable],
                                    IntervalSeconds: 2,
                                    MaxAttempts: RETRY_ATTEMPTS,
                                    BackoffRate: 2,
                                    MaxDelaySeconds: 60,
                                    JitterStrategy: "FULL",
                                },
                            ],
                            End: true,
                        },
                    },
                },
                ResultPath: null,
                // No ResultPath: a Catcher's default, "$", replaces the state with the error output (States Language).
                Catch: [{ ErrorEquals: ["States.ALL"], Next: "BatchFailed" }],
                Next: "BatchDone",
            },
            BatchDone: { Type: "Succeed" },
            BatchFailed: { Type: "Fail", ErrorPath: "$.Error", CausePath: "$.Cause" },
        },
    };
}
