const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * Each level's name in Cloud Logging's LogSeverity: Cloud Run files a JSON line's `severity` as the entry's
 * severity, and every line without one as DEFAULT (Cloud Logging, "Special JSON fields in messages"). Lambda reads
 * `level` instead (Lambda developer guide, "Log-level filtering"): each line carries both.
 */
const SEVERITY = { debug: "DEBUG", info: "INFO", warn: "WARNING", error: "ERROR" } as const;

/**
 * The key of the line's RFC 3339 time: Cloud Logging reads `time` ("Special JSON fields in messages"); Lambda's
 * log-level filtering reads `timestamp` and files a line without a valid one at INFO, whatever its level (Lambda
 * developer guide, "Log-level filtering"), so on Lambda (which sets AWS_LAMBDA_FUNCTION_NAME) the line says `timestamp`.
 */
const ON_LAMBDA = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
const TIME_KEY = ON_LAMBDA ? "timestamp" : "time";

/**
 * Where the Lambda Node.js runtime keeps the invocation's request ID, which its own JSON log lines carry as `requestId`
 * (aws-lambda-nodejs-runtime-interface-client src/LogPatch.js, REQUEST_ID_SYMBOL): lines this module writes to stdout
 * bypass that patch, so they carry it themselves, and CloudWatch Logs Insights finds them beside START and REPORT.
 */
const REQUEST_ID = Symbol.for("aws.lambda.runtime.requestId");
const lambdaRequestId = (): { requestId?: string } => {
    const id = (globalThis as { [REQUEST_ID]?: unknown })[REQUEST_ID];
    return typeof id === "string" ? { requestId: id } : {};
};

let threshold: number = LEVELS.info;

export function setLogLevel(level: LogLevel): void {
    threshold = LEVELS[level];
}

/**
 * One JSON object a line on stdout, the format Cloud Logging and CloudWatch parse; `message` is the line Logs
 * Explorer shows for the entry. The fields come first; the fixed keys are written after them, and win.
 */
function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < threshold) return;
    const invocation = ON_LAMBDA ? lambdaRequestId() : undefined;
    process.stdout.write(`${JSON.stringify({ ...fields, ...invocation, level, severity: SEVERITY[level], [TIME_KEY]: new Date().toISOString(), message })}\n`);
}

export const log = {
    debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
    info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
    warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
    error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

/**
 * Node's own warnings (deprecations, listener leaks) as log lines: Node prints them to stderr as plain text, several
 * lines each, which the platforms keep as entries of their own without a severity. The GCS client's node-fetch 2
 * raises two at its first request (DEP0040 for `punycode`, DEP0169 for `url.parse()`).
 */
export function logNodeWarnings(): void {
    process.removeAllListeners("warning");
    process.on("warning", (warning: Error & { code?: string }) => log.warn("node warning", { name: warning.name, code: warning.code, warning: warning.message }));
}
