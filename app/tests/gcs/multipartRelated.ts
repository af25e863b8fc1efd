/** One part of a multipart/related body: its headers (lower-cased names) and bytes. */
export interface Part {
    headers: Record<string, string>;
    body: Buffer;
}

/** The boundary of a `multipart/related; boundary=...` content type, or undefined for another type. */
export function relatedBoundary(contentType: string | undefined): string | undefined {
    if (!contentType || !/^multipart\/related\s*;/i.test(contentType)) return undefined;
    const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    return match?.[1] ?? match?.[2];
}

/**
 * Splits a multipart/related body (RFC 2387, framed as RFC 2046 section 5.1.1: `--boundary CRLF headers CRLF
 * CRLF body CRLF --boundary ... --boundary--`) into its parts, byte for byte. A multipart upload is exactly two:
 * the object's metadata as JSON, then its data (https://cloud.google.com/storage/docs/uploading-objects, JSON
 * API multipart upload). Throws on a body that is not framed so.
 */
export function parseMultipartRelated(body: Buffer, boundary: string): Part[] {
    const delimiter = Buffer.from(`--${boundary}`);
    const parts: Part[] = [];
    let at = body.indexOf(delimiter);
    if (at < 0) throw new Error("no boundary in the body");
    for (;;) {
        at += delimiter.length;
        if (body.subarray(at, at + 2).toString() === "--") return parts;
        if (body.subarray(at, at + 2).toString() !== "\r\n") throw new Error("a boundary not followed by CRLF");
        const headersEnd = body.indexOf("\r\n\r\n", at);
        if (headersEnd < 0) throw new Error("a part without a blank line after its headers");
        const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headersEnd + 4);
        if (next < 0) throw new Error("a part without a closing boundary");
        const headers: Record<string, string> = {};
        for (const line of body.subarray(at + 2, headersEnd).toString("latin1").split("\r\n")) {
            const colon = line.indexOf(":");
            if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        parts.push({ headers, body: body.subarray(headersEnd + 4, next) });
        at = next + 2;
    }
}
