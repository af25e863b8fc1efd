import { once } from "events";
import * as http from "http";
import { AddressInfo } from "net";

/** A local HTTP server that takes every request and never answers, but those `answer` chooses to answer. */
export interface SilentServer {
    url: string;
    /** The request URLs (path and query) that reached it, in order. */
    asked: string[];
    /** Drops its connections (the requests still waiting) and closes it. */
    stop(): Promise<void>;
}

/**
 * Starts a SilentServer on loopback: the "never answers" of a proxy or firewall that takes the connection and the
 * request and stays silent (a behaviour, not words). `answer` may answer a request (in the real service's words);
 * one it leaves unanswered stays so.
 */
export async function startSilentServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined): Promise<SilentServer> {
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
        asked.push(req.url ?? "");
        answer(req, res);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        asked,
        stop: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
    };
}
