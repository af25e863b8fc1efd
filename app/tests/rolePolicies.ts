import { request } from "node:http";
import { Responder } from "./recordingServer";

/**
 * The S3 permissions of the AWS roles (components/aws/iamPolicies.ts), checked per path-style request:
 * s3:GetObject and s3:PutObject on `<bucket>/<prefix>*` (the API's PutObject only with If-None-Match: *), and s3:ListBucket only with the condition `s3:prefix`
 * like `<prefix>*` (a listing without a prefix has no s3:prefix, so the condition fails; HeadBucket needs a
 * plain ListBucket: denied).
 */
export interface S3Role {
    get: string[];
    put: string[];
    list: string[];
    /** PUTs only with If-None-Match: * (the API role's s3:if-none-match condition): it creates, never overwrites. */
    createOnly?: boolean;
}
export const apiRole = (prefix: string): S3Role => ({ get: [prefix], put: [prefix], list: [prefix], createOnly: true });
export const WORKER_ROLE: S3Role = { get: ["input/"], put: ["results/"], list: ["input/"] };

const under = (prefixes: string[], key: string) => prefixes.some((p) => key.startsWith(p));

export function roleAllows(role: S3Role, method: string, url: string, bucket: string, ifNoneMatch?: string): boolean {
    const { pathname, searchParams } = new URL(url, "http://s3.local");
    const [, requestedBucket, ...keyParts] = pathname.split("/");
    if (requestedBucket !== bucket) return false;
    const key = decodeURIComponent(keyParts.join("/"));
    const listPrefix = searchParams.get("prefix");
    if (key === "") return method === "GET" && listPrefix !== null && under(role.list, listPrefix);
    if (method === "GET" || method === "HEAD") return under(role.get, key);
    if (method === "PUT") return under(role.put, key) && (!role.createOnly || ifNoneMatch === "*");
    return false;
}

const accessDenied: Responder = (_req, res) => {
    res.writeHead(403, { "content-type": "application/xml" });
    res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
};

/**
 * S3 as a role sees it: 403 AccessDenied for what the role does not allow, and, like real S3, 403 instead of
 * 404 for a GET or HEAD of a missing key, since the role has no unconditioned s3:ListBucket. The rest is
 * passed on to `upstream` unchanged.
 */
export function asRole(role: S3Role, bucket: string, upstream: string): Responder {
    return (req, res, body) => {
        if (!roleAllows(role, req.method!, req.url!, bucket, req.headers["if-none-match"])) return accessDenied(req, res, body);
        const forwarded = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
            const isObjectRead = (req.method === "GET" || req.method === "HEAD") && !new URL(req.url!, "http://s3.local").searchParams.has("list-type");
            if (isObjectRead && answer.statusCode === 404) {
                answer.resume();
                return accessDenied(req, res, body);
            }
            res.writeHead(answer.statusCode!, answer.headers);
            answer.pipe(res);
        });
        forwarded.on("error", (err) => res.writeHead(502).end(err.message));
        forwarded.end(body);
    };
}
