import { connect } from "node:net";

/** What trickledPut saw (not edges/rawAnswer.ts's RawAnswer, a whole answer read to the connection's close). */
export interface TrickledAnswer {
    /** The status of the answer, or undefined when none came (the connection closed, or `waitMs` passed). */
    status?: number;
    closed: boolean;
    ms: number;
}

/**
 * A PUT whose body trickles in: the headers (with `contentLength`), then one byte every `everyMs`, for as long
 * as the connection lasts. Resolves with the answer's status when one comes, or after `waitMs`, or once `stop` is
 * aborted (the connection is then closed: the client gave up).
 */
export function trickledPut(url: string, path: string, options: { contentLength: number; everyMs: number; waitMs: number; stop?: AbortSignal }): Promise<TrickledAnswer> {
    const { hostname, port } = new URL(url);
    const started = performance.now();
    return new Promise((resolve) => {
        const socket = connect(Number(port), hostname);
        let answer = "";
        let sent = 0;
        let timer: NodeJS.Timeout | undefined;
        const done = (closed: boolean) => {
            clearInterval(timer);
            clearTimeout(giveUp);
            const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
            socket.destroy();
            resolve({ status: status ? Number(status) : undefined, closed, ms: performance.now() - started });
        };
        const giveUp = setTimeout(() => done(false), options.waitMs);
        options.stop?.addEventListener("abort", () => done(false), { once: true });
        socket.on("connect", () => {
            socket.write(`PUT ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: text/plain\r\nContent-Length: ${options.contentLength}\r\n\r\n`);
            timer = setInterval(() => {
                if (sent++ < options.contentLength - 1) socket.write("x");
            }, options.everyMs);
        });
        socket.on("data", (d) => {
            answer += d;
            if (/\r\n\r\n/.test(answer)) done(false);
        });
        socket.on("error", () => undefined);
        socket.on("close", () => done(true));
    });
}
