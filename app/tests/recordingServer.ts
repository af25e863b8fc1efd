import { IncomingMessage, ServerResponse, createServer } from "node:http";
import { once } from "node:events";
import { AddressInfo } from "node:net";

export interface RecordedRequest {
    method: string;
    url: string;
    body: string;
}
export type Responder = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface RecordingServer {
    url: string;
    requests: RecordedRequest[];
    close: () => Promise<void>;
}

/** A loopback HTTP server that records every request (method, URL, body), then lets `respond` answer it. */
export async function recordingServer(respond: Responder): Promise<RecordingServer> {
    const requests: RecordedRequest[] = [];
    const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        requests.push({ method: req.method!, url: req.url!, body: body.toString() });
        respond(req, res, body);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => {
            server.closeAllConnections();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
