import type { Context, MiddlewareHandler } from "hono";
import type { ServerResponse } from "node:http";
import { BodyBudget } from "./bodyBudget";
import { ReadAdmission } from "./readAdmission";

/**
 * Calls `release` once the answer has been handed over. On the Node server (@hono/node-server passes the
 * ServerResponse as `env.outgoing`) that is when the response closes: sent to the client, or the client gone; until
 * then Node holds the object's bytes for a client that reads slowly. Elsewhere at once, the handler having produced
 * the response: on Lambda an environment answers one request at a time, so nothing else waits on those bytes.
 */
function releaseWhenAnswered(c: Context, release: () => void): void {
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (!outgoing || outgoing.closed) return release();
    outgoing.once("close", release);
}

/**
 * Object reads hold their bytes against the same budget as request bodies (MAX_BODY_BYTES_IN_FLIGHT): `hold`
 * opens a request's reservation and gives it back once it is answered; `admission(c)` is the ReadAdmission its
 * store read asks, which grows the reservation to the bytes the read will hold, or refuses when they do not fit, or
 * when they are more than one answer carries (`answerLimitBytes`).
 */
export function readBudget(budget: BodyBudget, answerLimitBytes = Infinity) {
    const admissions = new WeakMap<Request, ReadAdmission>();
    const hold: MiddlewareHandler = async (c, next) => {
        const reservation = budget.tryReserve(0)!;
        // Refused once the reservation was given back: a read still running then may hold nothing.
        admissions.set(c.req.raw, (bytes) => bytes <= answerLimitBytes && reservation.holdInAll(bytes));
        try {
            await next();
        } finally {
            releaseWhenAnswered(c, () => reservation.release());
        }
    };
    const admission = (c: Context): ReadAdmission => admissions.get(c.req.raw)!;
    return { hold, admission };
}
