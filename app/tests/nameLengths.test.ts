import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { functionUrlEvent } from "./events";
import { LambdaApi, resultBytes, startLambdaApi } from "./lambdaApi";
import { RunningServer, startServer } from "./helpers";
import { invokeBundle } from "./invokeBundle";
import { LocalS3, s3rverClientConfig, s3rverServiceEnv, startS3rver } from "./s3rver";
import { S3Store } from "../src/storage/s3Store";

// S3 keys and GCS object names are at most 1,024 bytes. Every key a name leads to must fit: the object under
// OBJECT_PREFIX, any collision rename of it (`-20`, `-<8 hex>`), and the worker's `results/<key>.json`.

const KEY_LIMIT = 1024;
const PREFIX = "input/";
const derivedKeys = (name: string) => [`${PREFIX}${name}`, `results/${PREFIX}${name}.json`];
const fits = (key: string) => Buffer.byteLength(key, "utf8") <= KEY_LIMIT;

/** The longest name made of `unit` that `put` accepts, with the status of one unit more. */
async function longestAccepted(put: (name: string) => Promise<number>, unit: string): Promise<{ name: string; longerStatus: number }> {
    for (let n = Math.floor(KEY_LIMIT / Buffer.byteLength(unit)); n > 0; n--) {
        const name = `${unit.repeat(n)}.txt`;
        if ((await put(name)) === 201) return { name, longerStatus: await put(`${unit.repeat(n + 1)}.txt`) };
    }
    throw new Error("no name accepted");
}

describe("every acknowledged name is readable and every key it leads to fits: dist/server.js", () => {
    let server: RunningServer;
    before(async () => {
        server = await startServer({ OBJECT_PREFIX: PREFIX });
    });
    after(async () => server.stop());
    const put = async (name: string, body = "x") => {
        const res = await fetch(`${server.url}/objects/${encodeURIComponent(name)}`, { method: "PUT", body });
        return { status: res.status, json: await res.json() };
    };

    for (const unit of ["n", "é", "\u{1f600}"]) {
        it(`names of ${JSON.stringify(unit)}: the longest accepted, renamed 25 times, all readable, all derived keys within ${KEY_LIMIT} bytes`, async () => {
            const { name, longerStatus } = await longestAccepted(async (n) => (await put(n)).status, unit);
            assert.equal(longerStatus, 400, "one unit more is refused");
            for (let i = 0; i < 25; i++) {
                const { status, json } = await put(name, `copy ${i}`);
                assert.equal(status, 201);
                for (const key of derivedKeys(json.name)) assert.ok(fits(key), `${Buffer.byteLength(key)} bytes: ${key.slice(0, 40)}...`);
                const got = await fetch(`${server.url}/objects/${encodeURIComponent(json.name)}`);
                assert.equal(got.status, 200, `acknowledged ${json.name.length} chars but unreadable`);
                assert.equal(await got.text(), `copy ${i}`);
            }
        });
    }
    // app/README.md (Names): an upload may ask for 1024 - len(OBJECT_PREFIX) - 22 bytes, and a stored name may be 9 bytes
    // longer. The search above finds whatever limit the service has; this pins it where every derived key just fits.
    it("the limits are exact: an upload name of 996 bytes under input/ is stored, 997 is 400; a stored name of 1005 bytes is looked up, 1006 is 400", async () => {
        const uploadLimit = KEY_LIMIT - PREFIX.length - 22;
        assert.equal((await put(`${"u".repeat(uploadLimit - 4)}.txt`)).status, 201);
        assert.equal((await put(`${"u".repeat(uploadLimit - 3)}.txt`)).status, 400);
        const head = async (name: string) => (await fetch(`${server.url}/objects/${encodeURIComponent(name)}`, { method: "HEAD" })).status;
        assert.equal(await head(`${"s".repeat(uploadLimit + 9 - 4)}.txt`), 404, "the longest stored name is a name: not found, not refused");
        assert.equal(await head(`${"s".repeat(uploadLimit + 9 - 3)}.txt`), 400);
    });
});

describe("every acknowledged name is readable: dist/api.js (Function URL)", () => {
    let api: LambdaApi;
    before(() => {
        api = startLambdaApi({ STORAGE_BACKEND: "memory", OBJECT_PREFIX: PREFIX });
    });
    after(async () => api?.stop());

    it("the longest accepted name, renamed, is readable and its derived keys fit", async () => {
        const putStatus = async (n: string) => (await api.call(functionUrlEvent("PUT", `/objects/${encodeURIComponent(n)}`, "x"))).statusCode;
        const { name, longerStatus } = await longestAccepted(putStatus, "n");
        assert.equal(longerStatus, 400);
        const renamed = JSON.parse(resultBytes(await api.call(functionUrlEvent("PUT", `/objects/${encodeURIComponent(name)}`, "again"))).toString()).name;
        for (const key of derivedKeys(renamed)) assert.ok(fits(key), `${Buffer.byteLength(key)} bytes`);
        assert.equal((await api.call(functionUrlEvent("GET", `/objects/${encodeURIComponent(renamed)}`))).statusCode, 200);
    });
});

describe("dist/worker.js refuses a key whose result key would not fit", () => {
    let s3: LocalS3;
    const BUCKET = "pipeline-bucket";
    // Segments of 100 bytes: s3rver keeps keys as files, and a file name is at most 255 bytes.
    const key = `${PREFIX}${Array.from({ length: 10 }, () => "k".repeat(100)).join("/")}/${"k".repeat(KEY_LIMIT - PREFIX.length - 1010 - 3)}`;
    before(async () => {
        s3 = await startS3rver([BUCKET]);
        await new S3Store(BUCKET, PREFIX, s3rverClientConfig(s3.endpoint)).put(key, new TextEncoder().encode("hello"), "text/plain");
    });
    after(async () => s3.close());

    it(`a ${KEY_LIMIT - 3}-byte key (its results/<key>.json would be ${KEY_LIMIT + 10} bytes) is KeyRejected, not retried`, async () => {
        assert.equal(Buffer.byteLength(key), KEY_LIMIT - 3);
        const { error } = await invokeBundle("worker", { bucket: BUCKET, keys: [key] }, { ...s3rverServiceEnv(s3.endpoint, BUCKET), STORAGE_MAX_ATTEMPTS: "1" });
        assert.deepEqual(error && { phase: error.phase, name: error.name }, { phase: "invoke", name: "KeyRejected" });
        assert.match(error!.message, /results key would be longer than 1024 bytes/);
    });
});
