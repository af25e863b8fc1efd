import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compileCacheEnv } from "./compileCache";

export interface LocalS3 {
    endpoint: string;
    close: () => Promise<void>;
}

const SERVE = `
const S3rver = require(process.env.S3RVER_MODULE);
const { directory, buckets } = JSON.parse(process.env.S3RVER_OPTIONS);
new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) })
    .run()
    .then((info) => console.log(JSON.stringify({ port: info.port })));
process.stdin.on("end", () => process.exit(0)).resume(); // the test process is gone: so is this one
`;

/**
 * A real S3-protocol server on loopback (s3rver) holding the given buckets, in its own process: its listing
 * continuation tokens use DES, which OpenSSL 3 only offers with the legacy provider, and a truncated listing
 * (the readiness probe asks for one key) needs one.
 */
export async function startS3rver(buckets: string[]): Promise<LocalS3> {
    const directory = mkdtempSync(path.join(tmpdir(), "s3rver-"));
    const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", SERVE], {
        env: { PATH: process.env.PATH, ...compileCacheEnv(), S3RVER_MODULE: require.resolve("s3rver"), S3RVER_OPTIONS: JSON.stringify({ directory, buckets }) },
        stdio: ["pipe", "pipe", "inherit"],
    });
    const exited = once(child, "exit");
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.on("data", (d) => {
            output += d;
            const line = output.split("\n").find((l) => l.startsWith("{"));
            if (line) resolve(JSON.parse(line).port);
        });
        child.once("exit", (code) => reject(new Error(`s3rver exited ${code}: ${output}`)));
    });
    return {
        endpoint: `http://127.0.0.1:${port}`,
        close: async () => {
            child.kill();
            await exited;
            rmSync(directory, { recursive: true, force: true });
        },
    };
}

/** The service's environment for a bucket on s3rver at `endpoint` (or a proxy in front of it), objects under input/. */
export const s3rverServiceEnv = (endpoint: string, bucket: string) => ({
    STORAGE_BACKEND: "s3",
    BUCKET_NAME: bucket,
    OBJECT_PREFIX: "input/",
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
});

/** SDK settings for s3rver (it accepts any credentials). */
export const s3rverClientConfig = (endpoint: string) => ({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
});
