import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * For the processes the tests start from a 2 MB bundle (dozens per run) or from s3rver: Node's compile cache (V8
 * code cache on disk, checked against each file's content) spares every start after the first most of compiling
 * it, about a quarter of a server's CPU to /ready. Under the temporary folder, so a runner that gives the run its
 * own TMPDIR gets a cache of its own. Nothing here measures a start; the bench's cold start runs without it.
 */
export const COMPILE_CACHE_ENV = { NODE_COMPILE_CACHE: path.join(tmpdir(), "node-compile-cache") };
