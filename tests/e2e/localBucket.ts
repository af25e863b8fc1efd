import { startS3rver } from "../../app/tests/s3rver";

export interface LocalBucket {
    /** For AWS_ENDPOINT_URL_S3: an IP endpoint, so the SDK addresses buckets path-style. */
    endpoint: string;
    bucket: string;
    /** The object's bytes, read over the S3 protocol, or undefined when there is none. */
    read(key: string): Promise<Buffer | undefined>;
    /** Stops the server and removes its files. */
    close(): Promise<void>;
}

/** An S3-protocol server (s3rver, as app/'s S3 contract tests start it) on loopback with one bucket. */
export async function startLocalBucket(bucket: string): Promise<LocalBucket> {
    const server = await startS3rver([bucket]);
    return {
        endpoint: server.endpoint,
        bucket,
        read: async (key) => {
            // s3rver serves unsigned requests: no SDK is needed to read back what the functions wrote.
            const res = await fetch(`${server.endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`);
            if (res.status === 404) return undefined;
            if (!res.ok) throw new Error(`GET ${key}: ${res.status} ${await res.text()}`);
            return Buffer.from(await res.arrayBuffer());
        },
        close: server.close,
    };
}
