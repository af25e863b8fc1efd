import { ServerResponse } from "node:http";

/**
 * Errors in the JSON API's own shape and words (https://cloud.google.com/storage/docs/json_api/v1/status-codes):
 * `{"error": {"code", "message", "errors": [{"message", "domain": "global", "reason", ...}]}}`. The SDK turns
 * `error` into an ApiError whose `code` is the status (nodejs-common/util.js parseHttpRespBody).
 */
export function gcsError(res: ServerResponse, code: number, reason: string, message: string, extra: Record<string, string> = {}): void {
    const body = { error: { code, message, errors: [{ message, domain: "global", reason, ...extra }] } };
    res.writeHead(code, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));
}

/** 404 notFound for an object: "No such object: <bucket>/<name>" (status-codes page, 404 Not Found). */
export const noSuchObject = (res: ServerResponse, bucket: string, name: string) => gcsError(res, 404, "notFound", `No such object: ${bucket}/${name}`);

/** 404 notFound for a bucket: "The specified bucket does not exist." (status-codes page, 404 Not Found). */
export const noSuchBucket = (res: ServerResponse) => gcsError(res, 404, "notFound", "The specified bucket does not exist.");

/**
 * 412 conditionNotMet: a generation precondition that does not hold
 * (https://cloud.google.com/storage/docs/request-preconditions; status-codes page, 412 Precondition Failed).
 */
export const conditionNotMet = (res: ServerResponse) =>
    gcsError(res, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.", { locationType: "header", location: "If-Match" });

/** 400 invalid / required: a request GCS would refuse as malformed (status-codes page, 400 Bad Request). */
export const badRequest = (res: ServerResponse, reason: "invalid" | "required" | "badRequest", message: string) => gcsError(res, 400, reason, message);

/**
 * What this stand-in does not implement is refused out loud (501 notImplemented) rather than ignored, so a
 * test can never pass on a behaviour the stand-in only pretends to have.
 */
export const notImplemented = (res: ServerResponse, what: string) => gcsError(res, 501, "notImplemented", `not implemented by the GCS stand-in: ${what}`);
