import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backend, backendStandIns } from "./backendStandIns";
import { startServer } from "./helpers";
import { invokeBundle } from "./invokeBundle";

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
    const standIns = backendStandIns(BUCKET);
    for (const backend of ["memory", "s3", "gcs"] as Backend[]) {
        it(`${backend}: start, an upload and a read, then SIGTERM`, async () => {
            const server = await startServer({ ...standIns.env(backend), LOG_LEVEL: "info" });
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

describe("log lines carry the time under the key each platform reads", () => {
    it("on Lambda `timestamp` (log-level filtering files a line without one at INFO); elsewhere `time` (Cloud Logging)", async () => {
        const event = { not: "a Function URL event" }; // answered 400 with one warn line
        const onLambda = await invokeBundle("api", event, { STORAGE_BACKEND: "memory", AWS_LAMBDA_FUNCTION_NAME: "pipeline-api-1234567", AWS_LAMBDA_FUNCTION_VERSION: "8" });
        const elsewhere = await invokeBundle("api", event, { STORAGE_BACKEND: "memory" });
        const line = (output: string) => JSON.parse(output.split("\n").find((l) => l.includes("malformed Function URL event"))!);
        const lambdaLine = line(onLambda.output);
        assert.ok(!Number.isNaN(Date.parse(lambdaLine.timestamp)) && lambdaLine.time === undefined, onLambda.output);
        assert.equal(lambdaLine.level, "warn");
        const otherLine = line(elsewhere.output);
        assert.ok(!Number.isNaN(Date.parse(otherLine.time)) && otherLine.timestamp === undefined, elsewhere.output);
    });
});
