/** The content type of an object from its bytes: magic numbers first, then JSON and UTF-8 text. */
export async function detectContentType(body: Uint8Array): Promise<string> {
    const { fileTypeFromBuffer } = await import("file-type");
    const detected = await fileTypeFromBuffer(body);
    if (detected) return detected.mime;
    const head = body.subarray(0, 64 * 1024);
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(head);
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
