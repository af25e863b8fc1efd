import type { Context } from "hono";
import ipaddr from "ipaddr.js";
import { isIPv4 } from "node:net";

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
 * else the `sourceIp` Lambda saw (Function URLs are dual stack). On the server: the element `proxyHops` from the right of X-Forwarded-For,
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
        if (iam?.userArn) return `iam:${principalOf(iam.userArn)}`;
        if (iam?.accountId) return `account:${iam.accountId}`;
        return addressKey(lambda.http?.sourceIp);
    }
    if (proxyHops > 0) {
        const hops = forwardedFor(c, env).split(",").map((s) => s.trim()).filter(Boolean);
        if (hops.length >= proxyHops) return addressKey(hops[hops.length - proxyHops]);
    }
    return addressKey(env?.incoming?.socket?.remoteAddress);
}

/**
 * One client per IPv4 address and per IPv6 /64: an IPv6 client is given a whole /64 (RFC 6177) and may take a new
 * address from it for every request. An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is the IPv4 address. The
 * common forms are told apart with node:net's checks first (ipaddr.js's parse costs about 1 µs, 4 for a mapped one).
 */
function addressKey(address: string | undefined): string {
    if (address === undefined) return "ip:unknown";
    if (isIPv4(address)) return `ip:${address}`;
    const mapped = address.startsWith("::ffff:") ? address.slice(7) : "";
    if (isIPv4(mapped)) return `ip:${mapped}`;
    let parsed: ipaddr.IPv6;
    try {
        parsed = ipaddr.IPv6.parse(address);
    } catch {
        return `ip:${address}`;
    }
    if (parsed.isIPv4MappedAddress()) return `ip:${parsed.toIPv4Address().toString()}`;
    const [a, b, c, d] = parsed.parts;
    return `ip:${new ipaddr.IPv6([a, b, c, d, 0, 0, 0, 0]).toString()}/64`;
}

/**
 * Node's own parsed header when the server runs on @hono/node-server (repeated X-Forwarded-For lines joined with
 * ", ", as the Fetch Headers would): with @hono/node-server 1.x, asking Hono for it built the request's whole Headers
 * object, about 2 µs a request that nothing else on a read needs (app/bench/limiterParts.ts); 2.x reads lazily.
 */
function forwardedFor(c: Context, env: NodeBindings | undefined): string {
    const parsed = env?.incoming?.headers?.["x-forwarded-for"];
    if (parsed !== undefined) return Array.isArray(parsed) ? parsed.join(", ") : parsed;
    return c.req.header("x-forwarded-for") ?? "";
}

/**
 * The principal behind an IAM caller ARN: an assumed role's session name (`arn:aws:sts::<account>:assumed-role/<role>/<session>`)
 * is chosen by whoever calls sts:AssumeRole (STS AssumeRole, RoleSessionName), and SDKs pick a new one per
 * assumption (botocore's `botocore-session-<time>`), so the role, not the session, is the client. Every session of
 * one role shares its limit, IAM Identity Center users of one permission set included.
 */
function principalOf(userArn: string): string {
    const assumed = /^(arn:aws[a-z-]*:sts::\d{12}:assumed-role\/[^/]+)\/.*$/.exec(userArn);
    return assumed ? assumed[1] : userArn;
}
