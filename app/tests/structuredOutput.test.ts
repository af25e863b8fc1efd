import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backend, backendStandIns } from "./backendStandIns";
import { faultEnv } from "./faults/faultEnv";
import { startFaultProxy } from "./faults/faultProxy";
import { startServer } from "./helpers";
import { startS3rver } from "./s3rver";
import { invokeBundle } from "./invokeBundle";
import { log } from "../src/log";

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
        assert.equal(lambdaLine.requestId, "test", "the invocation's request ID (its context's awsRequestId), as the runtime's own JSON lines carry it");
        // The worker's line about a key it could not read is written after its storage call: the ID holds across awaits.
        const worker = await invokeBundle("worker", { bucket: "pipeline-bucket", keys: ["input/missing.txt"] }, { STORAGE_BACKEND: "memory", BUCKET_NAME: "pipeline-bucket", AWS_LAMBDA_FUNCTION_NAME: "pipeline-worker-1234567" });
        const keyFailed = worker.output.split("\n").find((l) => l.includes('"message":"key failed"'));
        assert.ok(keyFailed, worker.output);
        assert.equal(JSON.parse(keyFailed).requestId, "test");
        const otherLine = line(elsewhere.output);
        assert.ok(!Number.isNaN(Date.parse(otherLine.time)) && otherLine.timestamp === undefined, elsewhere.output);
    });
});

describe("a request's log lines name its trace on Cloud Run", () => {
    it("from X-Cloud-Trace-Context or traceparent, as projects/<GOOGLE_CLOUD_PROJECT>/traces/<id>; nothing from a malformed header", async () => {
        // Once the server is up, storage answers every call 503: each GET /objects answers 503 and logs one warn line about its request.
        const s3 = await startS3rver([BUCKET]);
        const proxy = await startFaultProxy(s3.endpoint, 5);
        const server = await startServer({ ...faultEnv(proxy.url, BUCKET), K_SERVICE: "service-0a1b2c3", GOOGLE_CLOUD_PROJECT: "acme-prod-1" });
        proxy.plan({ faults: ["error503"], rate: 1 });
        /** The trace each request's log line names; the requests run at once, each reading its own object. */
        const tracesOf = async (headerSets: Record<string, string>[]) => {
            await Promise.all(headerSets.map(async (headers, i) => assert.equal((await fetch(`${server.url}/objects/case-${i}`, { headers })).status, 503)));
            return headerSets.map((_, i) => {
                const line = server.output().split("\n").find((l) => l.includes(`"path":"/objects/case-${i}"`));
                assert.ok(line, server.output());
                return JSON.parse(line)["logging.googleapis.com/trace"];
            });
        };
        try {
            // The header forms Cloud Run hands over (Cloud Trace, "Trace context"): TRACE_ID/SPAN_ID;o=OPTIONS, and W3C traceparent.
            const traces = await tracesOf([
                { "x-cloud-trace-context": "105445aa7843bc8bf206b12000100000/1;o=1" },
                { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
                {},
                { "x-cloud-trace-context": "not-a-trace" },
                { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" },
                // W3C Trace Context, "Versioning of traceparent" (before: the first two were read, the third was not):
                // version ff and an all-zero parent id are invalid; a later version's extra fields are skipped; version
                // 00 has exactly four fields.
                { traceparent: "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
                { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01" },
                { traceparent: "01-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future" },
                { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x" },
                // Upper-case hex is invalid ("Vendors MUST ignore the traceparent when ... it contains non-lowercase hex").
                { traceparent: "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01" },
            ]);
            assert.deepEqual(traces, [
                "projects/acme-prod-1/traces/105445aa7843bc8bf206b12000100000",
                "projects/acme-prod-1/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                undefined,
                undefined,
                undefined,
                undefined,
                undefined,
                "projects/acme-prod-1/traces/5bf92f3577b34da6a3ce929d0e0e4736",
                undefined,
                undefined,
            ]);
        } finally {
            await server.stop();
            await proxy.close();
            await s3.close();
        }
    });
});

describe("a log line's own keys win over its fields", () => {
    // A field named as one of them (a request's `message`, an error's `level`) would otherwise change what the line is
    // filed as. log.error: no LOG_LEVEL filters it out, whatever another test of this process set.
    it("a field called message, level or severity changes none of the line's", (t) => {
        const written: string[] = [];
        t.mock.method(process.stdout, "write", (chunk: string) => (written.push(chunk), true));
        log.error("the line's message", { message: "a field", level: "debug", severity: "DEBUG", path: "/objects/a" });
        t.mock.restoreAll();
        const entry = JSON.parse(written[0]);
        assert.deepEqual([entry.message, entry.level, entry.severity, entry.path], ["the line's message", "error", "ERROR", "/objects/a"]);
    });
});
