import { IdempotencyStrategy, Storage, StorageOptions } from "@google-cloud/storage";
import { randomUUID } from "node:crypto";
import { ObjectStore, StoredObject, UPLOAD_ID_KEY, inKeyOrder } from "./objectStore";
import { downloadObject } from "./gcsDownload";
import { ReadAdmission } from "../readAdmission";
import { storageStatus } from "./storageError";
import { StorageTimeouts, writeAttemptTimeoutMs } from "./storageTimeouts";

/**
 * Deadlines and retries from the SDK itself: `timeout` bounds each HTTP request; `retryOptions` retries
 * transient errors (429, 5xx, resets) with exponential backoff (2^n s plus up to 1 s of jitter, capped at one
 * attempt's timeout; at least 1 s for writes, see writeOptions), at most `maxAttempts` attempts in all and never past the deadline (`totalTimeout`). Conditional writes (`ifGenerationMatch: 0`) are retried;
 * an unconditional one (a worker result) is not, and the state machine retries the key instead.
 */
export function gcsOptions(t: StorageTimeouts): StorageOptions {
    return {
        timeout: t.attemptTimeoutMs,
        retryOptions: {
            autoRetry: t.maxAttempts > 1,
            maxRetries: t.maxAttempts - 1,
            // Both in seconds; the SDK multiplies them by 1000, so fractions are fine.
            totalTimeout: t.deadlineMs / 1000,
            maxRetryDelay: t.attemptTimeoutMs / 1000,
            retryDelayMultiplier: 2,
            idempotencyStrategy: IdempotencyStrategy.RetryConditional,
        },
    };
}

/**
 * file.save retries through async-retry, whose first wait (minTimeout) is 1 s and which refuses a lower cap
 * (maxRetryDelay) before sending anything ("minTimeout is greater than maxTimeout"): with an attempt timeout
 * under 1 s every upload failed. Writes get a cap of at least 1 s; the deadline still bounds them.
 */
export const SAVE_MIN_RETRY_DELAY_SECONDS = 1;

function writeOptions(options: StorageOptions): StorageOptions {
    const retry = options.retryOptions;
    if (!retry?.maxRetryDelay || retry.maxRetryDelay >= SAVE_MIN_RETRY_DELAY_SECONDS) return options;
    return { ...options, retryOptions: { ...retry, maxRetryDelay: SAVE_MIN_RETRY_DELAY_SECONDS } };
}

/** Without the service's settings (tests of the store alone): the settings' defaults. */
const DEFAULT_TIMEOUTS: StorageTimeouts = { attemptTimeoutMs: 2000, maxAttempts: 3, deadlineMs: 6000 };

/** Google Cloud Storage through the official SDK; `putIfAbsent` uses a generation precondition (0 = absent). */
export class GcsStore implements ObjectStore {
    readonly backend = "gcs" as const;
    private readonly storage: Storage;
    /** Uploads' options: a retry cap file.save accepts (see writeOptions). */
    private readonly uploadOptions: StorageOptions;

    /** `timeouts`: an upload request may take as long as its body needs (writeAttemptTimeoutMs, as on S3). */
    constructor(
        private readonly bucket: string,
        private readonly prefix: string,
        options: StorageOptions = {},
        private readonly timeouts?: StorageTimeouts,
    ) {
        this.storage = new Storage(options);
        this.uploadOptions = writeOptions(options);
    }

    /**
     * The file an upload of `body` is saved through, by a client of its own sharing the one auth client: the SDK
     * sends each request with its client's `timeout`, whatever the call asked (nodejs-common service.js, request_),
     * so this client's is the time the body needs; and a save without a precondition turns its client's retries off
     * for good (file.js: `this.storage.retryOptions.autoRetry = false`), which no later upload may inherit.
     */
    private uploadFile(key: string, body: Uint8Array) {
        const timeout = this.timeouts ? writeAttemptTimeoutMs(this.timeouts, body.byteLength) : this.uploadOptions.timeout;
        const client = new Storage({ ...this.uploadOptions, timeout, authClient: this.storage.authClient as StorageOptions["authClient"] });
        return client.bucket(this.bucket).file(key);
    }

    /**
     * What file.save is given: the body itself, not a copy (Buffer.from(body) copied every upload, up to 32 MiB more
     * than the body budget counts), checked by MD5. The SDK hashes every upload by CRC32C unless told otherwise (file.js
     * createWriteStream, `let crc32c = true`), in plain JavaScript on the event loop: 270 ms per 32 MiB against
     * node:crypto's MD5 at 58 (as the reads, gcsDownload.ts). A simple upload is never composite, so GCS's answer always
     * has the md5Hash the SDK compares it to (and deletes the object when it differs, as it did for a CRC32C).
     */
    private saved(body: Uint8Array) {
        return { data: Buffer.from(body.buffer, body.byteOffset, body.byteLength), validation: "md5" as const };
    }

    private file(key: string) {
        return this.storage.bucket(this.bucket).file(key);
    }

    /**
     * The SDK retries a conditional upload whose connection broke, and the retry finds the name taken (412) by its
     * own first attempt when that one was stored: each upload carries an id of its own in the object's metadata
     * (UPLOAD_ID_KEY), and a name taken by this id is this upload's.
     */
    async putIfAbsent(key: string, body: Uint8Array, contentType: string): Promise<boolean> {
        const uploadId = randomUUID();
        try {
            const metadata = { metadata: { [UPLOAD_ID_KEY]: uploadId } };
            const { data, validation } = this.saved(body);
            await this.uploadFile(key, body).save(data, { contentType, metadata, validation, resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
            return true;
        } catch (err) {
            if (storageStatus(err) !== 412) throw err;
            return (await this.uploadIdOf(key)) === uploadId;
        }
    }
    async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
        const { data, validation } = this.saved(body);
        await this.uploadFile(key, body).save(data, { contentType, validation, resumable: false });
    }

    /** The upload id `key` was written with; undefined when it is gone again or has none. */
    private async uploadIdOf(key: string): Promise<string | undefined> {
        try {
            const [metadata] = await this.file(key).getMetadata();
            return metadata.metadata?.[UPLOAD_ID_KEY] as string | undefined;
        } catch (err) {
            if (storageStatus(err) === 404) return undefined;
            throw err;
        }
    }
    /** The media download with the store's own attempts and deadline (see gcsDownload.ts for why not the SDK's). */
    async get(key: string, signal?: AbortSignal, admit?: ReadAdmission): Promise<StoredObject | undefined> {
        return downloadObject(this.storage, this.bucket, key, this.timeouts ?? DEFAULT_TIMEOUTS, admit, signal);
    }
    /** objects.get without `alt=media`: the object's resource, not its bytes. */
    async contentTypeOf(key: string): Promise<string | undefined> {
        try {
            const [metadata] = await this.file(key).getMetadata();
            return metadata.contentType ?? "application/octet-stream";
        } catch (err) {
            if (storageStatus(err) === 404) return undefined;
            throw err;
        }
    }
    async exists(key: string): Promise<boolean> {
        const [found] = await this.file(key).exists();
        return found;
    }
    /**
     * Follows the pages itself: with `maxResults` the SDK fetches one page only (its paginator turns
     * autoPaginate off), and a page holds at most 1,000 items, or fewer (objects.list), so one page can stop short.
     */
    async list(prefix: string, limit: number): Promise<string[]> {
        const names: string[] = [];
        let pageToken: string | undefined;
        do {
            const [files, next] = await this.storage.bucket(this.bucket).getFiles({ prefix, maxResults: limit - names.length, pageToken, autoPaginate: false });
            names.push(...files.map((f) => f.name));
            pageToken = (next as { pageToken?: string } | null)?.pageToken;
        } while (pageToken && names.length < limit);
        return inKeyOrder(names).slice(0, limit);
    }
    /** Lists one object under the prefix: `storage.objects.list`, which the runtime role (objectUser) has; `buckets.get` it has not. */
    async ping(): Promise<void> {
        await this.storage.bucket(this.bucket).getFiles({ prefix: this.prefix, maxResults: 1, autoPaginate: false });
    }
}
