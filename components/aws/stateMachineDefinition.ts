import { WORKER_ERRORS } from "../../app/src/workerErrorNames";

/**
 * The pipeline as Amazon States Language: a Map over the batch's object keys that invokes the worker once per
 * key, retrying what may pass (Lambda's service faults and throttling, and the worker's own storage faults) with
 * backoff, and failing the execution with the worker's error and cause when a key cannot be processed.
 *
 * Results stay in S3 (`results/<key>.json`), never in the execution's state: state data is limited to 256 KiB
 * and `States.DataLimitExceeded` is not caught by `States.ALL`, so each iteration outputs a constant and the
 * Map discards what it collects.
 */
export interface PipelineDefinitionArgs {
    workerAliasArn: string;
    maxConcurrency: number;
}

/** Lambda errors worth retrying: service faults and throttling (not the function's own errors). */
export const TRANSIENT_LAMBDA_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

/**
 * The worker's own error names, from the service itself: Lambda reports a thrown error's `name` as its error
 * type, which is what `ErrorEquals` matches. A storage fault may pass; a rejected key never will.
 */
export { WORKER_ERRORS };

export function pipelineDefinition(a: PipelineDefinitionArgs) {
    return {
        Comment: "Processes a batch of uploaded objects: one worker invocation per key, results under results/.",
        StartAt: "ProcessKeys",
        States: {
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
                            ResultSelector: { processed: true },
                            Retry: [
                                {
                                    ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS, WORKER_ERRORS.storageUnavailable],
                                    IntervalSeconds: 2,
                                    MaxAttempts: 6,
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
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "BatchFailed" }],
                Next: "BatchDone",
            },
            BatchDone: { Type: "Succeed" },
            BatchFailed: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
        },
    };
}
