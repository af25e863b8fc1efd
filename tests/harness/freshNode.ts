import * as assert from "assert";
import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../../config/stackFile";

/**
 * Runs a script in a fresh node process at the project root (nothing loaded yet, as when Pulumi starts the
 * program) and returns its last line of output as JSON; fails the test with the process's stderr if it exits non-zero.
 */
export function inFreshNode(script: string, env: NodeJS.ProcessEnv = {}): any {
    const result = spawnSync(process.execPath, ["-e", script], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, ...env } });
    assert.strictEqual(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split("\n").pop()!);
}
