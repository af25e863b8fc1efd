import * as assert from "assert";
import { spawn } from "child_process";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";

/**
 * A tool's output read through a pipe by a reader slower than the tool (`npm run --silent plan -- dev --json | jq`):
 * stdout is read only after the tool has had time to end. Node writes what a full pipe (64 KiB on Linux) does not
 * take asynchronously, and `process.exit` then drops it.
 */
function readSlowly(script: string, pauseMs: number): Promise<{ code: number | null; bytes: number }> {
    const child = spawn(process.execPath, ["-r", path.join(PROJECT_ROOT, "tests", "harness", "transpile.js"), "-e", script], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.pause();
    let bytes = 0;
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    setTimeout(() => child.stdout.resume(), pauseMs);
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, bytes })));
}

describe("the command line tools' exit (scripts/build/exitWhenFlushed.ts)", () => {
    it("everything written reaches a reader slower than the tool, and the exit code is the tool's", async () => {
        const script = `process.stdout.write("x".repeat(300000)); require("./scripts/build/exitWhenFlushed").exitWhenFlushed(3);`;
        assert.deepStrictEqual(await readSlowly(script, 800), { code: 3, bytes: 300000 });
    });
});
