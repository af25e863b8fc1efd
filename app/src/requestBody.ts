import { HTTPException } from "hono/http-exception";
import * as z from "zod";
import { BodyTooLarge, LongerThanDeclared, readAdmittedBody } from "./admittedBody";
import { Reservation } from "./bodyBudget";
import type { RouteBodyBound } from "./jsonBodyBounds";
import { ReadRefused } from "./readAdmission";

/** The most a body may be, and, when it is a route's own bound rather than MAX_BODY_BYTES, what the bound is. */
export interface BodyLimit {
    maxBytes: number;
    of?: string;
}

export const tooLarge = ({ maxBytes, of }: BodyLimit) => new HTTPException(413, { message: `body larger than ${maxBytes} bytes${of ? `, ${of}` : ""}` });

/** The smaller of MAX_BODY_BYTES and a route's own bound (which the 413 then names). */
export const routeBodyLimit = (maxBodyBytes: number, route: RouteBodyBound): BodyLimit =>
    route.bytes < maxBodyBytes ? { maxBytes: route.bytes, of: route.of } : { maxBytes: maxBodyBytes };

/** The declared Content-Length, or undefined when there is none (a chunked body). */
export function declaredLength(request: Request): number | undefined {
    const header = request.headers.get("content-length");
    if (header === null || !/^\d+$/.test(header)) return undefined;
    return Number(header);
}

/** A chunked body outgrew the bytes in flight: a 503, like a body refused at admission. */
export class BodyBudgetExceeded extends Error {}

/**
 * The whole body, at most `limit.maxBytes` (413 beyond). A declared length is read into one buffer of that size, so
 * the body is held once, not once in chunks and again joined; it was reserved at admission. A chunked body
 * grows `reservation` as it arrives.
 */
export async function readBody(request: Request, limit: BodyLimit, reservation: Reservation): Promise<Uint8Array> {
    const { maxBytes } = limit;
    const declared = declaredLength(request);
    if (declared !== undefined && declared > maxBytes) throw tooLarge(limit);
    if (!request.body) return new Uint8Array(0);
    try {
        // Ending the loop early cancels the stream (its async iterator's return()): nothing more is read.
        return await readAdmittedBody("the request body", request.body, { declared, admit: (bytes) => reservation.holdInAll(bytes), maxBytes, stop: () => {} });
    } catch (err) {
        if (err instanceof BodyTooLarge) throw tooLarge(limit);
        if (err instanceof LongerThanDeclared) throw new HTTPException(400, { message: "body longer than its Content-Length" });
        if (err instanceof ReadRefused) throw new BodyBudgetExceeded();
        // The connection closed before the body's end (the client gave up, or Node cut it: a 408 past BODY_TIMEOUT_MS,
        // a chunk the parser refused): the client's doing, answered, if anyone still listens, as such; before, the
        // "aborted" stream error was the app's 500 and an ERROR line "request failed" for every abandoned upload.
        if (request.signal.aborted || (err as NodeJS.ErrnoException).code === "ECONNRESET") throw new HTTPException(400, { message: "the request body did not arrive whole: the connection closed before its end" });
        throw err;
    }
}

/**
 * The body as JSON of `schema`'s shape: anything else (`null`, an array, a wrong field) is 400 with `expected`; a list
 * over the schema's `.max()` is 400 with that check's message. Zod checks a list's `.max()` before any element (zod
 * v4/core schemas.js, capSize), so a body of millions of entries is refused by its count alone, at no cost per entry.
 */
export function jsonBody<T>(body: Uint8Array, schema: z.ZodType<T>, expected: string): T {
    let value: unknown;
    try {
        // Strict: JSON is UTF-8 (RFC 8259), and a replacement character for bytes that are not would give two
        // different names one key, as the paths' strict decoding refuses (objectNames.ts).
        value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
        throw new HTTPException(400, { message: "body is not valid JSON" });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
        const tooMany = parsed.error.issues.find((issue) => issue.code === "too_big");
        throw new HTTPException(400, { message: tooMany ? tooMany.message : expected });
    }
    return parsed.data;
}
