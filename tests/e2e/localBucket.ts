import { mkdtempSync, rmSync } from "fs";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../scripts/offline/stackFile";

/** s3rver is a dev dependency of app/, whose S3 contract tests use it too. */
const S3RVER = path.join(PROJECT_ROOT, "app", "node_modules", "s3rver");

export interface LocalBucket {
    /** For AWS_ENDPOINT_URL_S3: an IP endpoint, so the SDK addresses buckets path-style. */
    endpoint: string;
    bucket: string;
    /** The object's bytes, read over the S3 protocol, or undefined when there is none. */
    read(key: string): Promise<Buffer | undefined>;
    /** Stops the server and removes its files. */
    close(): Promise<void>;
}

/** An S3-protocol server (s3rver) on loopback with one bucket, its objects in a temporary folder. */
export async function startLocalBucket(bucket: string): Promise<LocalBucket> {
    const S3rver = require(S3RVER);
    const directory = mkdtempSync(path.join(tmpdir(), "e2e-s3rver-"));
    const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });
    let info: AddressInfo;
    try {
        info = await server.run();
    } catch (err) {
        rmSync(directory, { recursive: true, force: true });
        throw err;
    }
    const endpoint = `http://127.0.0.1:${info.port}`;
    return {
        endpoint,
        bucket,
        read: async (key) => {
            // s3rver serves unsigned requests: no SDK is needed to read back what the functions wrote.
            const res = await fetch(`${endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`);
            if (res.status === 404) return undefined;
            if (!res.ok) throw new Error(`GET ${key}: ${res.status} ${await res.text()}`);
            return Buffer.from(await res.arrayBuffer());
        },
        close: async () => {
            await server.close();
            rmSync(directory, { recursive: true, force: true });
        },
    };
}
