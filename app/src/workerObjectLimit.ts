/** The most bytes of one object the worker holds, and why that many. */
export interface WorkerObjectLimit {
    bytes: number;
    reason: string;
}

/**
 * Half the function's memory. The worker holds an object whole to hash it, and the bucket takes any upload, not only
 * the API's (at most its MAX_BODY_BYTES): an object larger than the function ran it out of memory, which Step Functions
 * reports as Lambda.Unknown ("Handle Lambda service exceptions") and the state machine does not retry, failing the batch
 * without naming the key. Lambda gives the memory as AWS_LAMBDA_FUNCTION_MEMORY_SIZE, in MB (Lambda developer guide,
 * "Defined runtime environment variables"); where it is unset (the worker run outside Lambda) nothing is refused.
 */
export function workerObjectLimit(env: NodeJS.ProcessEnv): WorkerObjectLimit {
    const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
    if (!Number.isFinite(memoryMb) || memoryMb <= 0) return { bytes: Infinity, reason: "no function memory given" };
    return { bytes: Math.floor((memoryMb * 1024 * 1024) / 2), reason: `half of its ${memoryMb} MB` };
}
