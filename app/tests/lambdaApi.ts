import assert from "node:assert/strict";
import { startLambdaEnvironment } from "./lambdaRuntime";
import { TimingBound } from "./timingBounds";

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

/** The body of a Function URL result as the JSON it holds. */
export const resultJson = (result: { body?: string; isBase64Encoded?: boolean }) => JSON.parse(resultBytes(result).toString());

/**
 * A dependency that never answers, as a fresh environment's API answers it: 503 with Retry-After once
 * STORAGE_DEADLINE_MS (1.5 s) has passed, though three attempts of 1 s each would take 3 s. `warmUp` makes a first call
 * that is answered at once, so that the time measured is the stalled call's, not the process's start or the SDK's load.
 */
export async function assertAnsweredByDeadline(
    env: Record<string, string>,
    calls: { warmUp: (api: LambdaApi) => Promise<void>; stalled: (api: LambdaApi) => Promise<any> },
    bound: TimingBound,
): Promise<void> {
    const api = startLambdaApi({ ...env, STORAGE_MAX_ATTEMPTS: "3", STORAGE_ATTEMPT_TIMEOUT_MS: "1000", STORAGE_DEADLINE_MS: "1500" });
    try {
        await calls.warmUp(api);
        const started = Date.now();
        const result = await calls.stalled(api);
        const waited = Date.now() - started;
        assert.equal(result.statusCode, 503);
        assert.equal(result.headers["retry-after"], "1");
        assert.ok(waited >= 1_400, `answered in ${waited} ms`);
        bound(waited < 2_800, `answered in ${waited} ms`);
    } finally {
        await api.stop();
    }
}
