import { LambdaEnvironment, startLambdaEnvironment } from "./lambdaRuntime";

export interface LambdaSession {
    /** One invocation, answered before the next starts (as in one execution environment). */
    call(event: unknown): Promise<any>;
    close(): Promise<void>;
    env: LambdaEnvironment;
}

/** The API bundle in one long-lived execution environment, so state it keeps in memory lasts across calls. */
export function lambdaSession(env: Record<string, string>): LambdaSession {
    const lambda = startLambdaEnvironment("api", env);
    return {
        env: lambda,
        call: async (event) => {
            const outcome = await lambda.answer(event);
            if (outcome.error) throw new Error(`${outcome.error.message}\n${lambda.output()}`);
            return outcome.result;
        },
        close: async () => {
            lambda.child.kill("SIGKILL");
            await lambda.exited;
        },
    };
}
