import { AsyncLocalStorage } from "node:async_hooks";

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
const TIME_KEY = process.env.AWS_LAMBDA_FUNCTION_NAME ? "timestamp" : "time";

/**
 * The Lambda invocation a line is written in, from its context's awsRequestId: the runtime's own JSON lines carry it
 * as `requestId`, and lines this module writes to stdout bypass the runtime's console, so they carry it themselves,
 * and CloudWatch Logs Insights finds them beside START and REPORT. The runtime keeps its copy to itself (the Node.js 24
 * client in its InvokeStore; earlier clients under a global symbol), so the handler's context is the one source.
 */
const invocation = new AsyncLocalStorage<string>();

/** A Lambda handler whose every log line, through its awaits, names the invocation it serves. */
export function inInvocation<H extends (event: any, context?: any) => Promise<unknown>>(handler: H): H {
    return ((event: unknown, context?: { awsRequestId?: unknown }) => {
        const requestId = context?.awsRequestId;
        return typeof requestId === "string" ? invocation.run(requestId, () => handler(event, context)) : handler(event, context);
    }) as H;
}

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
    const requestId = invocation.getStore();
    process.stdout.write(`${JSON.stringify({ ...fields, ...(requestId ? { requestId } : {}), level, severity: SEVERITY[level], [TIME_KEY]: new Date().toISOString(), message })}\n`);
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
