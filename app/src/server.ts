/**
 * The HTTP server for Cloud Run and local use (`npm start`). On SIGTERM it drains: /ready answers 503 at once,
 * requests in flight finish (bounded by DRAIN_TIMEOUT_MS; each one's storage work by STORAGE_DEADLINE_MS),
 * requests that arrive meanwhile get a 503 with `connection: close`, then the listener closes and the process
 * exits 0 (1 when the drain timed out). Cloud Run sends SIGTERM and SIGKILLs 10 s later.
 */
import { getRequestListener, RequestError } from "@hono/node-server";
import { STATUS_CODES, createServer, type IncomingMessage, type ServerResponse } from "http";
import type { Duplex } from "stream";
import { bootstrap } from "./bootstrap";
import { log, logNodeWarnings } from "./log";
import { JSON_ERROR_HEADERS } from "./securityHeaders";
import { SettingsError } from "./settings";

/** After the last request of the drain, how long a connection still busy with a refusal may take to close. */
const CLOSE_GRACE_MS = 500;
/** Node's default time for a request's headers to arrive (kept, unless BODY_TIMEOUT_MS is shorter). */
const HEADERS_TIMEOUT_MS = 60_000;
/** How often Node checks for requests past their time. */
const CHECK_INTERVAL_MS = 250;

/**
 * What Node answers itself when the HTTP parser refuses a request or a request's time runs out (requestTimeout), by
 * the error's code (nodejs/node lib/_http_server.js, socketOnError: 431 for HPE_HEADER_OVERFLOW, 413 for
 * HPE_CHUNK_EXTENSIONS_OVERFLOW, 408 for ERR_HTTP_REQUEST_TIMEOUT, else 400).
 */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = { HPE_HEADER_OVERFLOW: 431, HPE_CHUNK_EXTENSIONS_OVERFLOW: 413, ERR_HTTP_REQUEST_TIMEOUT: 408 };

/**
 * The answer to a request Node refuses before any listener sees it. Without a 'clientError' listener Node writes a bare
 * `HTTP/1.1 <status>\r\nConnection: close` (socketOnError), none of the service's headers: the 408 to a body trickled
 * past BODY_TIMEOUT_MS and the 431 to headers over Node's 16 KiB went out so. Same status, same conditions (a writable
 * socket, nothing of an answer in flight written yet), then the socket destroyed, as Node does; with the headers and a JSON error.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex) {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (socket.writable && (!inFlight || !inFlight.headersSent)) {
        const status = CLIENT_ERROR_STATUS[err.code ?? ""] ?? 400;
        writeRawAnswer(socket, status);
        // Node raises ERR_HTTP_REQUEST_TIMEOUT when headersTimeout or requestTimeout runs out: the client was slow, its
        // request not malformed.
        const what = err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "request not complete in time (its headers or its whole, BODY_TIMEOUT_MS)" : "request refused by the HTTP parser";
        log.warn(what, { status, code: err.code });
    }
    socket.destroy(err);
}

/** A JSON error with the service's headers, for an answer after which the connection closes. */
function closingErrorAnswer(error: string) {
    const body = JSON.stringify({ error });
    return { body, headers: { ...JSON_ERROR_HEADERS, "content-length": String(Buffer.byteLength(body)), connection: "close" } };
}

/** A whole answer written on the socket itself (no ServerResponse exists for it): the service's headers, a JSON error, `connection: close`. */
function writeRawAnswer(socket: Duplex, status: number) {
    const reason = STATUS_CODES[status] ?? "Bad Request";
    const { body, headers } = closingErrorAnswer(reason.toLowerCase());
    const head = [`HTTP/1.1 ${status} ${reason}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    socket.write(`${head.join("\r\n")}\r\n\r\n${body}`);
}

/**
 * An error nothing caught (a throw in a callback, a rejection nobody awaited) ends the process, as Node's default does
 * (exit 1): its state is not known any more. Node's default prints the stack to stderr as plain text, one log entry a
 * line and none with a severity on Cloud Run ("Logs written directly to stdout or stderr" have no log level), so the
 * crash that fails every request in flight showed in no ERROR filter or alert. One JSON line at ERROR instead, stack
 * included; a rejection reaches this too (Node's default --unhandled-rejections=throw raises it as an uncaught
 * exception, `origin` "unhandledRejection"). Lambda's runtime client installs its own handlers; this is the server's.
 */
function exitOnUncaught(err: unknown, origin: string) {
    const e = err instanceof Error ? err : undefined;
    log.error("uncaught error: exiting", { origin, error: e ? e.message : String(err), stack: e?.stack });
    process.exit(1);
}

function start() {
    logNodeWarnings();
    process.on("uncaughtException", exitOnUncaught);
    let boot: ReturnType<typeof bootstrap>;
    try {
        boot = bootstrap("server");
    } catch (err) {
        // One JSON line at ERROR, as every other line: plain text is an entry per line with no severity on Cloud Run
        // (each line of stdout or stderr is an entry; "Logs written directly to stdout or stderr" have no log level).
        if (err instanceof SettingsError) {
            log.error(err.message);
            process.exit(2);
        }
        throw err;
    }
    const { settings, app, lifecycle } = boot;
    /** Requests that arrived before the drain began: the drain waits for these and only these. */
    const working = new Map<ServerResponse, IncomingMessage>();
    let finishing = false;

    // Node answers 408 and closes the connection when a request has not fully arrived within `requestTimeout`
    // (checked every `connectionsCheckingInterval`): a body trickled in cannot hold a request for long.
    const serverOptions = {
        // Node answers an HTTP/1.1 request without Host itself, a bare 400 (lib/_http_server.js, parserOnIncoming,
        // requireHostHeader): @hono/node-server refuses it too ("Missing host header"), through errorHandler below.
        requireHostHeader: false,
        requestTimeout: settings.BODY_TIMEOUT_MS,
        headersTimeout: Math.min(HEADERS_TIMEOUT_MS, settings.BODY_TIMEOUT_MS),
        connectionsCheckingInterval: Math.min(CHECK_INTERVAL_MS, settings.BODY_TIMEOUT_MS),
    };
    // What @hono/node-server answers itself, before the app, for a target it cannot build a request from (a backslash in
    // the path, a malformed or missing Host): with the service's headers and a JSON error, as the Function URL handler
    // answers a malformed event, not its bare 400. (`serve` passes no errorHandler, so the listener is built here.)
    const answer = (status: number, error: string) => new Response(JSON.stringify({ error }), { status, headers: JSON_ERROR_HEADERS });
    const errorHandler = (err: unknown) => {
        const message = (err as Error).message;
        if (err instanceof RequestError) {
            log.warn("request refused before the app", { error: message });
            return answer(400, `bad request: ${message}`);
        }
        log.error("request failed before the app", { error: message });
        return answer(500, "internal error");
    };
    const server = createServer(serverOptions, getRequestListener(app.fetch, { errorHandler }));
    server.listen(settings.PORT, () => {
        const address = server.address();
        log.info("listening", { port: typeof address === "object" && address ? address.port : settings.PORT, storage: settings.STORAGE_BACKEND, version: settings.APP_VERSION });
    });
    // A port another process holds (EADDRINUSE) or this user may not open (EACCES) is an 'error' event; unhandled, Node
    // ends with a stack trace that names neither the port nor PORT.
    const cannotListen = (err: NodeJS.ErrnoException) => {
        log.error("cannot listen on PORT", { port: settings.PORT, code: err.code, error: err.message });
        process.exit(1);
    };
    server.once("error", cannotListen);
    server.on("clientError", answerClientError);
    server.once("listening", () => server.off("error", cannotListen));
    // Expect: 100-continue. Without this listener Node answers 100 at once, and the client sends a body the service may
    // refuse from its headers alone (413 by Content-Length, 429, 401): the 100 goes out only once the body is read,
    // which every route does through a 'data' listener (Readable.toWeb), so 'resume' is emitted. A request without a
    // body gets it at once, as before: Node closes the connection after a final answer that was never preceded by 100.
    server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
        const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
        if (!hasBody) res.writeContinue();
        // Node resumes an unread body itself once the answer is sent, to drain it: no 100 after a final answer.
        else req.once("resume", () => res.headersSent || res.writeContinue());
        server.emit("request", req, res);
    });
    // An Expect other than 100-continue: Node's own answer is a bare 417 (parserOnIncoming), none of the service's headers.
    server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) => {
        const { body, headers } = closingErrorAnswer("expectation failed: only Expect: 100-continue is understood");
        res.writeHead(417, headers).end(body);
    });
    // CONNECT (a proxy's tunnel): without a listener Node destroys the socket, not a byte of an answer
    // (onParserExecuteCommon, "Got CONNECT method, but have no handler").
    server.on("connect", (_req: IncomingMessage, socket: Duplex) => {
        writeRawAnswer(socket, 405);
        socket.end();
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
        if (lifecycle.draining) return; // refused with 503 (see app.ts) or a probe: not waited for
        working.set(res, req);
        res.once("close", () => {
            working.delete(res);
            if (lifecycle.draining && working.size === 0) finish(0);
        });
    });

    function finish(code: number) {
        if (finishing) return;
        finishing = true;
        server.close(() => process.exit(code));
        server.closeIdleConnections();
        // A connection busy with a refusal closes by itself (connection: close); none may hold the exit up.
        const all = () => server.closeAllConnections();
        if (code !== 0) all();
        else setTimeout(all, CLOSE_GRACE_MS).unref();
    }

    // Keeps listening while draining, so /ready can answer 503 and late requests get a 503, not a refused connection.
    function drain(signal: string) {
        if (lifecycle.draining) return;
        lifecycle.draining = true;
        log.info("draining", { signal, inFlight: working.size, timeoutMs: settings.DRAIN_TIMEOUT_MS });
        if (working.size === 0) return finish(0);
        // Bodies still arriving when only the storage deadline is left are cut (nothing of them was
        // acknowledged), so every request the drain waits for can finish before DRAIN_TIMEOUT_MS.
        setTimeout(() => {
            for (const req of working.values()) {
                if (!req.complete) req.socket.destroy();
            }
        }, settings.DRAIN_TIMEOUT_MS - settings.STORAGE_DEADLINE_MS).unref();
        setTimeout(() => {
            log.warn("drain timeout: closing with requests in flight", { inFlight: working.size });
            finish(1);
        }, settings.DRAIN_TIMEOUT_MS).unref();
    }
    process.on("SIGTERM", () => drain("SIGTERM"));
    process.on("SIGINT", () => drain("SIGINT"));
}

start();
