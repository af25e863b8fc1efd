import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { LAMBDA_CONSOLE } from "./lambdaConsole";

/** Runs `code` after the stand-in's console patch, with Lambda's two logging variables. */
function underLambdaConsole(code: string, level: string): string[] {
    const run = spawnSync(process.execPath, ["-e", `${LAMBDA_CONSOLE}\n${code}`], {
        env: { PATH: process.env.PATH, AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: level },
        encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split("\n");
}

// The stand-in runtimes' console answers as aws-lambda-nodejs-runtime-interface-client's console patch does under
// logFormat JSON; the service's tests rely on it to see what CloudWatch Logs would receive.
describe("the stand-in Lambda runtime's console (JSON log format)", () => {
    it("wraps what console writes in the runtime's own line, so an embedded-metric object written there is only a message", () => {
        const [line] = underLambdaConsole(`standInRequestId = "r-1"; console.log({ _aws: { Timestamp: 1 } });`, "INFO");
        const parsed = JSON.parse(line);
        assert.deepEqual(Object.keys(parsed), ["timestamp", "level", "requestId", "message"]);
        assert.equal(parsed.level, "INFO");
        assert.equal(parsed.requestId, "r-1");
        assert.equal(parsed._aws, undefined, "CloudWatch extracts metrics only from a top-level _aws");
        assert.deepEqual(parsed.message, { _aws: { Timestamp: 1 } });
    });

    it("formats several arguments as one message, drops the methods below AWS_LAMBDA_LOG_LEVEL, and leaves process.stdout alone", () => {
        const lines = underLambdaConsole(`console.debug("dropped"); console.warn("a %s", "b", 3); process.stdout.write('{"level":"debug","message":"as written"}\\n');`, "WARN");
        assert.equal(lines.length, 2, lines.join("\n"));
        assert.deepEqual([JSON.parse(lines[0]).level, JSON.parse(lines[0]).message], ["WARN", "a b 3"]);
        assert.equal(lines[1], '{"level":"debug","message":"as written"}');
    });
});
