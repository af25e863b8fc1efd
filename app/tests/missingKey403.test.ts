import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { S3Store, confirmMissingRequest } from "../src/storage/s3Store";
import { WORKER_ERRORS } from "../src/workerErrorNames";
import { invokeBundle } from "./invokeBundle";
import { RecordingServer, recordingServer } from "./recordingServer";
import { WORKER_ROLE, asRole } from "./rolePolicies";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";

// Issue 15: S3 answers 403, not 404, for a missing key when the caller lacks an unconditioned s3:ListBucket,
// and the roles have ListBucket only with s3:prefix like input/*. The store confirms with a listing whose
// prefix is the key itself: absent -> missing; listed -> a real AccessDenied.

const BUCKET = "denied-bucket";
const s3Env = (endpoint: string) => s3rverServiceEnv(endpoint, BUCKET);
const objectReads = (r: RecordingServer) => r.requests.filter((q) => !q.url.includes("list-type"));
const listings = (r: RecordingServer) => r.requests.filter((q) => q.url.includes("list-type"));

describe("a missing key behind S3's 403 (roles without an unconditioned s3:ListBucket)", () => {
    let s3: LocalS3;
    let worker: RecordingServer;
    let denyingAll: RecordingServer;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        await new S3Store(BUCKET, "input/", s3rverClientConfig(s3.endpoint)).put("input/present.txt", new TextEncoder().encode("here"), "text/plain");
        worker = await recordingServer(asRole(WORKER_ROLE, BUCKET, s3.endpoint));
        // GET of every object is denied, listings are allowed: the key is there, so the 403 is a real AccessDenied.
        denyingAll = await recordingServer((req, res, body) => (req.url!.includes("list-type") ? asRole(WORKER_ROLE, BUCKET, s3.endpoint)(req, res, body) : res.writeHead(403, { "content-type": "application/xml" }).end("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")));
    });
    after(async () => {
        await worker.close();
        await denyingAll.close();
        await s3.close();
    });

    it("confirmMissingRequest lists one key with the key itself as the prefix", () => {
        assert.deepEqual(confirmMissingRequest(BUCKET, "input/a.txt"), { Bucket: BUCKET, Prefix: "input/a.txt", MaxKeys: 1 });
    });

    it("the store: GET and HEAD of a missing key answered 403 are 'missing' after one key-prefixed listing", async () => {
        worker.requests.length = 0;
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(worker.url));
        assert.equal(await store.get("input/missing.txt"), undefined);
        assert.equal(await store.exists("input/missing.txt"), false);
        assert.equal(await store.exists("input/present.txt"), true);
        const [list] = listings(worker);
        assert.equal(new URL(list.url, "http://s3.local").searchParams.get("prefix"), "input/missing.txt");
        assert.equal(listings(worker).length, 2, "one confirming listing per 403");
    });

    it("the store: a missing key that begins another key's name (input/present before input/present.txt) is still 'missing'", async () => {
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(worker.url));
        assert.equal(await store.get("input/present"), undefined);
        assert.equal(await store.exists("input/present"), false);
    });

    it("the store: a 403 for a key that is listed is a real AccessDenied, and is thrown", async () => {
        const store = new S3Store(BUCKET, "input/", s3rverClientConfig(denyingAll.url));
        await assert.rejects(store.get("input/present.txt"), (err: Error & { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 403);
    });

    it(`the worker bundle: a missing key is ${WORKER_ERRORS.keyRejected} (never retried), after one GET and one listing`, async () => {
        worker.requests.length = 0;
        const { error } = await invokeBundle("worker", { bucket: BUCKET, keys: ["input/missing.txt"] }, s3Env(worker.url));
        assert.deepEqual(error && { phase: error.phase, name: error.name }, { phase: "invoke", name: WORKER_ERRORS.keyRejected });
        assert.match(error!.message, /no such object/);
        assert.equal(objectReads(worker).length, 1, "the 403 is not retried by the SDK");
        assert.equal(listings(worker).length, 1);
    });

    // A 403 is no throttling or transient error in @smithy/core's retry lists: retrying cannot get past it, so the
    // state machine must not spend its 5 retries (StorageUnavailable's) on it.
    it(`the worker bundle: a real AccessDenied is ${WORKER_ERRORS.storageRefused} (never retried), not ${WORKER_ERRORS.storageUnavailable}`, async () => {
        const { error } = await invokeBundle("worker", { bucket: BUCKET, keys: ["input/present.txt"] }, s3Env(denyingAll.url));
        assert.deepEqual(error && { phase: error.phase, name: error.name }, { phase: "invoke", name: WORKER_ERRORS.storageRefused });
        assert.match(error!.message, /storage refused reading input\/present\.txt/);
    });

    it("the worker bundle still processes a present key with only the worker role's permissions", async () => {
        const { result, error } = await invokeBundle("worker", { bucket: BUCKET, keys: ["input/present.txt"] }, s3Env(worker.url));
        assert.equal(error, undefined);
        assert.deepEqual(result, { key: "input/present.txt", resultKey: "results/input/present.txt.json" });
    });
});
