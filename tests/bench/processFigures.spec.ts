import * as assert from "assert";
import { whyNoProcessFigures } from "../../scripts/bench/processFigures";
import { scratchDir } from "../harness/tempDirs";

describe("bench: where the service's CPU and memory can be read", () => {
    // Before: on a Mac `npm run bench` timed the program and the whole npm test, then died at the limiter's row with
    // "ENOENT: no such file or directory, open '/proc/<pid>/stat'", and wrote no results.
    it("refuses before measuring anything on a machine without /proc, naming it", () => {
        const noProc = scratchDir("no-proc");
        assert.match(whyNoProcessFigures(noProc, "darwin") ?? "", new RegExp(`read from ${noProc}, which this darwin machine has not \\(Linux has\\): run npm run bench on Linux`));
    });

    it("measures where /proc is there", function () {
        if (process.platform !== "linux") this.skip();
        assert.strictEqual(whyNoProcessFigures(), undefined);
    });
});
