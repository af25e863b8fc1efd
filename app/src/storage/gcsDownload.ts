import { CRC32C, type Storage } from "@google-cloud/storage";
import { createHash } from "node:crypto";
import { readAdmittedBody } from "../admittedBody";
import { ReadAdmission, ReadRefused } from "../readAdmission";
import { StorageTimeouts } from "./storageTimeouts";

/** A media download GCS refused, with its HTTP status where there was one (read by storageStatus and isTransient). */
export class GcsDownloadError extends Error {
    constructor(
        message: string,
        readonly code?: number,
    ) {
        super(message);
        this.name = "GcsDownloadError";
    }
}

const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;
const FIRST_RETRY_DELAY_MS = 100;

/** A hash of the bytes as they arrive, and the value GCS says they have. */
interface BodyCheck {
    name: "md5" | "crc32c";
    expected: string;
    update(chunk: Uint8Array): void;
    actual(): string;
}

/**
 * The check an answer's `x-goog-hash: crc32c=<base64>,md5=<base64>` allows (Cloud Storage docs, "Hashes and ETags":
 * every object has a CRC32C, only non-composite ones an MD5; "discard downloaded data with incorrect hash values").
 * MD5 where there is one: node:crypto's costs about 40 ms per 32 MiB, the SDK's CRC32C (plain JavaScript, the one its
 * own download used) about 250 ms, so CRC32C only for an object without an MD5. Like the SDK (file.js
 * createReadStream), none unless the object is stored as sent (`x-goog-stored-content-encoding: identity`): the hashes
 * are of the stored bytes, and fetch gunzips a gzip-stored object.
 */
function bodyCheck(headers: Headers): BodyCheck | undefined {
    if (headers.get("x-goog-stored-content-encoding") !== "identity") return undefined;
    // One header, or several that fetch joins with ", ".
    const hashes = new Map((headers.get("x-goog-hash") ?? "").split(",").map((pair) => {
        const at = pair.indexOf("=");
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const;
    }));
    const md5 = hashes.get("md5");
    if (md5) {
        const hash = createHash("md5");
        return { name: "md5", expected: md5, update: (chunk) => hash.update(chunk), actual: () => hash.digest("base64") };
    }
    const crc32c = hashes.get("crc32c");
    if (crc32c) {
        const hash = new CRC32C();
        return { name: "crc32c", expected: crc32c, update: (chunk) => hash.update(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)), actual: () => hash.toString() };
    }
    return undefined;
}

const WHOLE_NUMBER = /^\d+$/;

/**
 * The body's length as the answer declares it: its Content-Length, or for a body stored as sent its
 * x-goog-stored-content-length; none when fetch decodes the body (a Content-Encoding such as gzip), whose bytes
 * then outnumber those sent.
 */
function declaredLength(headers: Headers): number | undefined {
    const encoding = headers.get("content-encoding");
    if (encoding && encoding !== "identity") return undefined;
    const stored = headers.get("x-goog-stored-content-encoding") === "identity" ? headers.get("x-goog-stored-content-length") : null;
    const length = headers.get("content-length") ?? stored;
    return length !== null && WHOLE_NUMBER.test(length) ? Number(length) : undefined;
}

/**
 * One object's bytes and content type through the JSON API's media download (objects.get with `alt=media`, whose
 * Content-Type is the object's), on the client's own endpoint and credentials, with the store's attempts, per-attempt
 * timeout and deadline; undefined for a 404. Not the SDK's download: its stream (createReadStream on teeny-request 9)
 * pipes a 503's late response into a stream it already destroyed and throws ERR_STREAM_UNABLE_TO_PIPE from an event
 * handler, which ends the process. One request also reads bytes and type of the same version.
 *
 * The attempt timeout bounds waiting, not reading, as on S3 (requestTimeout, then socketTimeout): until the answer's
 * headers, then between two chunks of its body, so a large object on a slow link is read in one attempt. The deadline,
 * from the first attempt's start, bounds them all. Bytes that do not match x-goog-hash fail the attempt, which is
 * retried like a 5xx.
 *
 * `admit` is asked before the body's bytes are held (see readAdmittedBody); a refusal is thrown as ReadRefused and
 * never retried.
 */
export async function downloadObject(
    storage: Storage,
    bucket: string,
    key: string,
    t: StorageTimeouts,
    admit?: ReadAdmission,
    signal?: AbortSignal,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: () => number = Math.random,
): Promise<{ body: Uint8Array; contentType: string } | undefined> {
    const client = storage as unknown as { baseUrl: string; customEndpoint?: boolean; useAuthWithCustomEndpoint?: boolean };
    const url = `${client.baseUrl}/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(key)}?alt=media`;
    const anonymous = client.customEndpoint === true && client.useAuthWithCustomEndpoint !== true;
    const headers = anonymous ? {} : ((await storage.authClient.getRequestHeaders(url)) as Record<string, string>);
    // Elapsed time by the monotonic clock: a wall-clock step (NTP) neither ends a read at once nor stretches its deadline.
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
        const controller = new AbortController();
        // The request's own deadline (the store guard's signal) ends the download too: past it nobody waits for these
        // bytes, and a buffer still filling would hold memory its reservation no longer counts.
        const callerGaveUp = () => controller.abort(new GcsDownloadError(`reading ${bucket}/${key}: the request's storage deadline passed`));
        if (signal?.aborted) callerGaveUp();
        signal?.addEventListener("abort", callerGaveUp, { once: true });
        let timer: NodeJS.Timeout | undefined;
        /** (Re)starts this attempt's timer: the attempt timeout, or what is left of the deadline when that is less. */
        const waitAtMost = (what: string) => {
            clearTimeout(timer);
            const left = t.deadlineMs - (performance.now() - started);
            const ms = Math.max(1, Math.min(t.attemptTimeoutMs, left));
            const why = ms < t.attemptTimeoutMs ? `the deadline (${t.deadlineMs} ms) passed` : `nothing in ${ms} ms`;
            timer = setTimeout(() => controller.abort(new GcsDownloadError(`no answer from GCS for ${bucket}/${key}: waiting for ${what}, ${why}`)), ms);
        };
        let failure: GcsDownloadError;
        try {
            waitAtMost("the answer");
            const res = await fetch(url, { headers, signal: controller.signal });
            waitAtMost("its body");
            if (res.ok) {
                const check = bodyCheck(res.headers);
                let bytes = 0;
                const body = await readAdmittedBody(key, res.body ?? [], {
                    declared: declaredLength(res.headers),
                    admit,
                    onChunk: (chunk) => {
                        waitAtMost(`more of its body after ${(bytes += chunk.byteLength)} bytes`);
                        check?.update(chunk);
                    },
                    stop: () => controller.abort(),
                });
                const actual = check?.actual();
                if (check && actual !== check.expected) {
                    throw new GcsDownloadError(`GCS sent ${bucket}/${key} with ${check.name} ${actual}, not the ${check.expected} its x-goog-hash names (${bytes} bytes, discarded)`);
                }
                return { body, contentType: res.headers.get("content-type") ?? "application/octet-stream" };
            }
            const text = (await res.text()).slice(0, 200);
            if (res.status === 404) return undefined;
            failure = new GcsDownloadError(`GCS answered ${res.status} for ${bucket}/${key}: ${text}`, res.status);
            if (!RETRYABLE(res.status)) throw failure;
        } catch (err) {
            if (err instanceof ReadRefused) throw err;
            if (err instanceof GcsDownloadError && err.code !== undefined && !RETRYABLE(err.code)) throw err;
            // fetch (undici) gunzips a gzip-stored body and fails bytes that do not decompress with TypeError
            // "terminated" whose cause is zlib's error (code Z_DATA_ERROR...): an answer, damaged, retried like a bad hash.
            const zlib = (err as Error).cause as { code?: unknown; message?: string } | undefined;
            if (err instanceof GcsDownloadError) failure = err;
            else if (typeof zlib?.code === "string" && zlib.code.startsWith("Z_")) failure = new GcsDownloadError(`GCS's gzip-stored body for ${bucket}/${key} did not decompress: ${zlib.message}`);
            else failure = new GcsDownloadError(`no answer from GCS for ${bucket}/${key}: ${(err as Error).message}`);
        } finally {
            clearTimeout(timer);
            signal?.removeEventListener("abort", callerGaveUp);
        }
        if (signal?.aborted) throw failure;
        // Backoff with jitter (Cloud Storage's "Retry strategy"): the instances one 503 or 429 turned away together
        // spread their retries over twice the backoff instead of all coming back at once.
        const delay = Math.min(t.attemptTimeoutMs, Math.floor(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1) * (1 + random())));
        if (attempt >= t.maxAttempts || performance.now() - started + delay >= t.deadlineMs) throw failure;
        await sleep(delay);
        if (signal?.aborted) throw failure;
    }
}
