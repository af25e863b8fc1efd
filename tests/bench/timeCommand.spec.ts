import * as assert from "assert";
import { timeCommand } from "../../scripts/bench/processes";

describe("bench: a measured command that fails", () => {
    // Before: the error kept the first 4,000 characters of the output, so when the bench's `npm test` failed it showed
    // the checks that started and cut off the failures npm test repeats at its end.
    it("fails with the end of its output, where it says why", () => {
        const script = "console.log('a check that started\\n'.repeat(500)); console.log('1 failing: the reason'); process.exit(3)";
        assert.throws(
            () => timeCommand(process.execPath, ["-e", script]),
            (err: Error) => {
                assert.match(err.message, /exited 3:\n\(its first \d+ characters left out\)\n/);
                assert.match(err.message, /1 failing: the reason\n\n$/);
                return true;
            },
        );
    });
});
