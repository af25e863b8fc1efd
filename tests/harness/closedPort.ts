import { once } from "events";
import * as net from "net";

/**
 * `http://127.0.0.1:<port>` for a loopback port nothing listens on any more (taken, then closed): a connection to it is
 * refused (ECONNREFUSED), with no network needed and none used.
 */
export async function closedPortUrl(): Promise<string> {
    const server = net.createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}`;
}
