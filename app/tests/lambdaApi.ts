import { startLambdaEnvironment } from "./lambdaRuntime";

export interface LambdaApi {
    /**
     * One invocation of `api.handler`, answered before the next starts (as in one execution environment): resolves
     * with what it returned, rejects with what it threw (its name and message, the function's output after its stack).
     */
    call(event: unknown): Promise<any>;
    stop: () => Promise<void>;
}

/** The built Lambda API bundle in one long-lived execution environment: state it keeps in memory lasts across calls. */
export function startLambdaApi(env: Record<string, string>): LambdaApi {
    const lambda = startLambdaEnvironment("api", env);
    return {
        call: async (event) => {
            const outcome = await lambda.answer(event);
            if (!outcome.error) return outcome.result;
            const error = Object.assign(new Error(outcome.error.message), { name: outcome.error.name });
            error.stack += `\nfunction output:\n${lambda.output()}`;
            throw error;
        },
        stop: async () => {
            lambda.child.kill("SIGKILL");
            await lambda.exited;
        },
    };
}

/** The body of a Function URL result as bytes, whether it came back as text or base64. */
export const resultBytes = (result: { body?: string; isBase64Encoded?: boolean }) => Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
