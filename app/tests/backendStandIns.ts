import { after, before } from "node:test";
import { FakeGcs, fakeGcsServiceEnv, startFakeGcs } from "./gcs/fakeGcs";
import { LocalS3, s3rverServiceEnv, startS3rver } from "./s3rver";

export type Backend = "memory" | "s3" | "gcs";

/**
 * For a describe block that runs the built server on every storage backend: s3rver and the GCS stand-in, each
 * holding `bucket`, started before its tests and stopped after; `env(backend)` is what the server needs for one.
 */
export function backendStandIns(bucket: string): { env: (backend: Backend) => Record<string, string> } {
    let s3: LocalS3 | undefined;
    let gcs: FakeGcs | undefined;
    before(async () => {
        [s3, gcs] = await Promise.all([startS3rver([bucket]), startFakeGcs([bucket])]);
    });
    after(async () => {
        await s3?.close();
        await gcs?.close();
    });
    return {
        env: (backend) => (backend === "s3" ? s3rverServiceEnv(s3!.endpoint, bucket) : backend === "gcs" ? fakeGcsServiceEnv(gcs!.url, bucket) : {}),
    };
}
