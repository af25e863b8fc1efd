import { connect } from "node:net";

/** Longer than any answer here takes to begin (the slowest, a 408, comes at BODY_TIMEOUT_MS, 500 ms). */
export const SILENT_SERVER_MS = 5000;

/** `answered`: whether any byte came back at all. */
export type RawAnswer = { status: number; headers: Record<string, string>; body: string; answered: boolean };

/** What the server writes back to `bytes` sent on a socket of their own (then `more`, a piece every 100 ms), until it closes. */
export async function rawAnswer(url: string, bytes: string | Uint8Array, more: string[] = []): Promise<RawAnswer> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    let raw = "";
    socket.setEncoding("latin1").on("data", (d: string) => (raw += d));
    socket.on("error", () => {});
    // A server that leaves the connection open and silent (no 408 ever comes) ends the wait: a failure, not a hang.
    socket.setTimeout(SILENT_SERVER_MS, () => socket.destroy());
    socket.write(bytes);
    const trickle = setInterval(() => more.length && socket.writable && socket.write(more.shift()!), 100);
    await new Promise((resolve) => socket.once("close", resolve));
    clearInterval(trickle);
    const [head, ...body] = raw.split("\r\n\r\n");
    const [statusLine, ...lines] = head.split("\r\n");
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
    return { status: Number(statusLine.split(" ")[1]), headers, body: body.join("\r\n\r\n"), answered: raw !== "" };
}

/** A raw answer as a failure's message names it: "no answer" where not a byte came (its status would print as NaN). */
export const answerText = (res: RawAnswer) =>
    res.answered ? `the answer: ${JSON.stringify({ status: res.status, headers: res.headers, body: res.body })}` : `no answer: not a byte before the connection closed or stayed silent for ${SILENT_SERVER_MS} ms`;
