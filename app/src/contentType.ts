/** The content type of an object from its bytes: magic numbers first, then JSON and UTF-8 text. */
export async function detectContentType(body: Uint8Array): Promise<string> {
    const { fileTypeFromBuffer } = await import("file-type");
    // Bytes that begin like a known format and end before file-type has read what it needs (an upload of "ID3", a
    // cut-off PNG) make it throw (peek-readable's EndOfStreamError, "End-Of-Stream"): undetected, not the worker's
    // failure, which Step Functions could only answer by failing the whole batch.
    const detected = await fileTypeFromBuffer(body).catch(() => undefined);
    if (detected) return detected.mime;
    const head = body.subarray(0, 64 * 1024);
    let text: string;
    try {
        // A head cut short of the body may end inside a character: `stream` keeps those bytes back (more would follow)
        // instead of refusing them as malformed; bytes that are malformed still are.
        text = new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: body.length > head.length });
    } catch {
        return "application/octet-stream";
    }
    if (text.includes("\u0000")) return "application/octet-stream";
    if (body.length === head.length) {
        try {
            JSON.parse(text);
            return "application/json";
        } catch {
            // plain text
        }
    }
    return "text/plain; charset=utf-8";
}
