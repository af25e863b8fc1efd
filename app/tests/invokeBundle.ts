import { spawn } from "node:child_process";
import { once } from "node:events";
import { builtBundle } from "./builtBundles";
import { compileCacheEnv } from "./compileCache";
import { LAMBDA_CONSOLE, lambdaLogEnv } from "./lambdaConsole";
import { RAPID_ERRORS } from "./lambdaErrors";

export interface Invocation {
    /** What the handler returned, when it did. */
    result?: any;
    /** What it threw (or what loading the bundle threw: `phase` "init"), as the Lambda runtime reports it: errorType is `name`. */
    error?: { phase: "init" | "invoke"; name: string; message: string };
    /** Everything the bundle printed (logs). */
    output: string;
}

// Loads the bundle and calls its handler the way the Lambda runtime does; the outcome goes out on fd 3, apart from the logs.
const RUNTIME = `${LAMBDA_CONSOLE}
const { writeSync } = require("node:fs");
let reported = false;
const report = (outcome) => reported || ((reported = true), writeSync(3, JSON.stringify(outcome)));
// An error that escapes the handler's promise is the outcome of the phase in progress (init, or the invocation), and then
// the process exits: 128 for an unhandled rejection, 129 for an uncaught exception (aws-lambda-nodejs-runtime-interface-client
// src/index.mjs, src/Runtime.js _setErrorCallbacks), not Node's default of exit 1 with nothing reported; each named as
// the runtime names it (lambdaErrors.ts).
let phase = "init";
const escaped = (error, code) => {
    report({ error: { phase, ...error } });
    process.exit(code);
};
${RAPID_ERRORS}
process.on("unhandledRejection", (reason) => escaped(rejectionError(reason), 128));
process.on("uncaughtException", (e) => escaped(rapidError(e), 129));
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c)).on("end", async () => {
    let handler;
    try {
        ({ handler } = require(process.env.BUNDLE_UNDER_TEST));
    } catch (e) {
        return report({ error: { phase: "init", ...rapidError(e) } });
    }
    try {
        // The context's members as the Node.js runtime documents them ("Using the Lambda context object"); invoked through
        // the alias the Function URL serves.
        const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? "pipeline-api";
        const context = {
            functionName,
            functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
            invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:" + functionName + ":live",
            awsRequestId: "test",
            getRemainingTimeInMillis: () => 30000,
        };
        standInRequestId = context.awsRequestId;
        phase = "invoke";
        report({ result: await handler(JSON.parse(Buffer.concat(chunks).toString()), context) });
    } catch (e) {
        report({ error: { phase: "invoke", ...handlerError(e) } });
    }
});
`;

/** Invokes `dist/<entry>.js`'s handler (or `bundle`'s, a handler file of the stand-in's own tests) in a fresh process with only `env` (plus PATH) set. */
export async function invokeBundle(entry: "api" | "worker", event: unknown, env: Record<string, string>, bundle = builtBundle(entry)): Promise<Invocation> {
    const child = spawn(process.execPath, ["-e", RUNTIME], {
        env: { PATH: process.env.PATH, LOG_LEVEL: "warn", ...compileCacheEnv(), ...lambdaLogEnv(env), ...env, BUNDLE_UNDER_TEST: bundle },
        stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    let output = "";
    let outcome = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.stdio[3]!.on("data", (d) => (outcome += d));
    child.stdin!.end(JSON.stringify(event));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await once(child, "close");
    clearTimeout(timer);
    if (!outcome) throw new Error(`the bundle reported nothing: ${output}`);
    return { ...JSON.parse(outcome), output };
}
