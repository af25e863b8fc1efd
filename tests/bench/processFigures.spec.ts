import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stackFile";
import { whyNoProcessFigures } from "../../scripts/bench/processFigures";
import { scratchDir } from "../harness/tempDirs";

describe("bench: where the service's CPU and memory can be read", () => {
    // Before: on a Mac `npm run bench` timed the program and the whole npm test, then died at the limiter's row with
    // "ENOENT: no such file or directory, open '/proc/<pid>/stat'", and wrote no results.
    it("refuses before measuring anything on a machine without /proc, naming it", () => {
        const noProc = scratchDir("no-proc");
        assert.match(whyNoProcessFigures(noProc, "darwin") ?? "", new RegExp(`read from ${noProc}, which this darwin machine has not \\(Linux has\\): run npm run bench on Linux`));
    });

    it("npm run bench on a machine without /proc says so and exits 1, before it measures anything", function () {
        this.timeout(30_000);
        const benchmarks = path.join(PROJECT_ROOT, "scripts", "bench", "benchmarks.ts");
        // A Mac, as main.ts meets it: no /proc/self/stat. Its measuring stands in as a module that says it started.
        const mac = path.join(scratchDir("mac-bench"), "mac.js");
        fs.writeFileSync(
            mac,
            `const fs = require("fs"); const existsSync = fs.existsSync;
            fs.existsSync = (p) => p !== "/proc/self/stat" && existsSync(p);
            require.cache[${JSON.stringify(benchmarks)}] = { id: ${JSON.stringify(benchmarks)}, filename: ${JSON.stringify(benchmarks)}, loaded: true, exports: { runBenchmarks: async () => { throw new Error("it measured"); } } };`,
        );
        const answer = spawnSync(process.execPath, ["--require", require.resolve("../harness/transpile.js"), "--require", mac, path.join(PROJECT_ROOT, "scripts", "bench", "main.ts")], { encoding: "utf8", cwd: PROJECT_ROOT });
        assert.deepStrictEqual(
            { status: answer.status, stderr: answer.stderr },
            { status: 1, stderr: `bench: the service's CPU and memory figures are read from /proc, which this ${process.platform} machine has not (Linux has): run npm run bench on Linux (a container or a CI runner)\n` },
        );
    });

    it("measures where /proc is there", function () {
        if (process.platform !== "linux") this.skip();
        assert.strictEqual(whyNoProcessFigures(), undefined);
    });
});
