import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { S3Store } from "../src/storage/s3Store";
import { builtDist } from "./builtBundles";
import { functionUrlEvent } from "./events";
import { FakeGcs, fakeGcsServiceEnv, startFakeGcs } from "./gcs/fakeGcs";
import { startServer } from "./helpers";
import { RunAs, lambdaOwnEnv, startLambdaEnvironment } from "./lambdaRuntime";
import { resultBytes } from "./lambdaApi";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";

// What ships, started the way each runtime starts it, not the way the other tests do (as the runner's user, in the
// checkout, with its HOME and a compile cache folder):
// - Lambda ("Working with Lambda container images", Requirements): "The container image must be able to run on a
//   read-only file system" with a writable /tmp, and "Lambda follows security best practices by defining a default Linux
//   user with least-privileged permissions" (not the image's USER, as observed in simonko.dev/posts/aws/non-root-lambda-image).
//   The function's code is at LAMBDA_TASK_ROOT,
//   /var/task, also the working directory, and its environment is what Lambda sets ("Defined runtime environment
//   variables"), with no HOME among them.
// - Cloud Run ("Container runtime contract"): the container listens on $PORT; PORT, K_SERVICE, K_REVISION and
//   K_CONFIGURATION are set; SIGTERM, then SIGKILL 10 s later. Its file system is writable (in memory), and it runs as the
//   image's USER, nobody (app/Dockerfile), as here.
// Here the bundles are copied into a folder the test's user (root) owns, run as nobody (65534), who can write none of it,
// with no HOME (os.homedir() then reads /etc/passwd: /nonexistent, or a folder nobody cannot write either) and no compile
// cache folder, so anything that writes beside the code, into a home folder or into a cache outside /tmp fails here as
// it would on Lambda. One start per entry point.

const NOBODY = 65534;
const BUCKET = "as-shipped";
const isRoot = process.getuid?.() === 0;

/** Why the suite cannot run here, or undefined when it can. */
function cannotRun(taskRoot: string): string | undefined {
    const probe = spawnSync(process.execPath, ["-e", `require("node:fs").readFileSync(${JSON.stringify(path.join(taskRoot, "api.js"))})`], { uid: NOBODY, gid: NOBODY, cwd: taskRoot, env: {}, encoding: "utf8" });
    if (probe.error || probe.status !== 0) return `uid ${NOBODY} cannot run ${process.execPath} on the copied bundles: ${probe.error?.message ?? probe.stderr}`;
    return undefined;
}

/** The image's environment (the Lambda base image's ENV and app/Dockerfile's), the same under either runtime. */
function imageEnv(taskRoot: string): Record<string, string> {
    return {
        LANG: "en_US.UTF-8",
        TZ: ":UTC",
        PATH: "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: "/var/runtime",
        NODE_ENV: "production",
    };
}

/**
 * What Lambda sets in every execution environment ("Defined runtime environment variables": the reserved ones and the
 * unreserved LANG, PATH, LD_LIBRARY_PATH, NODE_PATH and TZ with their documented values), for `<entry>.handler` in
 * `taskRoot` (the stand-in's /var/task): the stand-in's own (lambdaOwnEnv) and the rest. The runtime API's address is a
 * placeholder: the stand-in runtime feeds events itself.
 */
function lambdaDefinedEnv(entry: "api" | "worker", taskRoot: string): Record<string, string> {
    const own = lambdaOwnEnv(entry);
    const name = own.AWS_LAMBDA_FUNCTION_NAME;
    return {
        ...own,
        _HANDLER: `${entry}.handler`,
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: "2026/11/22/[8]0123456789abcdef0123456789abcdef",
        AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
        AWS_REGION: "us-east-1",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_SESSION_TOKEN: "session-token",
        ...imageEnv(taskRoot),
        // The guide's values, $LAMBDA_RUNTIME_DIR and $LAMBDA_TASK_ROOT expanded (NODE_PATH's nodeN folder for Node.js 24).
        LD_LIBRARY_PATH: `/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:${taskRoot}:${taskRoot}/lib:/opt/lib`,
        NODE_PATH: "/opt/nodejs/node24/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules",
    };
}

/**
 * The built bundles copied into a folder of their own under /tmp, not under TMPDIR: npm test's TMPDIR is a mktemp -d
 * folder (0700) nobody cannot enter. A copy that fails removes its folder: the suite's `after`, which removes it
 * otherwise, is never registered then.
 */
function copiedBundles(): string {
    const dist = builtDist(); // unbuilt bundles fail here, before any folder is made
    const taskRoot = mkdtempSync("/tmp/var-task-");
    try {
        chmodSync(taskRoot, 0o755);
        cpSync(dist, taskRoot, { recursive: true });
        return taskRoot;
    } catch (err) {
        rmSync(taskRoot, { recursive: true, force: true });
        throw err;
    }
}

describe("the bundles as the runtimes run them: a non-root user, a read-only task root, no HOME", () => {
    const taskRoot = isRoot ? copiedBundles() : "/var/task";
    const skip = isRoot ? cannotRun(taskRoot) : "not root: switching to a non-root user (as Lambda runs the function) needs root";
    if (skip) console.log(`# skipped: ${skip}`);
    const runAs: RunAs = { uid: NOBODY, gid: NOBODY, cwd: taskRoot };
    let s3: LocalS3;
    let gcs: FakeGcs;
    before(async () => {
        if (skip) return;
        [s3, gcs] = await Promise.all([startS3rver([BUCKET]), startFakeGcs([BUCKET])]);
        await new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint)).put("input/a.txt", new TextEncoder().encode("hello"), "text/plain");
    });
    after(async () => {
        await s3?.close();
        await gcs?.close();
        if (isRoot) rmSync(taskRoot, { recursive: true, force: true });
    });

    it("a Lambda environment of api.handler: /ready, then an upload read back, on S3", { skip }, async () => {
        const lambda = startLambdaEnvironment("api", { ...lambdaDefinedEnv("api", taskRoot), ...s3rverServiceEnv(s3.endpoint, BUCKET), LOG_LEVEL: "warn" }, path.join(taskRoot, "api.js"), runAs);
        try {
            const call = async (event: unknown) => {
                const outcome = await lambda.answer(event);
                assert.equal(outcome.error, undefined, `${JSON.stringify(outcome.error)}\n${lambda.output()}`);
                return outcome.result;
            };
            assert.equal((await call(functionUrlEvent("GET", "/ready"))).statusCode, 200, lambda.output());
            const put = await call(functionUrlEvent("PUT", "/objects/note.bin", new Uint8Array([0, 1, 2, 255]), { "content-type": "application/octet-stream" }));
            assert.equal(put.statusCode, 201, put.body);
            const got = await call(functionUrlEvent("GET", "/objects/note.bin"));
            assert.equal(got.statusCode, 200);
            assert.deepEqual([...resultBytes(got)], [0, 1, 2, 255]);
            assert.doesNotMatch(lambda.output(), /EACCES|EROFS|EPERM/, `nothing was refused a write: ${lambda.output()}`);
        } finally {
            lambda.child.kill("SIGKILL");
            await lambda.exited;
        }
    });

    it("a Lambda environment of worker.handler: one key processed, its result written, on S3", { skip }, async () => {
        const lambda = startLambdaEnvironment("worker", { ...lambdaDefinedEnv("worker", taskRoot), ...s3rverServiceEnv(s3.endpoint, BUCKET), LOG_LEVEL: "warn" }, path.join(taskRoot, "worker.js"), runAs);
        try {
            const outcome = await lambda.answer({ bucket: BUCKET, keys: ["input/a.txt"] });
            assert.deepEqual(outcome, { i: 0, result: { key: "input/a.txt", resultKey: "results/input/a.txt.json" } }, lambda.output());
            const stored = await new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint)).get("results/input/a.txt.json");
            assert.equal(JSON.parse(new TextDecoder().decode(stored!.body)).bytes, 5);
            assert.doesNotMatch(lambda.output(), /EACCES|EROFS|EPERM/, `nothing was refused a write: ${lambda.output()}`);
        } finally {
            lambda.child.kill("SIGKILL");
            await lambda.exited;
        }
    });

    it("Cloud Run's start (node /var/task/server.js, $PORT, K_*): ready, an upload read back on GCS, exit 0 on SIGTERM", { skip }, async () => {
        // The image's environment, then what Cloud Run adds (PORT: startServer's).
        const env = {
            ...imageEnv(taskRoot),
            K_SERVICE: "pipeline-api",
            K_REVISION: "pipeline-api-00008-abc",
            K_CONFIGURATION: "pipeline-api",
            LOG_LEVEL: "warn",
            ...fakeGcsServiceEnv(gcs.url, BUCKET),
        };
        const server = await startServer(env, path.join(taskRoot, "server.js"), runAs);
        try {
            const put = await fetch(`${server.url}/objects/note.bin`, { method: "PUT", body: new Uint8Array([0, 1, 2, 255]), headers: { "content-type": "application/octet-stream" } });
            assert.equal(put.status, 201, await put.clone().text());
            const got = await fetch(`${server.url}/objects/note.bin`);
            assert.deepEqual([...new Uint8Array(await got.arrayBuffer())], [0, 1, 2, 255]);
            assert.equal(await server.stop(), 0, server.output());
            assert.doesNotMatch(server.output(), /EACCES|EROFS|EPERM/, `nothing was refused a write: ${server.output()}`);
        } finally {
            if (server.child.exitCode === null) server.child.kill("SIGKILL");
        }
    });
});
