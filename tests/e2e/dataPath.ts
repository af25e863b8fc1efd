import { ProgramRun } from "../../scripts/offline/runProgram";
import { BUNDLE_DIR } from "./appBundles";
import { FakeStepFunctions, startFakeStepFunctions } from "./fakeStepFunctions";
import { FunctionUrlResponse, functionUrlEvent, functionUrlResponse } from "./functionUrl";
import { startLambda } from "./lambdaProcess";
import { LocalBucket, startLocalBucket } from "./localBucket";
import { PlannedDataPath, PlannedFunction, functionSpec, plannedDataPath } from "./planFunctions";
import type { ExecutionOutcome, InvokeRequest, Invocation } from "./protocol";
import type { StateMachineRunner } from "./stateMachineProcess";

/** Waits are not what this test checks: a retry happens at once (its attempts still count). */
const RETRY_WAIT_MS = 0;

export interface Execution extends ExecutionOutcome {
    /** The FunctionName of every `lambda:invoke` the execution made. */
    invoked: string[];
    /** Their payloads, in the same order. */
    payloads: unknown[];
}

export interface DataPath {
    plan: PlannedDataPath;
    bucket: LocalBucket;
    stepFunctions: FakeStepFunctions;
    /** Calls the API function through a Function URL event. */
    request(method: string, path: string, body?: Uint8Array | string, headers?: Record<string, string>): Promise<FunctionUrlResponse>;
    /** Runs the plan's state machine definition on an execution input; its Lambda tasks invoke the functions. */
    execute(input: unknown): Promise<Execution>;
    /** Runs the plan's health check as its schedule starts it; `answer`: instead of the API function's own answer. */
    executeHealthCheck(answer?: (request: InvokeRequest) => Promise<Invocation>): Promise<Execution>;
    /** What the functions logged. */
    output(): string;
    stop(): Promise<void>;
}

/**
 * A function's environment: the plan's variables as they are, except that the plan's bucket is the local one,
 * plus what the Lambda service would provide (region, credentials) and endpoints on loopback. Every AWS service
 * without its own endpoint here goes to the fake Step Functions, which refuses and records it.
 */
function functionEnvironment(fn: PlannedFunction, plan: PlannedDataPath, bucket: LocalBucket, stepFunctions: FakeStepFunctions): Record<string, string> {
    const aws = {
        AWS_REGION: plan.region,
        // The only key pair s3rver accepts.
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_ENDPOINT_URL: stepFunctions.endpoint,
        AWS_ENDPOINT_URL_S3: bucket.endpoint,
        AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
    };
    const clash = Object.keys(aws).filter((key) => key in fn.environment);
    if (clash.length) throw new Error(`${fn.name}: the plan sets ${clash.join(", ")}, which Lambda reserves`);
    const planned = Object.entries(fn.environment).map(([key, value]) => [key, value === plan.bucketName ? bucket.bucket : value]);
    return { ...Object.fromEntries(planned), ...aws };
}

/** Whether an invoke's FunctionName (name, ARN, or ARN with a version or alias) names this function. */
function names(fn: PlannedFunction, functionName: string): boolean {
    return functionName === fn.name || functionName === fn.arn || functionName.startsWith(`${fn.arn}:`);
}

/** Like Promise.all, but settles only when every start has (so each one that did start can be stopped). */
async function allStarted<T extends readonly Promise<unknown>[]>(starts: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
    const settled = await Promise.allSettled(starts);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as any;
}

/**
 * The AWS data path of one stack's plan, on loopback: S3, both functions' bundles, Step Functions. Its executions run
 * on `runner`, which the caller starts and stops: each execution brings its definition and answers its own tasks, so
 * one runner serves every stack of a file.
 */
export async function startDataPath(run: ProgramRun, runner: StateMachineRunner): Promise<DataPath> {
    const plan = plannedDataPath(run);
    const stoppers: (() => Promise<void>)[] = [];
    const stop = async () => {
        const errors = (await Promise.allSettled(stoppers.splice(0).reverse().map((s) => s()))).filter((r) => r.status === "rejected");
        if (errors.length) throw (errors[0] as PromiseRejectedResult).reason;
    };
    const started = async <T extends { stop?: () => Promise<void>; close?: () => Promise<void> }>(thing: Promise<T>): Promise<T> => {
        const t = await thing;
        stoppers.push(() => (t.stop ?? t.close)!());
        return t;
    };
    try {
        const bucket = await started(startLocalBucket(`e2e-${run.stack}-bucket`));
        const stepFunctions = await started(startFakeStepFunctions());
        const start = (fn: PlannedFunction) =>
            started(
                startLambda(functionSpec(fn, BUNDLE_DIR), functionEnvironment(fn, plan, bucket, stepFunctions)),
            );
        const [api, worker] = await allStarted([start(plan.api), start(plan.worker)] as const);
        const invokeFor = (invoked: string[], payloads: unknown[]) => async ({ parameters }: InvokeRequest): Promise<Invocation> => {
            const functionName = String(parameters.FunctionName);
            invoked.push(functionName);
            payloads.push(parameters.Payload);
            const target = names(plan.worker, functionName) ? worker : names(plan.api, functionName) ? api : undefined;
            if (!target) throw new Error(`the definition invokes ${functionName}, which is not a function of this plan`);
            return target.invoke(parameters.Payload);
        };
        return {
            plan,
            bucket,
            stepFunctions,
            request: async (method, path, body, headers) => {
                const invocation = await api.invoke(functionUrlEvent(method, path, plan.region, body, headers));
                if (!invocation.ok) throw new Error(`the API function failed: ${JSON.stringify(invocation.error)}`);
                return functionUrlResponse(invocation.payload);
            },
            execute: async (input) => {
                const invoked: string[] = [];
                const payloads: unknown[] = [];
                return { ...(await runner.execute(plan.definition, input, { invoke: invokeFor(invoked, payloads), retryWaitMs: RETRY_WAIT_MS })), invoked, payloads };
            },
            executeHealthCheck: async (answer) => {
                const invoked: string[] = [];
                const payloads: unknown[] = [];
                const invoke = invokeFor(invoked, payloads);
                const respond = answer ? async (request: InvokeRequest) => (await invoke(request), answer(request)) : invoke;
                return { ...(await runner.execute(plan.healthCheck.definition, JSON.parse(plan.healthCheck.input ?? "{}"), { invoke: respond, retryWaitMs: RETRY_WAIT_MS })), invoked, payloads };
            },
            output: () => `--- api ---\n${api.output()}\n--- worker ---\n${worker.output()}`,
            stop,
        };
    } catch (err) {
        await stop();
        throw err;
    }
}
