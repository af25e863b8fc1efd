import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { S3Store } from "../src/storage/s3Store";
import { RunningServer, runUntilExit, startServer } from "./helpers";
import { ThrottledProxy, startThrottledProxy } from "./edges/throttledProxy";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";

// STORAGE_ATTEMPT_TIMEOUT_MS bounds waiting (to connect, for an answer, between two reads or writes), not
// sending a body: an upload that MAX_BODY_BYTES allows succeeds on a link slower than the body over one attempt.

const MiB = 1024 * 1024;
const BUCKET = "slow-bucket";

describe("an upload over a slow link to storage (dist/server.js on S3, 1.25 MiB/s)", () => {
    let s3: LocalS3;
    let proxy: ThrottledProxy;
    let server: RunningServer;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        proxy = await startThrottledProxy(s3.endpoint, 1.25 * MiB);
        server = await startServer({ ...s3rverServiceEnv(proxy.url, BUCKET), MAX_BODY_BYTES: String(2 * MiB), STORAGE_ATTEMPT_TIMEOUT_MS: "500", STORAGE_MAX_ATTEMPTS: "2", STORAGE_DEADLINE_MS: "8000" });
    });
    after(async () => {
        await server?.stop();
        await proxy?.close();
        await s3?.close();
    });

    it("a 2 MiB body (about 1.6 s to send, three times one attempt's timeout) is stored byte for byte", async () => {
        const body = new Uint8Array(2 * MiB).map((_, i) => (i * 7) % 251);
        const res = await fetch(`${server.url}/objects/large.bin`, { method: "PUT", body });
        assert.equal(res.status, 201, await res.clone().text());
        const stored = await new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint)).get("input/large.bin");
        assert.ok(stored && Buffer.from(stored.body).equals(Buffer.from(body)), "the bytes sent are stored");
    });
});

describe("settings that cannot work together are refused at start (exit 2 naming them)", { concurrency: true }, () => {
    for (const [env, pattern] of [
        [{ DRAIN_TIMEOUT_MS: "5000", STORAGE_DEADLINE_MS: "6000" }, /DRAIN_TIMEOUT_MS: must be more than STORAGE_DEADLINE_MS \(6000\)/],
        [{ MAX_BODY_BYTES: String(10 * MiB), MAX_BODY_BYTES_IN_FLIGHT: String(MiB) }, /MAX_BODY_BYTES_IN_FLIGHT: must be at least MAX_BODY_BYTES \(10485760\)/],
    ] as const) {
        it(JSON.stringify(env), async () => {
            const { code, output } = await runUntilExit(env as Record<string, string>);
            assert.equal(code, 2);
            assert.match(output, pattern);
        });
    }
});
