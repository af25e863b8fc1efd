import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, ListObjectsV2CommandInput, PutObjectCommand, S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { ObjectStore, StoredObject } from "./objectStore";

const status = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissing = (err: unknown) => status(err) === 404 || (err as Error).name === "NoSuchKey" || (err as Error).name === "NotFound";

/**
 * The readiness probe's request: a one-key listing under the service's prefix. The API role may list the
 * bucket only with `s3:prefix` like `input/*`, so the probe must carry the prefix (HeadBucket would be denied).
 */
export function pingRequest(bucket: string, prefix: string): ListObjectsV2CommandInput {
    return { Bucket: bucket, Prefix: prefix, MaxKeys: 1 };
}

/** Amazon S3 through the official SDK; `putIfAbsent` uses S3's conditional write (If-None-Match: *). */
export class S3Store implements ObjectStore {
    readonly backend = "s3" as const;
    private readonly client: S3Client;

    constructor(
        private readonly bucket: string,
        private readonly prefix: string,
        config: S3ClientConfig = {},
    ) {
        this.client = new S3Client(config);
    }

    async putIfAbsent(key: string, body: Uint8Array, contentType: string): Promise<boolean> {
        try {
            await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, IfNoneMatch: "*" }));
            return true;
        } catch (err) {
            if (status(err) === 412 || (err as Error).name === "PreconditionFailed") return false;
            throw err;
        }
    }
    async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
    }
    async get(key: string): Promise<StoredObject | undefined> {
        try {
            const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
            return { body: await res.Body!.transformToByteArray(), contentType: res.ContentType ?? "application/octet-stream" };
        } catch (err) {
            if (isMissing(err)) return undefined;
            throw err;
        }
    }
    async exists(key: string): Promise<boolean> {
        try {
            await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
            return true;
        } catch (err) {
            if (isMissing(err)) return false;
            throw err;
        }
    }
    async list(prefix: string, limit: number): Promise<string[]> {
        const keys: string[] = [];
        let token: string | undefined;
        do {
            const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: Math.min(1000, limit - keys.length) }));
            keys.push(...(res.Contents ?? []).map((o) => o.Key!));
            token = res.IsTruncated ? res.NextContinuationToken : undefined;
        } while (token && keys.length < limit);
        return keys.sort();
    }
    async ping(): Promise<void> {
        await this.client.send(new ListObjectsV2Command(pingRequest(this.bucket, this.prefix)));
    }
}
