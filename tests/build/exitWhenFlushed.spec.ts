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
    // A tool that never ends is stopped, and answers no code.
    const stopper = setTimeout(() => child.kill("SIGKILL"), pauseMs + 10_000);
    return new Promise((resolve) => child.on("close", (code) => (clearTimeout(stopper), resolve({ code, bytes }))));
}

describe("the command line tools' exit (scripts/build/exitWhenFlushed.ts)", () => {
    it("everything written reaches a reader slower than the tool, and the exit code is the tool's", async () => {
        const script = `process.stdout.write("x".repeat(300000)); require("./scripts/build/exitWhenFlushed").exitWhenFlushed(3);`;
        assert.deepStrictEqual(await readSlowly(script, 800), { code: 3, bytes: 300000 });
    });

    // The SDK's runtime and the fake APIs keep handles open: a tool that waited for Node to run out of work would never
    // end. Before: only a tool with nothing left open was run, and an exitWhenFlushed that never called process.exit
    // (leaving process.exitCode to a natural end) passed.
    it("ends the tool with its code though a handle it opened is still open", async () => {
        const script = `setInterval(() => {}, 1000); process.stdout.write("x".repeat(300000)); require("./scripts/build/exitWhenFlushed").exitWhenFlushed(3);`;
        assert.deepStrictEqual(await readSlowly(script, 800), { code: 3, bytes: 300000 });
    });
});
