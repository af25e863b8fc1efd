import { Responder } from "./recordingServer";

/**
 * The AWS API function's S3 permissions, checked per path-style request: s3:GetObject and s3:PutObject on
 * `<bucket>/<prefix>*`, and s3:ListBucket only with the condition `s3:prefix` like `<prefix>*` (a listing
 * without a prefix has no s3:prefix, so the condition fails). HeadBucket needs plain ListBucket: denied.
 */
export function apiRoleAllows(method: string, url: string, bucket: string, prefix: string): boolean {
    const { pathname, searchParams } = new URL(url, "http://s3.local");
    const [, requestedBucket, ...keyParts] = pathname.split("/");
    if (requestedBucket !== bucket) return false;
    const key = decodeURIComponent(keyParts.join("/"));
    const listPrefix = searchParams.get("prefix");
    if (key === "") return method === "GET" && listPrefix !== null && listPrefix.startsWith(prefix);
    if (!key.startsWith(prefix)) return false;
    return method === "GET" || method === "HEAD" || method === "PUT";
}

/** Answers 403 AccessDenied (as S3 does) for what the role does not allow; passes the rest on. */
export function enforceApiRole(bucket: string, prefix: string, next: Responder): Responder {
    return (req, res, body) => {
        if (apiRoleAllows(req.method!, req.url!, bucket, prefix)) return next(req, res, body);
        res.writeHead(403, { "content-type": "application/xml" });
        res.end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
    };
}
