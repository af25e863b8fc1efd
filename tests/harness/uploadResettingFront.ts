import { once } from "events";
import * as http from "http";
import { AddressInfo } from "net";

/** A reverse proxy on loopback in front of a registry, whose blob uploads can be cut off (a network failure mid-copy). */
export interface UploadResettingFront {
    /** `127.0.0.1:<port>`, plain HTTP, as a registry host. */
    host: string;
    /** While true, every blob upload it is asked to start (`POST /v2/<name>/blobs/uploads/`) has its connection reset. */
    resetUploads: boolean;
    stop(): Promise<void>;
}

/**
 * Starts an UploadResettingFront for the registry at `registryHost`: every request goes through as it came (its Host
 * header too, so the registry's upload Location names the front), but the start of a blob upload while `resetUploads`
 * is set, whose TCP connection is reset (RST) instead of answered: a behaviour, not words, so the client's own say
 * what it saw. Reads (manifests, blob checks) pass, so a promotion's checks before its copies go through.
 */
export async function startUploadResettingFront(registryHost: string): Promise<UploadResettingFront> {
    const [hostname, port] = registryHost.split(":");
    const front: UploadResettingFront = { host: "", resetUploads: false, stop: async () => {} };
    const server = http.createServer((req, res) => {
        if (front.resetUploads && req.method === "POST" && /^\/v2\/.+\/blobs\/uploads\/?(\?|$)/.test(req.url ?? "")) {
            req.socket.resetAndDestroy();
            return;
        }
        const forwarded = http.request({ host: hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
        });
        forwarded.on("error", () => res.writeHead(502).end());
        req.pipe(forwarded);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    front.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    front.stop = () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
    return front;
}
