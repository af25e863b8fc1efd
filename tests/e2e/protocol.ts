/**
 * The messages between the spec and its child processes (over Node's IPC channel). The hosts run under Node 24
 * with type stripping and import this file with `import type` only: it must hold nothing but types.
 */

/** What Lambda's runtime reports for a handler that threw: errorType is the error's name. */
export interface FunctionError {
    errorType: string;
    errorMessage: string;
    trace: string[];
}

/** One invocation's outcome, as Lambda's Invoke answers it: a payload (and the version that ran, X-Amz-Executed-Version), or a function error. */
export type Invocation = { ok: true; payload: unknown; executedVersion?: string } | { ok: false; error: FunctionError };

/** What lambdaHost.ts needs to stand in for one function: its bundle, handler and identity. */
export interface FunctionSpec {
    /** The image command, e.g. `worker.handler`: file `worker.js` in the bundle folder, export `handler`. */
    command: string;
    bundleDir: string;
    functionName: string;
    functionArn: string;
    /** The qualifier every invocation names: the alias (the Function URL's, the state machine's), or a version. */
    qualifier: string;
    /** The published version that runs: the alias's, or the version named. */
    version: string;
    logGroupName: string;
    memoryMb: number;
    timeoutSeconds: number;
}

export type ToLambdaHost = { id: number; event: unknown };
export type FromLambdaHost = { type: "ready" } | ({ type: "invoked"; id: number } & Invocation);

export interface ExecutionOutcome {
    status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
    output?: unknown;
    /** For FAILED: the execution's Error and Cause (a Fail state's, or the uncaught state error's). */
    error?: string;
    cause?: string;
    /** The execution's event log, nested Map iterations included (see aws-local-stepfunctions' docs). */
    events: ExecutionEvent[];
}

export interface ExecutionEvent {
    type: string;
    state?: { name: string; type: string; input?: unknown; output?: unknown };
    Error?: string;
    Cause?: string;
    [field: string]: unknown;
}

/** A `lambda:invoke` Task state asking for its Parameters (`FunctionName`, `Payload`) to be invoked. */
export interface InvokeRequest {
    stateName: string;
    parameters: { FunctionName?: string; Payload?: unknown; [field: string]: unknown };
}

export type ToStateMachineHost =
    /** retryWaitMs: how long every Retry waits instead of its interval (attempts still count); unset: as defined. */
    | { type: "run"; id: number; definition: unknown; input: unknown; retryWaitMs?: number }
    | ({ type: "invoked"; id: number } & Invocation);
export type FromStateMachineHost =
    | { type: "ready" }
    | ({ type: "invoke"; id: number; runId: number } & InvokeRequest)
    | { type: "finished"; id: number; outcome: ExecutionOutcome }
    /** The definition cannot run here (e.g. a Task this host cannot stand in for): nothing was executed. */
    | { type: "refused"; id: number; reason: string };
