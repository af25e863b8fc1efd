import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVER_ERROR_METRIC, serverErrorMetric } from "../src/serverErrorMetric";
import { functionUrlEvent } from "./events";
import { invokeBundle } from "./invokeBundle";
import { s3rverServiceEnv } from "./s3rver";

const LAMBDA_ENV = { AWS_LAMBDA_FUNCTION_NAME: "pipeline-api-1234567", AWS_LAMBDA_FUNCTION_VERSION: "8" };
const LIVE_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:pipeline-api-1234567:live";

/**
 * The rules of CloudWatch's "Embedded metric format specification" that decide whether CloudWatch Logs extracts a
 * metric from a line: `_aws.Timestamp` in epoch milliseconds; each directive's Namespace; every dimension name a
 * member of the root whose value is a string, at most 30 a set; every metric name a member whose value is a number.
 */
function emfProblems(line: string): string[] {
    const root = JSON.parse(line);
    const problems: string[] = [];
    if (!Number.isInteger(root._aws?.Timestamp)) problems.push("_aws.Timestamp is not epoch milliseconds");
    for (const directive of root._aws?.CloudWatchMetrics ?? []) {
        if (typeof directive.Namespace !== "string" || directive.Namespace === "") problems.push("a directive without a Namespace");
        for (const set of directive.Dimensions ?? []) {
            if (set.length > 30) problems.push("a dimension set over 30");
            for (const name of set) if (typeof root[name] !== "string") problems.push(`dimension ${name} is not a string member`);
        }
        for (const metric of directive.Metrics ?? []) if (typeof root[metric.Name] !== "number") problems.push(`metric ${metric.Name} is not a number member`);
    }
    if (!root._aws?.CloudWatchMetrics?.length) problems.push("no CloudWatchMetrics");
    return problems;
}

describe("a 5xx answer on Lambda is counted (Lambda's Errors leaves out answers the function returns)", () => {
    it("one embedded-metric line per 5xx, under Lambda's own dimensions of an alias invocation", () => {
        const root = serverErrorMetric(503, LIVE_ARN, LAMBDA_ENV, 1_795_359_000_000)! as Record<string, any>;
        assert.deepEqual(emfProblems(JSON.stringify(root)), []);
        assert.deepEqual(root._aws.CloudWatchMetrics, [
            {
                Namespace: SERVER_ERROR_METRIC.namespace,
                Dimensions: [
                    ["FunctionName", "Resource"],
                    ["FunctionName", "Resource", "ExecutedVersion"],
                ],
                Metrics: [{ Name: SERVER_ERROR_METRIC.name, Unit: "Count" }],
            },
        ]);
        assert.deepEqual([root.FunctionName, root.Resource, root.ExecutedVersion, root[SERVER_ERROR_METRIC.name]], ["pipeline-api-1234567", "pipeline-api-1234567:live", "8", 1]);
    });

    it("nothing for other answers, and nothing outside Lambda", () => {
        for (const status of [200, 201, 400, 404, 429, 499]) assert.equal(serverErrorMetric(status, LIVE_ARN, LAMBDA_ENV), undefined);
        assert.equal(serverErrorMetric(500, LIVE_ARN, {}), undefined);
        assert.equal(serverErrorMetric(500, "arn:aws:lambda:ap-northeast-1:123456789012:function:pipeline-api-1234567:8", LAMBDA_ENV)!.Resource, "pipeline-api-1234567:8");
    });

    it("dist/api.js: storage down, the upload is a 503 and the log has the metric line; a 2xx has none", async () => {
        // Nothing listens on port 1: every S3 call is refused at once.
        const down = { ...s3rverServiceEnv("http://127.0.0.1:1", "metric-bucket"), STORAGE_MAX_ATTEMPTS: "1", ...LAMBDA_ENV };
        const failed = await invokeBundle("api", functionUrlEvent("PUT", "/objects/a.txt", "a"), down);
        assert.equal(failed.result?.statusCode, 503, failed.output);
        const metricLines = failed.output.split("\n").filter((l) => l.includes('"_aws"'));
        assert.equal(metricLines.length, 1, failed.output);
        assert.deepEqual(emfProblems(metricLines[0]), []);
        // Lambda's log-level filtering keeps it: an error-level line with a valid timestamp.
        const line = JSON.parse(metricLines[0]);
        assert.equal(line.level, "error");
        assert.ok(!Number.isNaN(Date.parse(line.timestamp)), metricLines[0]);
        const healthy = await invokeBundle("api", functionUrlEvent("GET", "/health"), { STORAGE_BACKEND: "memory", ...LAMBDA_ENV });
        assert.equal(healthy.result?.statusCode, 200);
        assert.ok(!healthy.output.includes('"_aws"'), healthy.output);
    });
});
