import type { Context } from "hono";

interface FunctionUrlRequestContext {
    http?: { sourceIp?: string };
    authorizer?: { iam?: { userArn?: string; accountId?: string } };
}
interface NodeBindings {
    incoming?: { socket?: { remoteAddress?: string }; headers?: Record<string, string | string[] | undefined> };
}

/**
 * Who is asking, for the per-client limit. Behind a Function URL: the IAM caller when the URL uses AWS_IAM auth
 * (`requestContext.authorizer.iam`; never `requestContext.accountId`, which is the function owner's account),
 * else the `sourceIp` Lambda saw. On the server: the element `proxyHops` from the right of X-Forwarded-For,
 * the one the nearest trusted proxy appended (Cloud Run's front end appends the client's address to whatever
 * the client sent, and an external Application Load Balancer appends `<client>,<load balancer>`), so an
 * address a client writes into the header itself is never used; with no trusted proxy, the socket's address.
 * On Cloud Run the caller's identity is not used: with public invocation the Authorization header is unverified.
 */
export function clientKey(c: Context, proxyHops: number): string {
    const env = c.env as { requestContext?: FunctionUrlRequestContext } & NodeBindings;
    const lambda = env?.requestContext;
    if (lambda) {
        const iam = lambda.authorizer?.iam;
        if (iam?.userArn) return `iam:${iam.userArn}`;
        if (iam?.accountId) return `account:${iam.accountId}`;
        return `ip:${lambda.http?.sourceIp ?? "unknown"}`;
    }
    if (proxyHops > 0) {
        const hops = forwardedFor(c, env).split(",").map((s) => s.trim()).filter(Boolean);
        if (hops.length >= proxyHops) return `ip:${hops[hops.length - proxyHops]}`;
    }
    return `ip:${env?.incoming?.socket?.remoteAddress ?? "unknown"}`;
}

/**
 * Node's own parsed header when the server runs on @hono/node-server (repeated X-Forwarded-For lines joined with
 * ", ", as the Fetch Headers would): asking Hono for it builds the request's whole Headers object, about 2 µs a
 * request that nothing else on a read needs (app/bench/limiterParts.ts).
 */
function forwardedFor(c: Context, env: NodeBindings | undefined): string {
    const parsed = env?.incoming?.headers?.["x-forwarded-for"];
    if (parsed !== undefined) return Array.isArray(parsed) ? parsed.join(", ") : parsed;
    return c.req.header("x-forwarded-for") ?? "";
}
