import { IncomingHttpHeaders, ServerResponse } from "node:http";

const TICK_MS = 10;

/**
 * Sends an answer whose body flows at `bytesPerSecond` in 10 ms ticks (a slow link from storage; at once without
 * it), up to `upTo` bytes of it; `then` runs once that much is sent (by default, the answer ends).
 */
export function sendPaced(
    res: ServerResponse,
    status: number,
    headers: IncomingHttpHeaders,
    body: Buffer,
    bytesPerSecond: number | undefined,
    upTo = body.length,
    then: () => void = () => res.end(),
): void {
    res.writeHead(status, headers);
    const perTick = bytesPerSecond ? Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000)) : upTo;
    let sent = 0;
    const tick = () => {
        const part = body.subarray(sent, Math.min(upTo, sent + perTick));
        sent += part.length;
        if (part.length) res.write(part);
        if (sent >= upTo) {
            clearInterval(pump);
            then();
        }
    };
    const pump = setInterval(tick, TICK_MS);
    res.on("close", () => clearInterval(pump));
    tick();
}
