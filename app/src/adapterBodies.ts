import type { Hono } from "hono";
import { defaultIsContentTypeBinary, handle } from "hono/aws-lambda";
import type { FunctionUrlResult } from "./functionUrlHandler";

/** The part of a Function URL event the request's body is built from. */
interface EventBody {
    body?: string | null;
    isBase64Encoded?: boolean;
}

/**
 * Hono's adapter (hono/aws-lambda `handle`), every body base64, with both bodies put in here with Buffer. Its own
 * encoders, hono's utils/encode.ts, go a character per byte: encodeBase64 (String.fromCharCode per byte, then btoa) cost
 * 0.3 to 1.5 s of CPU for a 4 MiB answer where Buffer takes under a millisecond, decodeBase64 (atob, then charCodeAt
 * per byte) 30 to 65 ms for a 4 MiB upload where Buffer took 0.6 to 15 ms on the same machine. The adapter still builds the Request's URL, method and
 * headers from the event, and the result's status, headers and `cookies` from the Response: it is handed the event
 * without its body and the Response without its body, and decides base64 or text from the headers as before.
 */
export function servedThroughAdapter(app: Hono): (event: unknown, context?: unknown) => Promise<FunctionUrlResult> {
    return async (event, context) => {
        // Per invocation: Lambda Managed Instances run several invocations in one process at once.
        let answered: Response | undefined;
        const bodiless = {
            fetch: async (request: Request, env: object) => {
                // `env.event` is the event with its body: app.ts asks it whether the body came as text (isBase64Encoded).
                answered = await app.fetch(withBody(request, event as EventBody), { ...env, event });
                return new Response(null, { status: answered.status, headers: answered.headers });
            },
        } as unknown as Hono;
        const serve = handle(bodiless, { isContentTypeBinary: () => true });
        const eventWithoutBody: unknown = { ...(event as object), body: undefined };
        const result = (await serve(eventWithoutBody as Parameters<typeof serve>[0], context as Parameters<typeof serve>[1])) as FunctionUrlResult;
        if (!result.isBase64Encoded) return answered ? { ...result, body: await answered.text() } : result;
        // Without `answered` the adapter answered itself (a Request it could not build): its short body is in the result.
        const bytes = answered ? Buffer.from(await answered.arrayBuffer()) : Buffer.from(result.body ?? "", "base64");
        return { ...result, ...answerBody(bytes, result.headers?.["content-type"]) };
    };
}

// ignoreBOM: a leading byte-order mark is part of the object, not something to drop on the way back.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * An answer's bytes as the result carries them: base64, or text when they are valid UTF-8 of a text-like type and the
 * text, JSON-escaped, is no longer than their base64 (see functionUrlHandler). Decided on the bytes themselves: a text
 * answer is never base64-encoded only to be decoded again.
 */
function answerBody(bytes: Buffer, contentType: string | undefined): Pick<FunctionUrlResult, "body" | "isBase64Encoded"> {
    if (bytes.length > 0 && contentType && !defaultIsContentTypeBinary(contentType)) {
        try {
            const text = strictUtf8.decode(bytes);
            const base64Length = 4 * Math.ceil(bytes.length / 3);
            if (Buffer.byteLength(JSON.stringify(text)) <= base64Length + 2) return { body: text, isBase64Encoded: false };
        } catch {
            // not valid UTF-8: stays base64
        }
    }
    return { body: bytes.toString("base64"), isBase64Encoded: true };
}

/**
 * The adapter's request with the event's body, as its EventProcessor.createRequest puts one in: only a non-empty body,
 * base64-decoded when the event says so and UTF-8-encoded otherwise, with a `content-length` of its bytes in place of
 * the one the event's headers may declare. (A GET or HEAD comes without a body: fetch's Request refuses one.)
 */
function withBody(request: Request, { body, isBase64Encoded }: EventBody): Request {
    if (!body) return request;
    const bytes = isBase64Encoded ? Buffer.from(body, "base64") : new TextEncoder().encode(body);
    const headers = new Headers(request.headers);
    headers.set("content-length", String(bytes.length));
    return new Request(request.url, { method: request.method, headers, body: bytes });
}
