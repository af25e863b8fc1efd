/**
 * Stands in for one Lambda execution environment: a child process (Node 24, type stripping) whose environment
 * is the function's, that loads the built bundle named by the image command at init, as Lambda's Node runtime
 * does, and runs one invocation at a time. Started by lambdaProcess.ts with a FunctionSpec as argv[2].
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { FromLambdaHost, FunctionError, FunctionSpec, Invocation, ToLambdaHost } from "./protocol";

const spec: FunctionSpec = JSON.parse(process.argv[2]);
const send = (message: FromLambdaHost) => process.send!(message);

function loadHandler(): (event: unknown, context: object) => Promise<unknown> {
    const dot = spec.command.lastIndexOf(".");
    const [file, exportName] = [spec.command.slice(0, dot), spec.command.slice(dot + 1)];
    const exports = createRequire(path.join(spec.bundleDir, "index.js"))(`./${file}.js`);
    if (typeof exports[exportName] !== "function") throw new Error(`${file}.js exports no function ${exportName} (image command ${spec.command})`);
    return exports[exportName];
}

/** Lambda's Node runtime: errorType the error's name, trace the stack's lines; a non-Error its typeof and String()
 * (aws/aws-lambda-nodejs-runtime-interface-client src/utils/error.ts formatError; its \x7F→%7F escaping is left out). */
function functionError(thrown: unknown): FunctionError {
    if (thrown instanceof Error) return { errorType: thrown.name, errorMessage: thrown.message, trace: (thrown.stack ?? "").split("\n") };
    // A promise rejected with undefined or null fails as the string "handled" (src/CallbackContext.js, fail: done('handled')).
    if (thrown === undefined || thrown === null) return { errorType: "string", errorMessage: "handled", trace: [] };
    return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

/**
 * The response body as the runtime posts it: JSON of the result, undefined as null; a result JSON.stringify refuses
 * (a BigInt, a cycle) fails the invocation with the runtime's own Error, not the TypeError JSON.stringify threw
 * (src/RAPIDClient.js _trySerializeResponse: "Unable to stringify response body").
 */
function responseBody(result: unknown): string {
    try {
        return JSON.stringify(result === undefined ? null : result);
    } catch {
        throw new Error("Unable to stringify response body");
    }
}

function lambdaContext() {
    const deadline = Date.now() + spec.timeoutSeconds * 1000;
    return {
        functionName: spec.functionName,
        functionVersion: spec.version,
        invokedFunctionArn: `${spec.functionArn}:${spec.qualifier}`,
        memoryLimitInMB: String(spec.memoryMb),
        awsRequestId: randomUUID(),
        logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        callbackWaitsForEmptyEventLoop: true,
    };
}

async function invoke(handler: ReturnType<typeof loadHandler>, event: unknown): Promise<Invocation> {
    try {
        // Lambda answers with the JSON of the result: undefined becomes null, class instances plain objects.
        return { ok: true, payload: JSON.parse(responseBody(await handler(event, lambdaContext()))), executedVersion: spec.version };
    } catch (thrown) {
        return { ok: false, error: functionError(thrown) };
    }
}

const handler = loadHandler();
let previous: Promise<unknown> = Promise.resolve();
process.on("message", (message: ToLambdaHost) => {
    previous = previous.then(async () => send({ type: "invoked", id: message.id, ...(await invoke(handler, message.event)) }));
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
