import * as assert from "assert";
import { spawnSync } from "child_process";
import { PROJECT_ROOT } from "../../config/stackFile";

/**
 * Runs a script in a fresh node process in `cwd` (the project root unless said; nothing loaded yet, as when Pulumi
 * starts the program) and returns its last line of output as JSON; fails the test with the process's stderr if it
 * exits non-zero.
 */
export function inFreshNode(script: string, env: NodeJS.ProcessEnv = {}, cwd = PROJECT_ROOT): any {
    const result = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split("\n").pop()!);
}
