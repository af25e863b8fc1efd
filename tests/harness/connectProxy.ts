import { once } from "events";
import * as http from "http";
import { AddressInfo, Socket, connect } from "net";
import * as tls from "tls";

/** A forward proxy on loopback that reaches every host it is asked for at one local port: the only way out. */
export interface ConnectProxy {
    url: string;
    /** What went through it, in order: `CONNECT host:port` (a tunnel), or `GET http://host:port/path` (a forwarded request). */
    passed: string[];
    stop(): Promise<void>;
}

/**
 * A TLS-intercepting proxy's certificate (Zscaler's, Netskope's): a leaf for the hosts asked for, signed by the company's
 * own CA, which the client trusts only if told (tests/harness/interceptingCa.ts says how its files were made).
 */
export interface Interception {
    key: string;
    cert: string;
}

/**
 * Starts a ConnectProxy that sends whatever it is asked to reach (a CONNECT tunnel or an absolute-form request,
 * as curl, Go's net/http and Node's agents send through an HTTP proxy) to 127.0.0.1 at the asked port: a name that
 * resolves nowhere from the client (`*.invalid`) is then reached through it alone, as behind a proxy that is the only
 * way out, which resolves names the client cannot. With `intercept`, it answers a tunnel's TLS itself with that
 * certificate and sends what it decrypts on to the asked port, as a proxy that inspects TLS does.
 */
export async function startConnectProxy(options: { intercept?: Interception } = {}): Promise<ConnectProxy> {
    const passed: string[] = [];
    const sockets = new Set<Socket>();
    const server = http.createServer((req, res) => {
        passed.push(`${req.method} ${req.url}`);
        const target = new URL(req.url ?? "");
        const forwarded = http.request({ host: "127.0.0.1", port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        forwarded.on("error", () => res.writeHead(502).end());
        req.pipe(forwarded);
    });
    server.on("connect", (req: http.IncomingMessage, client: Socket, head: Buffer) => {
        passed.push(`CONNECT ${req.url}`);
        const port = Number(new URL(`http://${req.url}`).port);
        const upstream = connect(port, "127.0.0.1", () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            if (!options.intercept) {
                upstream.write(head);
                upstream.pipe(client).pipe(upstream);
                return;
            }
            client.unshift(head);
            const decrypted = new tls.TLSSocket(client, { isServer: true, ...options.intercept });
            decrypted.on("error", () => (client.destroy(), upstream.destroy()));
            upstream.pipe(decrypted).pipe(upstream);
        });
        for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("error", () => (client.destroy(), upstream.destroy()));
            socket.on("close", () => sockets.delete(socket));
        }
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        passed,
        stop: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections(), sockets.forEach((s) => s.destroy()))),
    };
}
