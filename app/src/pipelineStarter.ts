import type { SFNClient } from "@aws-sdk/client-sfn";
import { randomUUID } from "node:crypto";
import { awsClientConfig } from "./awsClientConfig";
import { DependencyFailure } from "./dependencyFailure";
import { dependencyCall } from "./dependencyCall";
import { executionInput } from "./pipelineRun";
import { Settings } from "./settings";
import { isTransient } from "./storage/storageError";
import { storageTimeouts } from "./storage/storageTimeouts";

/**
 * Starting a run failed. `transient` also for ExecutionLimitExceeded: the state machine's quota of running
 * executions, which frees up as runs end.
 */
export class PipelineError extends DependencyFailure {
    readonly answers = { logged: "starting a pipeline run failed", unavailable: "pipeline unavailable, retry later", refused: "the pipeline refused the request" };
    constructor(message: string, transient: boolean, options?: { cause?: unknown }) {
        super(message, transient, options);
        this.name = "PipelineError";
    }
}

/** StartExecution errors that a later try can get past (Step Functions API Reference, StartExecution "Errors"). */
const QUOTA_ERRORS = ["ExecutionLimitExceeded"];

/** A standard execution's ARN: the state machine's, `stateMachine` made `execution`, and the execution's name. */
function executionArnOf(stateMachineArn: string, name: string): string {
    return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}

export type StartPipeline = (keys: string[], signal: AbortSignal) => Promise<string>;

/** Starts the state machine on `keys`, within the request's deadline; undefined where there is no state machine. */
export function pipelineStarter(settings: Settings): StartPipeline | undefined {
    const stateMachineArn = settings.STATE_MACHINE_ARN;
    if (!stateMachineArn) return undefined;
    let client: SFNClient | undefined;
    return async (keys, signal) => {
        const { SFNClient, StartExecutionCommand } = require("@aws-sdk/client-sfn") as typeof import("@aws-sdk/client-sfn");
        client ??= new SFNClient(awsClientConfig(storageTimeouts(settings)) as import("@aws-sdk/client-sfn").SFNClientConfig);
        // A name of its own, which every retry of this start sends again: an attempt whose answer was lost (a
        // timeout) may have started the execution, and Step Functions answers the same name and input with that
        // execution while it runs, and with ExecutionAlreadyExists once it has ended, instead of starting another.
        const name = randomUUID();
        const command = new StartExecutionCommand({ stateMachineArn, name, input: executionInput(settings.BUCKET_NAME, keys) });
        const start = () =>
            client!.send(command, { abortSignal: signal }).then(
                (res) => res.executionArn!,
                (err: Error) => {
                    if (err.name === "ExecutionAlreadyExists") return executionArnOf(stateMachineArn, name);
                    throw err;
                },
            );
        return dependencyCall(PipelineError, "starting an execution", signal, start, (err) => isTransient(err) || QUOTA_ERRORS.includes((err as Error).name));
    };
}
