import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

let env: { NODE_COMPILE_CACHE: string } | undefined;

/**
 * For the processes the tests start from a 2 MB bundle (dozens per run) or from s3rver: Node's compile cache (V8
 * code cache on disk, checked against each file's content) spares every start after the first most of compiling
 * it, about a quarter of a server's CPU to /ready. A runner that sets NODE_COMPILE_CACHE shares its folder across
 * the run's test files (and removes it); else each test file gets a folder of its own, removed when the file's
 * process exits, so the temp folder is left as it was. Nothing here measures a start; the bench's cold start runs
 * without it.
 */
export function compileCacheEnv(): { NODE_COMPILE_CACHE: string } {
    if (env) return env;
    let dir = process.env.NODE_COMPILE_CACHE;
    if (!dir) {
        const own = mkdtempSync(path.join(tmpdir(), "node-compile-cache-"));
        process.on("exit", () => rmSync(own, { recursive: true, force: true }));
        dir = own;
    }
    return (env = { NODE_COMPILE_CACHE: dir });
}
