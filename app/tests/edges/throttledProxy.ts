import { once } from "node:events";
import { AddressInfo, Socket, connect, createServer } from "node:net";

export interface ThrottledProxy {
    url: string;
    close: () => Promise<void>;
}

/** A loopback TCP proxy that passes what clients send at most `bytesPerSecond` (a slow link to storage); answers pass freely. */
export async function startThrottledProxy(upstream: string, bytesPerSecond: number): Promise<ThrottledProxy> {
    const { hostname, port } = new URL(upstream);
    const TICK_MS = 10;
    const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
        const target = connect(Number(port), hostname);
        sockets.add(client).add(target);
        const queue: Buffer[] = [];
        const pump = setInterval(() => {
            let budget = perTick;
            while (budget > 0 && queue.length > 0) {
                const head = queue[0];
                const part = head.subarray(0, budget);
                target.write(part);
                budget -= part.length;
                if (part.length === head.length) queue.shift();
                else queue[0] = head.subarray(part.length);
            }
            if (queue.length <= 4) client.resume();
        }, TICK_MS);
        client.on("data", (d) => {
            queue.push(d);
            if (queue.length > 4) client.pause(); // a slow link pushes back on the sender
        });
        target.pipe(client);
        const end = () => {
            clearInterval(pump);
            client.destroy();
            target.destroy();
        };
        client.on("close", end).on("error", end);
        target.on("close", end).on("error", end);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
            for (const s of sockets) s.destroy();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
