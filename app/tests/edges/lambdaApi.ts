import { exitedBeforeAnswering, startLambdaEnvironment } from "../lambdaRuntime";

export interface LambdaApi {
    /** One invocation of `api.handler`; resolves with what it returned, rejects with what it threw. */
    call(event: unknown): Promise<any>;
    output: () => string;
    stop: () => Promise<void>;
}

/** The built Lambda API bundle in one execution environment (state kept between invocations, as on Lambda). */
export function startLambdaApi(env: Record<string, string>): LambdaApi {
    const lambda = startLambdaEnvironment("api", env);
    const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
    let next = 0;
    lambda.onOutcome((o) => {
        const w = waiting.get(o.i)!;
        waiting.delete(o.i);
        if (o.error) w.reject(Object.assign(new Error(o.error.message), { name: o.error.name }));
        else w.resolve(o.result);
    });
    void lambda.exited.then((exit) => {
        for (const [i, w] of waiting) w.reject(new Error(`${exitedBeforeAnswering(i, exit)}\n${lambda.output()}`));
        waiting.clear();
    });
    return {
        call: (event) =>
            new Promise((resolve, reject) => {
                waiting.set(next++, { resolve, reject });
                lambda.invoke(event);
            }),
        output: lambda.output,
        stop: async () => {
            lambda.child.kill("SIGKILL");
            await lambda.exited;
        },
    };
}

/** The body of a Function URL result as bytes, whether it came back as text or base64. */
export const resultBytes = (result: { body?: string; isBase64Encoded?: boolean }) => Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
