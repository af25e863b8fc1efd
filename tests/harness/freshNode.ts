import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import { promisify } from "util";
import { PROJECT_ROOT } from "../../config/stackFile";
import { EnvironmentChanges, mergedEnvironment } from "../../scripts/offline/environment";
import { NO_PROXY_VARIABLES } from "./noProxyVariables";

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

/**
 * `script` in a node process started as scripts/build/run.js starts a tool (its beforeTheSdkLoads: the proxy set, the
 * SDK's function serialization and zod's locales deferred; then the tool's code), without blocking this one (a proxy or
 * stand-in served here can answer it), under this process's environment with no proxy variables but those in
 * `changes`; returns its output, trimmed.
 */
export async function asRunJsStartsIt(script: string, changes: EnvironmentChanges): Promise<string> {
    const asRunJs = `require("./loader/startProgram").beforeTheSdkLoads();`;
    const run = await promisify(execFile)(process.execPath, ["-r", "./tests/harness/transpile.js", "-e", `${asRunJs} ${script}`], {
        cwd: PROJECT_ROOT,
        env: mergedEnvironment(process.env, { ...NO_PROXY_VARIABLES, ...changes }),
    });
    return run.stdout.trim();
}
