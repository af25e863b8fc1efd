import { randomUUID } from "crypto";
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

/**
 * What the Lambda service sets in every execution environment besides the function's own variables (Lambda
 * developer guide, "Defined runtime environment variables"): the app tells Lambda from elsewhere by
 * AWS_LAMBDA_FUNCTION_NAME, and its 5xx metric line names the version that ran. The log stream is named as Lambda
 * names it: `<date>/[<version>]<id>`.
 */
function lambdaEnvironment(spec: FunctionSpec): Record<string, string> {
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
    return {
        AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: spec.version,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName,
        AWS_LAMBDA_LOG_STREAM_NAME: `${today}/[${spec.version}]${randomUUID().replace(/-/g, "")}`,
        TZ: ":UTC",
    };
}

/**
 * One function's bundle in its own process (see lambdaHost.ts), with `env` (the function's variables and the
 * credentials and endpoints the test gives it) and what Lambda itself sets, which `env` may not hold.
 */
export async function startLambda(spec: FunctionSpec, env: Record<string, string>): Promise<LambdaProcess> {
    const lambda = lambdaEnvironment(spec);
    const clash = Object.keys(lambda).filter((key) => key in env);
    if (clash.length) throw new Error(`${spec.functionName}: ${clash.join(", ")} are Lambda's to set`);
    const host = await startHost<ToLambdaHost, FromLambdaHost>(LAMBDA_HOST, [JSON.stringify(spec)], { ...env, ...lambda });
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
