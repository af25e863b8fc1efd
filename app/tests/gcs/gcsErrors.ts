import { ServerResponse } from "node:http";

/**
 * Errors in the JSON API's own shape (https://cloud.google.com/storage/docs/json_api/v1/status-codes):
 * `{"error": {"code", "message", "errors": [{"message", "domain": "global", "reason", ...}]}}`. The SDK turns
 * `error` into an ApiError whose `code` is the status (nodejs-common/util.js parseHttpRespBody). The words are
 * not that page's: its examples are generic ("Not Found", "Forbidden"); each answer below names a real one.
 */
export function gcsError(res: ServerResponse, code: number, reason: string, message: string, extra: Record<string, string> = {}): void {
    const body = { error: { code, message, errors: [{ message, domain: "global", reason, ...extra }] } };
    res.writeHead(code, { "content-type": "application/json; charset=UTF-8" }).end(JSON.stringify(body));
}

/**
 * 404 notFound for an object: "No such object: <bucket>/<name>" (storage.googleapis.com's JSON answer to objects.get,
 * curl capture in firebase/firebase-tools#3647, review thread of 2021-08-09; googleapis/java-storage#49,
 * "StorageException: 404 Not Found ... No such object: ..."), for an object in a bucket that does not exist too
 * (googleapis/nodejs-storage#1183: a delete in "non-existent-bucket" is "ApiError: No such object:
 * non-existent-bucket/somefile"). Answered in the JSON shape to objects.get and objects.delete; a media download's
 * is below (noSuchObjectMedia).
 */
export const noSuchObject = (res: ServerResponse, bucket: string, name: string) => gcsError(res, 404, "notFound", `No such object: ${bucket}/${name}`);

/**
 * The same 404 to a media download (objects.get with alt=media) is not JSON: storage.googleapis.com answered
 * `GET .../storage/v1/b/<bucket>/o/blah?alt=media` with "HTTP/2 404", "content-type: text/html; charset=UTF-8",
 * "content-length: 51" and the body "No such object: <bucket>/blah", where the same GET without alt=media was
 * "application/json; charset=UTF-8" (curl captures in firebase/firebase-tools#3647, review thread of 2021-08-09).
 */
export const noSuchObjectMedia = (res: ServerResponse, bucket: string, name: string) =>
    res.writeHead(404, { "content-type": "text/html; charset=UTF-8" }).end(`No such object: ${bucket}/${name}`);

/**
 * 404 notFound for a bucket: "The specified bucket does not exist." (a real multipart upload's answer,
 * `POST https://storage.googleapis.com/upload/storage/v1/b/<bucket>/o?ifGenerationMatch=0&uploadType=multipart`:
 * `{"code": 404, "errors": [{"domain": "global", "message": "The specified bucket does not exist.", "reason":
 * "notFound"}], "message": "The specified bucket does not exist."}`, xcomerni/tbd-workshop-1 tasks-phase1.md).
 */
export const noSuchBucket = (res: ServerResponse) => gcsError(res, 404, "notFound", "The specified bucket does not exist.");

/**
 * 403 forbidden to objects.get from a caller without storage.objects.get (Cloud Storage, "HTTP status and error codes
 * for JSON", 403 Forbidden), whether or not the object is there: "<account> does not have storage.objects.get access
 * to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist)."
 * (gcsfs's objects.get of b/starcop/o/Permian%2Fselected_train.csv, spaceml-org/STARCOP#6, 2025), reason "forbidden"
 * (the JSON answer in Superbalist/laravel-google-cloud-storage#14, in GCS's older words "Caller does not have
 * storage.objects.get access to object <bucket>/<name>."). A role with storage.objects.create and not get, such as
 * roles/storage.objectCreator, is answered so.
 */
export const forbiddenObjectGet = (res: ServerResponse, account: string) =>
    gcsError(res, 403, "forbidden", `${account} does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).`);

/**
 * 412 conditionNotMet: a generation precondition that does not hold
 * (https://cloud.google.com/storage/docs/request-preconditions), in the words and with the locationType/location
 * storage.googleapis.com gave an objects.insert with ifGenerationMatch ("Permanent error in InsertObjectMedia":
 * `{"code": 412, "message": "At least one of the pre-conditions you specified did not hold.", "errors": [{...,
 * "domain": "global", "reason": "conditionNotMet", "locationType": "header", "location": "If-Match"}]}`,
 * googleapis/google-cloud-cpp#7340).
 */
export const conditionNotMet = (res: ServerResponse) =>
    gcsError(res, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.", { locationType: "header", location: "If-Match" });

/**
 * 400 invalid / required: a request GCS would refuse as malformed (status-codes page, 400 Bad Request). The messages
 * are the stand-in's own unless the caller names GCS's: GCS's words for these refusals (a malformed multipart body,
 * an unknown uploadType, a bad ifGenerationMatch or maxResults), which the SDK never provokes, are not known.
 */
export const badRequest = (res: ServerResponse, reason: "invalid" | "required" | "badRequest", message: string) => gcsError(res, 400, reason, message);

/**
 * What this stand-in does not implement is refused out loud (501 notImplemented) rather than ignored, so a
 * test can never pass on a behaviour the stand-in only pretends to have.
 */
export const notImplemented = (res: ServerResponse, what: string) => gcsError(res, 501, "notImplemented", `not implemented by the GCS stand-in: ${what}`);
