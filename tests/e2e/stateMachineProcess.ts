import * as path from "path";
import { startHost } from "./hostProcess";
import type { ExecutionOutcome, FromStateMachineHost, InvokeRequest, Invocation, ToStateMachineHost } from "./protocol";

const STATE_MACHINE_HOST = path.join(__dirname, "stateMachineHost.ts");

export interface ExecuteOptions {
    /** Answers each `lambda:invoke` Task (its Parameters: FunctionName, Payload). */
    invoke: (request: InvokeRequest) => Promise<Invocation>;
    /** Wait this long before each retry instead of the definition's interval (attempts still count). */
    retryWaitMs?: number;
}

export interface StateMachineRunner {
    execute(definition: unknown, input: unknown, options: ExecuteOptions): Promise<ExecutionOutcome>;
    stop(): Promise<void>;
}

/** aws-local-stepfunctions in its own process (see stateMachineHost.ts). */
export async function startStateMachineRunner(): Promise<StateMachineRunner> {
    // The library needs no environment: every Task is answered here, none reaches AWS.
    const host = await startHost<ToStateMachineHost, FromStateMachineHost>(STATE_MACHINE_HOST, [], {});
    const runs = new Map<number, { options: ExecuteOptions; resolve: (o: ExecutionOutcome) => void; reject: (e: Error) => void }>();
    let nextRunId = 0;
    host.onMessage((m) => {
        if (m.type === "ready") return;
        const run = runs.get(m.type === "invoke" ? m.runId : m.id);
        if (!run) return;
        if (m.type === "invoke") {
            const { type, id, runId, ...request } = m;
            run.options.invoke(request).then(
                (invocation) => host.send({ type: "invoked", id, ...invocation }),
                // A failure of the test's own plumbing (not of the function) ends the run, unlike a function error.
                (err: Error) => (runs.delete(runId), run.reject(err)),
            );
            return;
        }
        runs.delete(m.id);
        if (m.type === "finished") run.resolve(m.outcome);
        else run.reject(new Error(`the state machine did not run: ${m.reason}`));
    });
    host.onExit((reason) => {
        for (const run of runs.values()) run.reject(reason);
        runs.clear();
    });
    return {
        execute: (definition, input, options) =>
            new Promise((resolve, reject) => {
                const id = nextRunId++;
                runs.set(id, { options, resolve, reject });
                host.send({ type: "run", id, definition, input, retryWaitMs: options.retryWaitMs });
            }),
        stop: host.stop,
    };
}
