import type { Hono } from "hono";
import { handle } from "hono/aws-lambda";
import type { FunctionUrlResult } from "./functionUrlHandler";

/**
 * Hono's adapter (hono/aws-lambda `handle`), every body base64, with the result's body put in here. The adapter's
 * createResult encodes it with hono's utils/encode.ts encodeBase64: a String.fromCharCode per byte, then btoa, which
 * costs 0.3 to 1.5 s of CPU for a 4 MiB answer where Buffer takes under a millisecond, for the same text. The adapter
 * still builds the Request from the event, and the result's status, headers and `cookies` from the Response: it is
 * handed the Response without its body, and decides base64 or text from its headers as before.
 */
export function servedThroughAdapter(app: Hono): (event: unknown, context?: unknown) => Promise<FunctionUrlResult> {
    return async (event, context) => {
        // Per invocation: Lambda Managed Instances run several invocations in one process at once.
        let answered: Response | undefined;
        const bodiless = {
            fetch: async (request: Request, env: unknown) => {
                answered = await app.fetch(request, env);
                return new Response(null, { status: answered.status, headers: answered.headers });
            },
        } as unknown as Hono;
        const serve = handle(bodiless, { isContentTypeBinary: () => true });
        const result = (await serve(event as Parameters<typeof serve>[0], context as Parameters<typeof serve>[1])) as FunctionUrlResult;
        // The adapter answered itself (a Request it could not build): its short body is already in the result.
        if (!answered) return result;
        return { ...result, body: result.isBase64Encoded ? Buffer.from(await answered.arrayBuffer()).toString("base64") : await answered.text() };
    };
}
