/**
 * The pipeline as Amazon States Language: a Map over the batch's object keys that invokes the worker once per
 * key, retrying Lambda's transient errors with backoff, and failing the execution cleanly when a key cannot be
 * processed after the retries.
 */
export interface PipelineDefinitionArgs {
    workerAliasArn: string;
    maxConcurrency: number;
}

/** Lambda errors worth retrying: service faults and throttling, never the function's own errors. */
export const TRANSIENT_LAMBDA_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

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
                            OutputPath: "$.Payload",
                            Retry: [
                                {
                                    ErrorEquals: TRANSIENT_LAMBDA_ERRORS,
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
                ResultPath: "$.results",
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "BatchFailed" }],
                Next: "BatchDone",
            },
            BatchDone: { Type: "Succeed" },
            BatchFailed: { Type: "Fail", Error: "BatchFailed", Cause: "A key could not be processed after retries; see the execution's error." },
        },
    };
}
