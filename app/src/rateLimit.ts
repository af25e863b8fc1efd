import type { Context, MiddlewareHandler } from "hono";
import type * as limiters from "rate-limiter-flexible";
import { clientKey } from "./clientKey";
import { UNLIMITED_PATHS } from "./unlimitedPaths";

// The package's index requires every store it supports (Redis, Mongo, Postgres, DynamoDB, ...) as it loads, none of
// which the service uses: the two classes it needs are taken from their own files, a fifth of the service's bundle
// less to compile and run at every start.
const RateLimiterMemory = require("rate-limiter-flexible/lib/RateLimiterMemory") as typeof limiters.RateLimiterMemory;
const RateLimiterRes = require("rate-limiter-flexible/lib/RateLimiterRes") as typeof limiters.RateLimiterRes;


export interface RateLimit {
    requests: number;
    windowSeconds: number;
    proxyHops: number;
}

/**
 * At most `requests` per client per fixed window of `windowSeconds`; past it, 429 with Retry-After (the
 * seconds until the window ends, rounded up). The counts live in this process's memory: on Lambda that is one
 * execution environment, which shares nothing with the others, so the limit bounds a client per instance and
 * the Function URL's reserved concurrency bounds the total.
 */
export function rateLimit(limit: RateLimit, tooMany: (c: Context, retryAfterSeconds: number) => Response): MiddlewareHandler {
    const limiter = new RateLimiterMemory({ points: limit.requests, duration: limit.windowSeconds });
    return async (c, next) => {
        if (UNLIMITED_PATHS.has(c.req.path)) return next();
        try {
            await limiter.consume(clientKey(c, limit.proxyHops));
        } catch (refusal) {
            if (!(refusal instanceof RateLimiterRes)) throw refusal;
            return tooMany(c, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
        }
        return next();
    };
}
