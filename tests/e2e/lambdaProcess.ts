import * as path from "path";
import { startHost } from "./hostProcess";
import type { FromLambdaHost, FunctionSpec, Invocation, ToLambdaHost } from "./protocol";

const LAMBDA_HOST = path.join(__dirname, "lambdaHost.ts");

export interface LambdaProcess {
    invoke(event: unknown): Promise<Invocation>;
    /** What the function logged. */
    output(): string;
    stop(): Promise<void>;
}

/** One function's bundle in its own process, with exactly `env` as its environment (see lambdaHost.ts). */
export async function startLambda(spec: FunctionSpec, env: Record<string, string>): Promise<LambdaProcess> {
    const host = await startHost<ToLambdaHost, FromLambdaHost>(LAMBDA_HOST, [JSON.stringify(spec)], env);
    const pending = new Map<number, { resolve: (i: Invocation) => void; reject: (e: Error) => void }>();
    let nextId = 0;
    host.onMessage((m) => {
        if (m.type !== "invoked") return;
        const { type, id, ...invocation } = m;
        pending.get(id)?.resolve(invocation as Invocation);
        pending.delete(id);
    });
    host.onExit((reason) => {
        for (const p of pending.values()) p.reject(reason);
        pending.clear();
    });
    return {
        invoke: (event) =>
            new Promise((resolve, reject) => {
                const id = nextId++;
                pending.set(id, { resolve, reject });
                host.send({ id, event });
            }),
        output: host.output,
        stop: host.stop,
    };
}
