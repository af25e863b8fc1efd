import { ChildProcess, spawn, spawnSync } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as path from "path";
import { createServer } from "net";
import { projectRoot } from "../../config/projectRoot";
import { serviceNode } from "../test/serviceNode";

// npm test's runner's own reader (plain JS, which the type-check does not read): its type given here.
const { childrenCpuSeconds } = require("../test/childrenCpu") as { childrenCpuSeconds: () => number | undefined };

export const ROOT = projectRoot();
/** The Node the service's image runs (24, app/Dockerfile's base image), from app's own dependencies. */
export const SERVICE_NODE = serviceNode(ROOT);

/** The oldest Node major the Pulumi SDK runs on: package.json's `engines.node`, ">=N". */
const SDK_NODE_MAJOR = Number(/^>=(\d+)/.exec(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node)?.[1]);

/**
 * The Node `pulumi up` would start the program on: `node` on PATH, here the one running the bench, unless the SDK does
 * not support it (this machine's 20 is below package.json's engines); then the service's, which the workflows and
 * Deployments' image run. A figure of the program on a Node it does not support describes no real run.
 */
export function programNode(version = process.versions.node): string {
    return Number(version.split(".")[0]) >= SDK_NODE_MAJOR ? process.execPath : SERVICE_NODE;
}

/** The version of a Node executable (the running one's without starting it). */
export function nodeVersionOf(node: string): string {
    return node === process.execPath ? process.versions.node : spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
}

/** A loopback port nothing listens on now (the kernel's pick, released at once). */
export async function freePort(): Promise<number> {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    return port;
}

/** A measured command that exited other than 0: the end of its output in the message, and how long it ran. */
export class CommandFailure extends Error {
    constructor(
        message: string,
        readonly ms: number,
    ) {
        super(message);
    }
}

/**
 * The CPU time (ms, user + system) of every child process this one has reaped so far, and of the processes they reaped
 * in turn; undefined without /proc (not Linux), which counts it in 10 ms ticks.
 */
export function reapedChildrenCpuMs(): number | undefined {
    const seconds = childrenCpuSeconds();
    return seconds === undefined ? undefined : seconds * 1000;
}

/**
 * The CPU ms of the children reaped since `before` (reapedChildrenCpuMs()): around one child, with no other running,
 * that child's own cost, which other work on the machine does not add to as it does to wall time.
 */
export function childCpuMsSince(before: number | undefined): number | undefined {
    const now = reapedChildrenCpuMs();
    return now === undefined || before === undefined ? undefined : now - before;
}

/**
 * Runs a command to completion and returns its wall time in ms and its CPU time (childCpuMsSince); throws a
 * CommandFailure with its output when it fails.
 */
export function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; cpuMs: number | undefined; stdout: string } {
    const cpuBefore = reapedChildrenCpuMs();
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new CommandFailure(`${[command, ...args].join(" ")} ${howItEnded(result)}:\n${endOf(`${result.stdout ?? ""}\n${result.stderr ?? ""}`)}`, ms);
    return { ms, cpuMs: childCpuMsSince(cpuBefore), stdout: result.stdout };
}

/** A failed run's end in spawnSync's terms: an exit code, a signal, or why it could not run to its end (ENOENT, ENOBUFS). */
function howItEnded(result: { status: number | null; signal: NodeJS.Signals | null; error?: Error }): string {
    if (result.error) return `did not run to its end (${result.error.message})`;
    if (result.signal) return `was stopped by ${result.signal}`;
    return `exited ${result.status}`;
}

/** How much of a failed command's output its error keeps. */
const SHOWN_OUTPUT = 4000;

/**
 * The end of a failed command's output, where it says why (npm test repeats each failed check's failures at its end,
 * scripts/test/all.js): its start is the checks that began, which say nothing of the failure.
 */
function endOf(output: string): string {
    if (output.length <= SHOWN_OUTPUT) return output;
    return `(its first ${output.length - SHOWN_OUTPUT} characters left out)\n${output.slice(-SHOWN_OUTPUT)}`;
}

/**
 * How long a start may take before it is taken for a hang: a guard, not a measure (the bench measures cold start).
 * Specs start the service beside the other test worker and the service's own tests, and on two busy cores a 2 MB
 * bundle's start can take many seconds (app/tests/helpers.ts allows the same).
 */
const START_GUARD_MS = 30_000;

/**
 * Starts the reference service on a port, on the Node its image runs, and resolves once /ready answers 200, with
 * the time that took.
 */
export async function startService(entry: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; readyMs: number }> {
    const start = process.hrtime.bigint();
    const child = spawn(SERVICE_NODE, [entry], {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port), LOG_LEVEL: "warn", ...env },
        stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    for (;;) {
        if (child.exitCode !== null) throw new Error(`${entry} exited ${child.exitCode} before it was ready: ${stderr}`);
        try {
            const res = await fetch(`http://127.0.0.1:${port}/ready`);
            await res.arrayBuffer();
            if (res.status === 200) return { child, readyMs: Number(process.hrtime.bigint() - start) / 1e6 };
        } catch {
            // not listening yet
        }
        if (Number(process.hrtime.bigint() - start) / 1e6 > START_GUARD_MS) {
            child.kill("SIGKILL");
            throw new Error(`${entry} was not ready within ${START_GUARD_MS / 1000} s: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 2));
    }
}

export async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
}
