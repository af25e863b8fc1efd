/**
 * Executes state machine definitions with aws-local-stepfunctions, which needs Node >= 22 (so a child process
 * under the image's Node, with type stripping). Every `lambda:invoke` Task is answered by the parent (it owns the
 * function processes): its result is shaped as the Step Functions Lambda integration shapes it, and a function
 * error becomes a task error named by the error's type, as on AWS, so Retry and Catch see what they would there.
 */
import { randomUUID } from "node:crypto";
import { ExecutionError, StateMachine } from "aws-local-stepfunctions";
import type { RunOptions, StateMachineDefinition } from "aws-local-stepfunctions";
import type { ExecutionEvent, ExecutionOutcome, FromStateMachineHost, FunctionError, InvokeRequest, Invocation, ToStateMachineHost } from "./protocol";

const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
type TaskHandlers = NonNullable<NonNullable<RunOptions["overrides"]>["taskResourceLocalHandlers"]>;

const send = (message: FromStateMachineHost) => process.send!(message);
const waiting = new Map<number, (invocation: Invocation) => void>();
let nextInvokeId = 0;

function invokeThroughParent(runId: number, request: InvokeRequest): Promise<Invocation> {
    const id = nextInvokeId++;
    return new Promise((resolve) => {
        waiting.set(id, resolve);
        send({ type: "invoke", id, runId, ...request });
    });
}

/** Every state, however deeply nested in Map and Parallel states. */
function allStates(states: Record<string, any>): [string, any][] {
    return Object.entries(states).flatMap(([name, state]) => [
        [name, state] as [string, any],
        ...[state.ItemProcessor ?? state.Iterator, ...(state.Branches ?? [])].filter(Boolean).flatMap((inner) => allStates(inner.States)),
    ]);
}

/** On AWS a failed Lambda task's Error is the function's errorType and its Cause the error payload as JSON (Step Functions
 * developer guide, "Handling error conditions using a Step Functions state machine"; localstack/localstack#11957). */
function taskError(error: FunctionError): Error {
    const failure = new Error(JSON.stringify(error));
    failure.name = error.errorType;
    return failure;
}

/**
 * A `lambda:invoke` task's result: Invoke's response with its Payload parsed, in the shape the developer guide shows
 * ("Invoke an AWS Lambda function with Step Functions", awsdocs/aws-step-functions-developer-guide
 * doc_source/connect-lambda.md; ExecutedVersion beside Payload also in aws-samples/review-and-assessment-powered-by-
 * intelligent-documentation#58): ExecutedVersion, Payload, SdkHttpMetadata (Invoke's HTTP headers and status),
 * SdkResponseMetadata, StatusCode. The guide's example shows two different request ids; here both are one (unverified).
 * ExecutedVersion is left out when the answer names no version (a test's own answer).
 */
function invokeResult(invocation: Extract<Invocation, { ok: true }>) {
    const requestId = randomUUID();
    const json = JSON.stringify(invocation.payload);
    const version = invocation.executedVersion;
    return {
        ...(version !== undefined && { ExecutedVersion: version }),
        Payload: invocation.payload as any,
        SdkHttpMetadata: {
            HttpHeaders: {
                Connection: "keep-alive",
                "Content-Length": String(Buffer.byteLength(json, "utf8")),
                "Content-Type": "application/json",
                Date: new Date().toUTCString(),
                ...(version !== undefined && { "X-Amz-Executed-Version": version }),
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": requestId,
                "X-Amzn-Trace-Id": `root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, "").slice(0, 24)};sampled=0`,
            },
            HttpStatusCode: 200,
        },
        SdkResponseMetadata: { RequestId: requestId },
        StatusCode: 200,
    };
}

function lambdaTaskHandlers(runId: number, definition: StateMachineDefinition): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [name, state] of allStates(definition.States).filter(([, s]) => s.Type === "Task")) {
        if (state.Resource !== LAMBDA_INVOKE) throw new Error(`Task ${name} uses ${state.Resource}; only ${LAMBDA_INVOKE} can run here`);
        handlers[name] = async (parameters) => {
            const invocation = await invokeThroughParent(runId, { stateName: name, parameters: parameters as InvokeRequest["parameters"] });
            if (!invocation.ok) throw taskError(invocation.error);
            const result = invokeResult(invocation);
            // The connector's output counts too, before ResultSelector picks from it (States.DataLimitExceeded below).
            if (tooLarge(result)) throw dataLimitError(name);
            return result;
        };
    }
    return handlers;
}

async function collect(events: AsyncGenerator<unknown>): Promise<ExecutionEvent[]> {
    const all: ExecutionEvent[] = [];
    for await (const event of events) all.push(event as ExecutionEvent);
    return all;
}

/**
 * Step Functions' limit on the data of a state, a task or the execution: "256 KiB of data as a UTF-8 encoded string"
 * (Step Functions quotas); past it the execution fails with States.DataLimitExceeded, "a terminal error that can't be
 * caught by the States.ALL error type", thrown "when the output of a connector is larger than payload size quota" and
 * when a state's output or input is (developer guide, "Error handling in Step Functions", awsdocs/aws-step-functions-
 * developer-guide doc_source/concepts-error-handling.md). aws-local-stepfunctions enforces none of it, so the host fails
 * a Lambda task whose result is over it, and checks every state's input and output in the order the execution produced
 * them. The cause in the service's words: "The state/task 'UpdateMembers' returned a result with a size exceeding the
 * maximum number of bytes service limit." (awslabs/aws-securityhub-multiaccount-scripts#63; jogold/cloudstructs#163).
 */
const STATE_DATA_LIMIT_BYTES = 262_144;

const tooLarge = (data: unknown) => data !== undefined && Buffer.byteLength(JSON.stringify(data), "utf8") > STATE_DATA_LIMIT_BYTES;
const dataLimitCause = (stateName: string) => `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`;

/** Thrown from a task: neither a Retry nor a Catch sees it (the library reads isRetryable and isCatchable). */
function dataLimitError(stateName: string): Error {
    const error = new Error(dataLimitCause(stateName));
    error.name = "States.DataLimitExceeded";
    return Object.assign(error, { isRetryable: false, isCatchable: false });
}

function dataLimitExceeded(events: ExecutionEvent[]): Omit<ExecutionOutcome, "events"> | undefined {
    for (const e of events) {
        for (const data of [e.state?.input, e.state?.output]) {
            if (tooLarge(data)) return { status: "FAILED", error: "States.DataLimitExceeded", cause: dataLimitCause(e.state!.name) };
        }
    }
    return undefined;
}

/**
 * Step Functions checks a definition's syntax when the state machine is created or updated (API reference,
 * ValidateStateMachineDefinition: "the same syntax check when you invoke CreateStateMachine and UpdateStateMachine"),
 * not on each execution; the library checks it in StateMachine's constructor (asl-validator compiling its schema with
 * a new Ajv, 0.15-0.3 s of CPU). So each distinct definition is built once per host and run as often as asked: run()
 * starts every execution afresh (its own event log and abort signal). A refused definition is not kept: refused again.
 * (Not tests/harness/shared.ts's sharedPerArgs: under type stripping this host imports only types from the project.)
 */
const machines = new Map<string, StateMachine>();
function machineFor(definition: StateMachineDefinition): StateMachine {
    const key = JSON.stringify(definition);
    let machine = machines.get(key);
    if (!machine) machines.set(key, (machine = new StateMachine(definition)));
    return machine;
}

async function execute(id: number, definition: StateMachineDefinition, input: any, retryWaitMs: number | undefined): Promise<ExecutionOutcome> {
    const machine = machineFor(definition);
    const retrying = allStates(definition.States).filter(([, s]) => s.Retry);
    const retryIntervalOverrides = retryWaitMs === undefined ? undefined : Object.fromEntries(retrying.map(([name]) => [name, retryWaitMs]));
    const execution = machine.run(input, { overrides: { taskResourceLocalHandlers: lambdaTaskHandlers(id, definition), retryIntervalOverrides } });
    const events = collect(execution.eventLogs);
    let outcome: Omit<ExecutionOutcome, "events">;
    try {
        outcome = { status: "SUCCEEDED", output: await execution.result };
    } catch (err) {
        if (err instanceof ExecutionError) {
            const cause = err.cause as Error;
            outcome = { status: "FAILED", error: cause.name, cause: cause.message };
        } else if ((err as Error).name === "ExecutionTimeoutError") outcome = { status: "TIMED_OUT" };
        else if ((err as Error).name === "ExecutionAbortedError") outcome = { status: "ABORTED" };
        else throw err;
    }
    const all = await events;
    return { ...(dataLimitExceeded(all) ?? outcome), events: all };
}

process.on("message", (message: ToStateMachineHost) => {
    if (message.type === "invoked") {
        const { type, id, ...invocation } = message;
        waiting.get(id)?.(invocation as Invocation);
        waiting.delete(id);
        return;
    }
    execute(message.id, message.definition as StateMachineDefinition, message.input, message.retryWaitMs).then(
        (outcome) => send({ type: "finished", id: message.id, outcome }),
        (err: Error) => send({ type: "refused", id: message.id, reason: err.stack ?? String(err) }),
    );
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
