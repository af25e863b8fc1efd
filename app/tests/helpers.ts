import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { IncomingHttpHeaders, IncomingMessage, request } from "node:http";
import { createServer } from "node:net";
import { builtBundle } from "./builtBundles";
import { compileCacheEnv } from "./compileCache";
import type { RunAs } from "./lambdaRuntime";

export async function freePort(): Promise<number> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    server.close();
    return port;
}

/**
 * How long a server may take to get ready (or to exit on bad settings) before the test gives up on it: a guard
 * against a hang, not a measure (the bench measures cold start). npm test runs test files side by side with the
 * program's tests and type-checks, and on two busy cores a 2 MB bundle's start can take seconds.
 */
const START_GUARD_MS = 30_000;

export interface RunningServer {
    url: string;
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
    stop: () => Promise<number | null>;
}

/**
 * How many ports startServer tries. freePort's port is free when it is chosen, but another process may bind it before
 * the server listens on it: npm test's other checks open sockets all the time, and a connection's local port counts
 * (CI failed so: the server's "cannot listen on PORT", code EADDRINUSE, and the test with it).
 */
const PORT_ATTEMPTS = 5;

/** The server's own log line when another process holds its PORT (src/server.ts, cannotListen). */
const PORT_TAKEN = /"code":"EADDRINUSE"[^\n]*"message":"cannot listen on PORT"/;

/**
 * The built server (or `server`, a copy of it) as a real process on a free port, resolved once /ready answers 200. With
 * `runAs`, as a runtime runs it: as that user, in that folder, `env` its whole environment besides PORT (no PATH,
 * compile cache or defaults of the runner's). A port taken before the server listened on it is given up for another
 * (PORT_ATTEMPTS); `choosePort` picks each (freePort).
 */
export async function startServer(env: Record<string, string> = {}, server = builtBundle("server"), runAs?: RunAs, choosePort = freePort): Promise<RunningServer> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await startServerOn(await choosePort(), env, server, runAs);
        } catch (err) {
            if (!(err instanceof PortTaken) || attempt >= PORT_ATTEMPTS) throw err;
        }
    }
}

/** The server exited because another process held its port. */
class PortTaken extends Error {}

async function startServerOn(port: number, env: Record<string, string>, server: string, runAs: RunAs | undefined): Promise<RunningServer> {
    const child = spawn(process.execPath, [server], {
        env: runAs ? { ...env, PORT: String(port) } : { PATH: process.env.PATH, PORT: String(port), LOG_LEVEL: "warn", ...compileCacheEnv(), ...env },
        stdio: ["ignore", "pipe", "pipe"],
        ...runAs,
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    // "close", not "exit": the process can be gone before the last of what it printed has been read.
    const exited = once(child, "close").then(([code]) => code as number | null);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_GUARD_MS;
    for (;;) {
        if (child.exitCode !== null) {
            await exited;
            throw new (PORT_TAKEN.test(output) ? PortTaken : Error)(`server exited ${child.exitCode}: ${output}`);
        }
        try {
            // Bounded: what holds the port may be another process that takes the connection and never answers.
            const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1_000) });
            if (res.status === 200) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            child.kill("SIGKILL");
            throw new Error(`server not ready: ${output}`);
        }
        await new Promise((r) => setTimeout(r, 20));
    }
    return {
        url,
        child,
        output: () => output,
        exited,
        stop: async () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
        },
    };
}

/**
 * A PUT the server is reading (`started`: it answered the request's Expect: 100-continue, which it does when the
 * route reads the body, server.ts checkContinue, and the first byte is sent) that ends only when `end` is called: a
 * request that stays in flight.
 */
export function uploadInFlight(url: string, name: string): { started: Promise<void>; status: Promise<number | undefined>; end: () => void } {
    const upload = request(`${url}/objects/${name}`, { method: "PUT", headers: { "content-type": "text/plain", expect: "100-continue", "content-length": "2" } });
    const status = once(upload, "response").then(async ([res]: IncomingMessage[]) => {
        res.resume();
        await once(res, "end");
        return res.statusCode;
    });
    const started = once(upload, "continue").then(() => new Promise<void>((written) => upload.write("a", () => written())));
    return { started, status, end: () => upload.end("b") };
}

/** Resolves once the server has printed a line matching `pattern`; fails if it exits first. */
export function waitForOutput(server: RunningServer, pattern: RegExp): Promise<void> {
    return new Promise((resolve, reject) => {
        const check = () => {
            if (!pattern.test(server.output())) return;
            stop();
            resolve();
        };
        const exited = () => (stop(), reject(new Error(`the server exited before printing ${pattern}: ${server.output()}`)));
        const stop = () => {
            server.child.stdout!.off("data", check);
            server.child.stderr!.off("data", check);
            server.child.off("close", exited);
        };
        server.child.stdout!.on("data", check);
        server.child.stderr!.on("data", check);
        server.child.once("close", exited);
        check();
    });
}

/** What /ready answered, and how long after the polling began. */
export interface ReadyAnswer {
    status: number;
    body: unknown;
    ms: number;
}

/**
 * Polls `url`/ready every `everyMs` until `wanted` holds for its status, and returns that answer; fails naming the
 * last status once `withinMs` has passed.
 */
export async function readyWhen(url: string, wanted: (status: number) => boolean, withinMs: number, everyMs = 100): Promise<ReadyAnswer> {
    const started = Date.now();
    for (;;) {
        const res = await fetch(`${url}/ready`);
        const ms = Date.now() - started;
        if (wanted(res.status)) return { status: res.status, body: await res.json(), ms };
        await res.body?.cancel();
        if (ms > withinMs) throw new Error(`/ready still ${res.status} after ${withinMs} ms`);
        await new Promise((r) => setTimeout(r, everyMs));
    }
}

/** Runs the server with some env and returns how it exited and what it printed (for bad settings). */
export async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const port = await freePort();
    const child = spawn(process.execPath, [builtBundle("server")], { env: { PATH: process.env.PATH, PORT: String(port), ...compileCacheEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), START_GUARD_MS);
    const [code] = await once(child, "close"); // not "exit": its last words may not have been read yet
    clearTimeout(timer);
    return { code, output };
}

/** One HTTP exchange, its answer's body read whole. */
export function httpCall(url: string, method: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
        const req = request(url, { method, headers: body ? { ...headers, "content-length": String(body.length) } : headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
    });
}
