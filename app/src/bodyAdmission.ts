import type { Context, MiddlewareHandler } from "hono";
import { BodyBudget, Reservation } from "./bodyBudget";
import { BodyLimit, declaredLength, readBody, tooLarge } from "./requestBody";

/**
 * Bodies are admitted before they are read: a declared length over `limit.maxBytes` is 413 at once; a body that
 * does not fit the bytes in flight (`budget`) is answered by `busy` (503). `read` gives an admitted request's body.
 */
export function bodyAdmission(limit: BodyLimit, budget: BodyBudget, busy: (c: Context) => Response) {
    const reservations = new WeakMap<Request, Reservation>();
    const admit: MiddlewareHandler = async (c, next) => {
        const declared = declaredLength(c.req.raw);
        if (declared !== undefined && declared > limit.maxBytes) throw tooLarge(limit);
        const reservation = budget.tryReserve(declared ?? 0);
        if (!reservation) return busy(c);
        reservations.set(c.req.raw, reservation);
        try {
            await next();
        } finally {
            reservation.release();
        }
    };
    const read = (c: Context) => readBody(c.req.raw, limit, reservations.get(c.req.raw)!);
    return { admit, read };
}
