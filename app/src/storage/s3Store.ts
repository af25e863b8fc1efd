import { GetObjectCommand, HeadObjectCommand, HeadObjectCommandOutput, ListObjectsV2Command, ListObjectsV2CommandInput, PutObjectCommand, S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { awsClientConfig } from "../awsClientConfig";
import { readAdmittedBody } from "../admittedBody";
import { ObjectStore, StoredObject, UPLOAD_ID_KEY, inKeyOrder } from "./objectStore";
import { ReadAdmission } from "../readAdmission";
import { storageStatus as status } from "./storageError";
import { StorageTimeouts, writeAttemptTimeoutMs } from "./storageTimeouts";

/** How often a conditional write answered 409 ConditionalRequestConflict is sent in all. */
const CONFLICT_ATTEMPTS = 3;

/** Whether the SDK sent the request more than once before this error (its retry middleware sets $metadata.attempts). */
const retried = (err: unknown) => ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;

const isMissing = (err: unknown) => status(err) === 404 || (err as Error).name === "NoSuchKey" || (err as Error).name === "NotFound";
const isDenied = (err: unknown) => status(err) === 403;

/**
 * The readiness probe's request: a one-key listing under the service's prefix. The API role may list the
 * bucket only with `s3:prefix` like `input/*`, so the probe must carry the prefix (HeadBucket would be denied).
 */
export function pingRequest(bucket: string, prefix: string): ListObjectsV2CommandInput {
    return { Bucket: bucket, Prefix: prefix, MaxKeys: 1 };
}

/** The listing that tells a missing key from a real AccessDenied (see S3Store.absentOrDenied). */
export function confirmMissingRequest(bucket: string, key: string): ListObjectsV2CommandInput {
    return { Bucket: bucket, Prefix: key, MaxKeys: 1 };
}

/** The SDK's own cap on one client's sockets per origin (@smithy/node-http-handler, NodeHttpHandler: `maxSockets = 50`). */
const SDK_DEFAULT_MAX_SOCKETS = 50;

/**
 * The S3 client's timeouts and retries: those of every AWS client of the service (awsClientConfig.ts); and sockets
 * for `concurrentCalls` at once (a bulk check's batch, BATCH_SIZE). The SDK's agent holds 50, and an attempt's
 * connectionTimeout and requestTimeout run from when its request is made, not from when it gets a socket: HEADs of a
 * batch of 500 waited nine rounds behind the first 50 and ran out of their attempt there.
 */
export function s3ClientConfig(t: StorageTimeouts, concurrentCalls = SDK_DEFAULT_MAX_SOCKETS): S3ClientConfig {
    const config = awsClientConfig(t);
    const agent = { maxSockets: Math.max(SDK_DEFAULT_MAX_SOCKETS, concurrentCalls) };
    return { ...config, requestHandler: { ...config.requestHandler, httpAgent: agent, httpsAgent: agent } } as S3ClientConfig;
}

/** The writes' client: no socket idle timeout shorter than the deadline (a body drains from the socket at the link's pace). */
function s3WriteClientConfig(config: S3ClientConfig, t: StorageTimeouts): S3ClientConfig {
    const handler = (config.requestHandler ?? {}) as Record<string, unknown>;
    return { ...config, requestHandler: { ...handler, requestTimeout: t.deadlineMs, socketTimeout: t.deadlineMs } };
}

/** Amazon S3 through the official SDK; `putIfAbsent` uses S3's conditional write (If-None-Match: *). */
export class S3Store implements ObjectStore {
    readonly backend = "s3" as const;
    private readonly client: S3Client;

    private readonly writer: S3Client;

    /**
     * `timeouts`: writes go through a client of their own whose attempts may take as long as their body needs
     * (writeAttemptTimeoutMs), since a body on the wire can take longer than one attempt's timeout; reads keep
     * the attempt timeout, also between two reads of a body.
     */
    constructor(
        private readonly bucket: string,
        private readonly prefix: string,
        config: S3ClientConfig = {},
        private readonly timeouts?: StorageTimeouts,
    ) {
        this.client = new S3Client(config);
        this.writer = timeouts ? new S3Client(s3WriteClientConfig(config, timeouts)) : this.client;
    }

    private writeOptions(body: Uint8Array, signal?: AbortSignal) {
        return { abortSignal: signal, requestTimeout: this.timeouts && writeAttemptTimeoutMs(this.timeouts, body.byteLength) };
    }

    /**
     * S3's conditional write: of concurrent writes the first to finish wins and the others get 412; a 409
     * ConditionalRequestConflict (a delete of the key that finished first) is to be retried, S3 says, and is,
     * CONFLICT_ATTEMPTS times in all; a conflict that lasts leaves the name to the next candidate. A 412 to an SDK
     * retry may be this write's own first attempt, stored with its answer lost: each write carries an id of its own
     * in the object's metadata (x-amz-meta-upload-id), and a key taken by this id is this write's.
     */
    async putIfAbsent(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<boolean> {
        const uploadId = randomUUID();
        for (let attempt = 1; ; attempt++) {
            try {
                const put = { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, Metadata: { [UPLOAD_ID_KEY]: uploadId }, IfNoneMatch: "*" };
                await this.writer.send(new PutObjectCommand(put), this.writeOptions(body, signal));
                return true;
            } catch (err) {
                if (status(err) === 412 || (err as Error).name === "PreconditionFailed") return retried(err) && (await this.uploadIdOf(key, signal)) === uploadId;
                const conflict = status(err) === 409 || (err as Error).name === "ConditionalRequestConflict";
                if (!conflict) throw err;
                if (attempt === CONFLICT_ATTEMPTS) return false;
            }
        }
    }
    /** The upload id `key` was written with; undefined when it is gone again (S3 answers 403 for a missing key here too) or has none. */
    private async uploadIdOf(key: string, signal?: AbortSignal): Promise<string | undefined> {
        try {
            const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
            return head.Metadata?.[UPLOAD_ID_KEY];
        } catch (err) {
            if (isMissing(err) || isDenied(err)) return undefined;
            throw err;
        }
    }

    async put(key: string, body: Uint8Array, contentType: string, signal?: AbortSignal): Promise<void> {
        await this.writer.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }), this.writeOptions(body, signal));
    }
    /**
     * The body is read into one buffer of its ContentLength, admitted (`admit`) before its first byte is read. On Node
     * the SDK's Body is a Readable (the response, or the SDK's checksum stream around it, whose destroy ends both).
     */
    async get(key: string, signal?: AbortSignal, admit?: ReadAdmission): Promise<StoredObject | undefined> {
        try {
            const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
            const body = res.Body as unknown as Readable;
            const bytes = await readAdmittedBody(key, body, { declared: res.ContentLength, admit, stop: () => body.destroy() });
            return { body: bytes, contentType: res.ContentType ?? "application/octet-stream" };
        } catch (err) {
            if (isMissing(err)) return undefined;
            if (isDenied(err)) return this.absentOrDenied(key, err, signal);
            throw err;
        }
    }
    /** HeadObject: the object's metadata, or undefined when there is no such object. */
    private async head(key: string, signal?: AbortSignal): Promise<HeadObjectCommandOutput | undefined> {
        try {
            return await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
        } catch (err) {
            if (isMissing(err)) return undefined;
            if (isDenied(err)) return this.absentOrDenied(key, err, signal);
            throw err;
        }
    }
    async contentTypeOf(key: string, signal?: AbortSignal): Promise<string | undefined> {
        const head = await this.head(key, signal);
        return head && (head.ContentType ?? "application/octet-stream");
    }
    async exists(key: string, signal?: AbortSignal): Promise<boolean> {
        return (await this.head(key, signal)) !== undefined;
    }

    /**
     * S3 answers a GET or HEAD of a missing key with 403, not 404, when the caller may not list the bucket
     * unconditionally, and the roles may not (least privilege: `s3:ListBucket` only with `s3:prefix` like
     * `input/*`). A listing with the key itself as the prefix is allowed and settles it: no such key means
     * the object is missing (undefined); the key listed means the 403 was a real AccessDenied (rethrown).
     */
    private async absentOrDenied(key: string, denied: unknown, signal?: AbortSignal): Promise<undefined> {
        const res = await this.client.send(new ListObjectsV2Command(confirmMissingRequest(this.bucket, key)), { abortSignal: signal });
        if ((res.Contents ?? []).some((o) => o.Key === key)) throw denied;
        return undefined;
    }

    async list(prefix: string, limit: number, signal?: AbortSignal): Promise<string[]> {
        const keys: string[] = [];
        let token: string | undefined;
        do {
            const res = await this.client.send(
                new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: Math.min(1000, limit - keys.length) }),
                { abortSignal: signal },
            );
            keys.push(...(res.Contents ?? []).map((o) => o.Key!));
            token = res.IsTruncated ? res.NextContinuationToken : undefined;
        } while (token && keys.length < limit);
        return inKeyOrder(keys);
    }
    async ping(signal?: AbortSignal): Promise<void> {
        await this.client.send(new ListObjectsV2Command(pingRequest(this.bucket, this.prefix)), { abortSignal: signal });
    }
}
