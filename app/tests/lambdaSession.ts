import { exitedBeforeAnswering, LambdaEnvironment, startLambdaEnvironment } from "./lambdaRuntime";

export interface LambdaSession {
    /** One invocation, answered before the next starts (as in one execution environment). */
    call(event: unknown): Promise<any>;
    close(): Promise<void>;
    env: LambdaEnvironment;
}

/** The API bundle in one long-lived execution environment, so state it keeps in memory lasts across calls. */
export function lambdaSession(env: Record<string, string>): LambdaSession {
    const lambda = startLambdaEnvironment("api", env);
    const waiting = new Map<number, (outcome: { result?: unknown; error?: { message: string } }) => void>();
    lambda.onOutcome((o) => {
        waiting.get(o.i)?.(o);
        waiting.delete(o.i);
    });
    void lambda.exited.then((exit) => {
        for (const [i, answer] of waiting) answer({ error: { message: exitedBeforeAnswering(i, exit) } });
        waiting.clear();
    });
    let next = 0;
    return {
        env: lambda,
        call: (event) =>
            new Promise((resolve, reject) => {
                const i = next++;
                waiting.set(i, (o) => (o.error ? reject(new Error(`${o.error.message}\n${lambda.output()}`)) : resolve(o.result)));
                lambda.invoke(event);
            }),
        close: async () => {
            lambda.child.kill("SIGKILL");
            await lambda.exited;
        },
    };
}
