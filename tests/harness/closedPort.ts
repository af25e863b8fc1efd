import { freePort } from "../../scripts/bench/processes";

/**
 * `http://127.0.0.1:<port>` for a loopback port nothing listens on any more (freePort: taken, then closed): a connection
 * to it is refused (ECONNREFUSED), with no network needed and none used.
 */
export async function closedPortUrl(): Promise<string> {
    return `http://127.0.0.1:${await freePort()}`;
}
