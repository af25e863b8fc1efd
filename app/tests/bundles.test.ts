import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LAMBDA_API_MAX_BODY_BYTES } from "../src/bodyLimits";
import { S3Store } from "../src/storage/s3Store";
import { WORKER_ERRORS } from "../src/workerErrorNames";
import { functionUrlEvent } from "./events";
import { invokeBundle } from "./invokeBundle";
import { RecordingServer, recordingServer } from "./recordingServer";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";

// The built, minified bundles as the Lambda runtime loads them: class names do not survive minification,
// so the error names Step Functions matches on must be set explicitly.

const BUCKET = "pipeline-bucket";
const s3Env = (endpoint: string) => ({ ...s3rverServiceEnv(endpoint, BUCKET), STORAGE_MAX_ATTEMPTS: "1" });

describe("dist/worker.js (the pipeline worker bundle) against S3", () => {
    let s3: LocalS3;
    let slowDown: RecordingServer;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        await new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint)).put("input/a.txt", new TextEncoder().encode("hello"), "text/plain");
        slowDown = await recordingServer((_req, res) => {
            res.writeHead(503, { "content-type": "application/xml" }).end("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
        });
    });
    after(async () => {
        await slowDown.close();
        await s3.close();
    });

    it("returns only {key, resultKey} and writes the result", async () => {
        const { result, error } = await invokeBundle("worker", { bucket: BUCKET, keys: ["input/a.txt"] }, s3Env(s3.endpoint));
        assert.equal(error, undefined);
        assert.deepEqual(result, { key: "input/a.txt", resultKey: "results/input/a.txt.json" });
        const stored = await new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint)).get("results/input/a.txt.json");
        assert.equal(JSON.parse(new TextDecoder().decode(stored!.body)).bytes, 5);
    });

    it(`a missing object throws an error named ${WORKER_ERRORS.keyRejected}`, async () => {
        const { error } = await invokeBundle("worker", { bucket: BUCKET, keys: ["input/missing.txt"] }, s3Env(s3.endpoint));
        assert.deepEqual(error && { phase: error.phase, name: error.name }, { phase: "invoke", name: WORKER_ERRORS.keyRejected });
    });

    it(`an unavailable bucket throws an error named ${WORKER_ERRORS.storageUnavailable}`, async () => {
        const { error } = await invokeBundle("worker", { bucket: BUCKET, keys: ["input/a.txt"] }, s3Env(slowDown.url));
        assert.deepEqual(error && { phase: error.phase, name: error.name }, { phase: "invoke", name: WORKER_ERRORS.storageUnavailable });
        assert.match(error!.message, /storage unavailable while reading input\/a.txt/);
    });
});

describe("dist/api.js (the Lambda HTTP API bundle) body limit", () => {
    it("a Function URL event with a base64 body over 4 MiB answers 413 naming the limit", async () => {
        const event = functionUrlEvent("PUT", "/objects/big.bin", new Uint8Array(LAMBDA_API_MAX_BODY_BYTES + 1), { "content-type": "application/octet-stream" });
        const { result, error } = await invokeBundle("api", event, { STORAGE_BACKEND: "memory" });
        assert.equal(error, undefined);
        assert.equal(result.statusCode, 413);
        assert.deepEqual(JSON.parse(result.body), { error: `body larger than ${LAMBDA_API_MAX_BODY_BYTES} bytes` });
    });

    it("MAX_BODY_BYTES over 4 MiB fails at start with a settings error naming the variable and the ceiling", async () => {
        const { error } = await invokeBundle("api", functionUrlEvent("GET", "/health"), { STORAGE_BACKEND: "memory", MAX_BODY_BYTES: "10485760" });
        assert.equal(error?.phase, "init");
        assert.equal(error?.name, "SettingsError");
        assert.match(error!.message, /MAX_BODY_BYTES: must be at most 4194304 \(4 MiB\) on the Lambda API.*\(got "10485760"\)/);
    });
});
