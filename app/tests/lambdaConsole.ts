/**
 * What the Lambda Node.js runtime does to `console` before it loads a handler, as JavaScript for the stand-in
 * runtimes (invokeBundle.ts, lambdaRuntime.ts) to run first. aws-lambda-nodejs-runtime-interface-client
 * src/LogPatch.js: with AWS_LAMBDA_LOG_FORMAT=JSON (the function's loggingConfig.logFormat) each console method
 * writes one line {"timestamp","level","requestId","message"} (formatJsonMessage: a single argument is the message
 * as it is, several are util.format'ed), and the methods below AWS_LAMBDA_LOG_LEVEL (applicationLogLevel) write
 * nothing. process.stdout.write is left alone: a line written there reaches CloudWatch Logs as written, which is the
 * only way an Embedded Metric Format document stays a top-level object that CloudWatch extracts.
 * The invocation's request ID is the runtime's own: the Node.js 24 client keeps it in its InvokeStore
 * (src/logging/stdout-logger.ts: `this.invokeStore.getRequestId()`), no longer under the global symbol earlier clients
 * set (LogPatch.js, REQUEST_ID_SYMBOL), so the stand-ins keep it in a variable of their own (`standInRequestId`, set by
 * the runtime loop before each invocation) that a handler cannot read: the handler has it from its context.
 */
export const LAMBDA_CONSOLE = `
let standInRequestId;
if (process.env.AWS_LAMBDA_LOG_FORMAT === "JSON") {
    const util = require("node:util");
    const levels = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
    const threshold = levels[(process.env.AWS_LAMBDA_LOG_LEVEL ?? "").toUpperCase()] ?? levels.TRACE;
    const writer = (level) => (...params) => {
        if (levels[level] < threshold) return;
        const line = { timestamp: new Date().toISOString(), level, requestId: standInRequestId };
        line.message = params.length === 1 ? params[0] : util.format(...params);
        process.stdout.write(JSON.stringify(line).replace(/\\n/g, "\\r") + "\\n");
    };
    Object.assign(console, { trace: writer("TRACE"), debug: writer("DEBUG"), info: writer("INFO"), log: writer("INFO"), warn: writer("WARN"), error: writer("ERROR") });
}
`;

/** What Lambda sets in the function's environment from its loggingConfig (logFormat JSON, applicationLogLevel LOG_LEVEL). */
export function lambdaLogEnv(env: Record<string, string>): Record<string, string> {
    return { AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: (env.LOG_LEVEL ?? "warn").toUpperCase() };
}
