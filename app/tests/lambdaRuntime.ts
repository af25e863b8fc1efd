import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { builtBundle } from "./builtBundles";
import { compileCacheEnv } from "./compileCache";
import { LAMBDA_CONSOLE, lambdaLogEnv } from "./lambdaConsole";
import { RAPID_ERRORS } from "./lambdaErrors";

// A stand-in for the Lambda runtime's loop: one invocation at a time (as in one execution environment), each
// event a line on stdin, each outcome a line on fd 3 (apart from the logs). On SIGTERM it takes no new event,
// as the real runtime gets none in the Shutdown phase; the bundle's own SIGTERM handler decides when to exit.
const RUNTIME = `${LAMBDA_CONSOLE}
const { writeSync } = require("node:fs");
const { createInterface } = require("node:readline");
const { handler } = require(process.env.BUNDLE_UNDER_TEST);
// What the Node.js runtime does with an error that escapes the handler's promise (aws-lambda-nodejs-runtime-interface-client
// src/index.mjs and src/Runtime.js _setErrorCallbacks): it answers the invocation in progress with it, then exits, 128 for
// an unhandled rejection (wrapped as Runtime.UnhandledPromiseRejection: src/Errors.js),
// 129 for an uncaught exception. Node's default instead (exit 1, nothing answered) reads as Runtime.ExitError.
let answering;
const failInvocation = (error, code) => {
    if (answering !== undefined) writeSync(3, JSON.stringify({ i: answering, error }) + "\\n");
    process.exit(code);
};
// Named as the runtime names them (lambdaErrors.ts).
${RAPID_ERRORS}
process.on("unhandledRejection", (reason) => failInvocation(rejectionError(reason), 128));
process.on("uncaughtException", (e) => failInvocation(rapidError(e), 129));
let shuttingDown = false;
process.on("SIGTERM", () => (shuttingDown = true));
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
(async () => {
    for (let i = 0; !shuttingDown; i++) {
        const { value, done } = await lines.next();
        if (done || shuttingDown) break;
        let outcome;
        answering = i;
        try {
            standInRequestId = "req-" + i;
            outcome = { i, result: await handler(JSON.parse(value), {
                awsRequestId: "req-" + i,
                functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
                functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
                invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:" + process.env.AWS_LAMBDA_FUNCTION_NAME + ":live",
                getRemainingTimeInMillis: () => 30000,
            }) };
        } catch (e) {
            outcome = { i, error: handlerError(e) };
        }
        answering = undefined;
        writeSync(3, JSON.stringify(outcome) + "\\n");
    }
})();
`;

export interface RuntimeOutcome {
    i: number;
    result?: any;
    error?: { name: string; message: string };
}

export interface LambdaEnvironment {
    child: ChildProcess;
    /** Queues an invocation. */
    invoke(event: unknown): void;
    /**
     * Queues an invocation and resolves with its outcome; rejects as Lambda answers (Runtime.ExitError) when the process
     * ends without answering it, or has ended before it was sent (a promise that never settled hung the run: node:test
     * has no default timeout).
     */
    answer(event: unknown): Promise<RuntimeOutcome>;
    outcomes: RuntimeOutcome[];
    onOutcome(listener: (o: RuntimeOutcome) => void): void;
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    output: () => string;
}

/**
 * What Lambda itself sets in every execution environment (developer guide, "Defined runtime environment
 * variables"); the runtime's context carries the ARN it was invoked by, the `live` alias's
 * (Lambda-Runtime-Invoked-Function-Arn).
 */
export function lambdaOwnEnv(entry: "api" | "worker"): Record<string, string> {
    const name = `pipeline-${entry}`;
    return {
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_VERSION: "8",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    };
}

/**
 * What Lambda answers an invocation whose runtime process ended before answering it: errorType Runtime.ExitError, and
 * an errorMessage such as "RequestId: 1234aa1b-... Error: Runtime exited with error: exit status 129" (AWS Knowledge
 * Center, "lambda-runtime-error"). The end is in Go's os.ProcessState words: "exit status N", or for a signal
 * "signal: killed" as Lambda's logs show for a process the kernel killed.
 */
function runtimeExitMessage(requestId: string, exit: { code: number | null; signal: NodeJS.Signals | null }): string {
    const GO_SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = { SIGKILL: "killed", SIGTERM: "terminated", SIGABRT: "aborted", SIGSEGV: "segmentation fault" };
    const ended = exit.signal ? `signal: ${GO_SIGNAL_NAMES[exit.signal] ?? exit.signal}` : `exit status ${exit.code}`;
    return `RequestId: ${requestId} Error: Runtime exited with error: ${ended}`;
}

/** The user, group and working directory the runtime process gets (Lambda: a non-root user, cwd the task root). */
export interface RunAs {
    uid: number;
    gid: number;
    cwd: string;
}

/**
 * Starts `dist/<entry>.js` (or `bundle`, a handler file of the stand-in's own tests) in a process driven like one Lambda
 * execution environment, with only `env` (plus PATH). With `runAs`, as Lambda runs it: as that user, in that folder (the
 * task root), `env` its whole environment (Lambda's own variables are then the caller's to set).
 */
export function startLambdaEnvironment(entry: "api" | "worker", env: Record<string, string>, bundle = builtBundle(entry), runAs?: RunAs): LambdaEnvironment {
    const child = spawn(process.execPath, ["-e", RUNTIME], {
        // Run as Lambda runs it: `env` is then the whole environment (no PATH, compile cache or defaults of the runner's).
        env: runAs ? { ...lambdaLogEnv(env), ...env, BUNDLE_UNDER_TEST: bundle } : { PATH: process.env.PATH, LOG_LEVEL: "warn", ...compileCacheEnv(), ...lambdaLogEnv(env), ...lambdaOwnEnv(entry), ...env, BUNDLE_UNDER_TEST: bundle },
        stdio: ["pipe", "pipe", "pipe", "pipe"],
        ...runAs,
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const outcomes: RuntimeOutcome[] = [];
    const listeners: ((o: RuntimeOutcome) => void)[] = [];
    /** Invocations sent so far: the runtime numbers each by its line, from 0. */
    let sent = 0;
    const waiting = new Map<number, { resolve: (o: RuntimeOutcome) => void; reject: (e: Error) => void }>();
    listeners.push((o) => {
        waiting.get(o.i)?.resolve(o);
        waiting.delete(o.i);
    });
    // An outcome's line can be megabytes (a 6 MB answer) and comes in 64 KiB chunks: only each new chunk is searched for
    // the line's end, not the whole line so far for every chunk; and only whole lines are decoded, so a character
    // split across two chunks stays whole.
    let pending: Buffer[] = [];
    child.stdio[3]!.on("data", (d: Buffer) => {
        const end = d.lastIndexOf(10);
        if (end === -1) {
            pending.push(d);
            return;
        }
        const lines = Buffer.concat([...pending, d.subarray(0, end)]).toString().split("\n");
        pending = [d.subarray(end + 1)];
        for (const line of lines) {
            const outcome = JSON.parse(line) as RuntimeOutcome;
            outcomes.push(outcome);
            for (const l of listeners) l(outcome);
        }
    });
    child.stdin!.on("error", () => undefined); // events queued after the exit
    // "close", not "exit": the process can be gone before the last of what it printed has been read.
    const exited = once(child, "close").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    /** How the process ended, once it has: an invocation sent after that fails at once, as none will answer it. */
    let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const exitError = (i: number) => Object.assign(new Error(`${runtimeExitMessage(`req-${i}`, ended!)}\n${output}`), { name: "Runtime.ExitError" });
    void exited.then((exit) => {
        ended = exit;
        for (const [i, w] of waiting) w.reject(exitError(i));
        waiting.clear();
    });
    const invoke = (event: unknown) => {
        sent++;
        child.stdin!.write(`${JSON.stringify(event)}\n`);
    };
    return {
        child,
        invoke,
        answer: (event) =>
            new Promise((resolve, reject) => {
                if (ended) return reject(exitError(sent++));
                waiting.set(sent, { resolve, reject });
                invoke(event);
            }),
        outcomes,
        onOutcome: (l) => listeners.push(l),
        exited,
        output: () => output,
    };
}
