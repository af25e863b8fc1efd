import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FakeGcs, fakeGcsServiceEnv, startFakeGcs } from "./gcs/fakeGcs";
import { startServer } from "./helpers";
import { LocalS3, s3rverServiceEnv, startS3rver } from "./s3rver";

// Cloud Run and Lambda keep each line a process writes as one log entry, and only a JSON line becomes a structured
// one: Cloud Logging takes its severity from `severity` and files plain text without one (Cloud Logging, "Special
// JSON fields in messages"); Lambda reads `level` (Lambda developer guide, "Log-level filtering"). Node's own
// warnings were such text: the GCS client's node-fetch 2 printed DEP0040 (`punycode`) and DEP0169 (`url.parse()`),
// five lines of stderr, at the first storage call of every instance.

const BUCKET = "structured-output";

const SEVERITIES = ["DEBUG", "INFO", "WARNING", "ERROR"];

/** The lines the process wrote that are not a JSON log entry: an object with a message, a level and a severity. */
const unstructuredLines = (output: string) =>
    output
        .split("\n")
        .filter((line) => line.trim() !== "")
        .filter((line) => {
            try {
                const entry = JSON.parse(line);
                return typeof entry.message !== "string" || typeof entry.level !== "string" || !SEVERITIES.includes(entry.severity);
            } catch {
                return true;
            }
        });

describe("the server writes nothing but JSON log lines, on every storage backend", () => {
    let s3: LocalS3;
    let gcs: FakeGcs;
    before(async () => {
        [s3, gcs] = await Promise.all([startS3rver([BUCKET]), startFakeGcs([BUCKET])]);
    });
    after(async () => {
        await s3?.close();
        await gcs?.close();
    });

    const backends: [string, () => Record<string, string>][] = [
        ["memory", () => ({})],
        ["s3", () => s3rverServiceEnv(s3.endpoint, BUCKET)],
        ["gcs", () => fakeGcsServiceEnv(gcs.url, BUCKET)],
    ];
    for (const [backend, env] of backends) {
        it(`${backend}: start, an upload and a read, then SIGTERM`, async () => {
            const server = await startServer({ ...env(), LOG_LEVEL: "info" });
            try {
                const put = await fetch(`${server.url}/objects/line.txt`, { method: "PUT", body: "one line" });
                assert.equal(put.status, 201);
                const stored = ((await put.json()) as { name: string }).name;
                assert.equal(await (await fetch(`${server.url}/objects/${stored}`)).text(), "one line");
            } finally {
                assert.equal(await server.stop(), 0);
            }
            assert.match(server.output(), /"message":"listening"/, "the server logged its start");
            assert.deepEqual(unstructuredLines(server.output()), []);
        });
    }
});
