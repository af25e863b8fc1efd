import type { Storage } from "@google-cloud/storage";
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

/**
 * One object's bytes and content type through the JSON API's media download (objects.get with `alt=media`, whose
 * Content-Type is the object's), on the client's own endpoint and credentials, with the store's attempts, per-attempt
 * timeout and deadline; undefined for a 404. Not the SDK's download: its stream (createReadStream on teeny-request 9)
 * pipes a 503's late response into a stream it already destroyed and throws ERR_STREAM_UNABLE_TO_PIPE from an event
 * handler, which ends the process. One request also reads bytes and type of the same version.
 */
export async function downloadObject(
    storage: Storage,
    bucket: string,
    key: string,
    t: StorageTimeouts,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<{ body: Buffer; contentType: string } | undefined> {
    const client = storage as unknown as { baseUrl: string; customEndpoint?: boolean; useAuthWithCustomEndpoint?: boolean };
    const url = `${client.baseUrl}/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(key)}?alt=media`;
    const anonymous = client.customEndpoint === true && client.useAuthWithCustomEndpoint !== true;
    const headers = anonymous ? {} : ((await storage.authClient.getRequestHeaders(url)) as Record<string, string>);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
        const left = t.deadlineMs - (Date.now() - started);
        let failure: GcsDownloadError;
        try {
            const res = await fetch(url, { headers, signal: AbortSignal.timeout(Math.max(1, Math.min(t.attemptTimeoutMs, left))) });
            if (res.ok) return { body: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get("content-type") ?? "application/octet-stream" };
            const text = (await res.text()).slice(0, 200);
            if (res.status === 404) return undefined;
            failure = new GcsDownloadError(`GCS answered ${res.status} for ${bucket}/${key}: ${text}`, res.status);
            if (!RETRYABLE(res.status)) throw failure;
        } catch (err) {
            if (err instanceof GcsDownloadError && err.code !== undefined && !RETRYABLE(err.code)) throw err;
            failure = err instanceof GcsDownloadError ? err : new GcsDownloadError(`no answer from GCS for ${bucket}/${key}: ${(err as Error).message}`);
        }
        const delay = Math.min(t.attemptTimeoutMs, FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1));
        if (attempt >= t.maxAttempts || Date.now() - started + delay >= t.deadlineMs) throw failure;
        await sleep(delay);
    }
}
